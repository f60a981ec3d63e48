"""The crawler's transport: one httpx client whose connections are split over small pools."""

from __future__ import annotations

import asyncio
import time

import httpx

from auditor.crawl.transport import SHARD_SIZE, ShardedTransport, transport_for
from tests.loopback import LoopbackServer, Reply, Request, ResetServer


def _slow(request: Request) -> Reply:
    time.sleep(0.05)  # long enough for every request to be in flight at once
    return Reply(200, ("<p>" + request.path + "</p>").encode(), content_type="text/html")


def test_small_concurrency_keeps_one_plain_pool() -> None:
    assert isinstance(transport_for(SHARD_SIZE), httpx.AsyncHTTPTransport)
    assert isinstance(transport_for(SHARD_SIZE + 1), ShardedTransport)


def test_requests_spread_over_the_pools_and_give_their_slots_back() -> None:
    transport = ShardedTransport(12)
    assert len(transport.transports) == 3
    peaks: list[list[int]] = []

    async def main(base: str) -> list[int]:
        async with httpx.AsyncClient(transport=transport) as client:

            async def one(n: int) -> int:
                async with client.stream("GET", f"{base}/p{n}") as response:
                    peaks.append(list(transport.in_flight))
                    await response.aread()
                    return response.status_code

            return await asyncio.gather(*(one(n) for n in range(12)))

    with LoopbackServer(fallback=_slow) as server:
        statuses = asyncio.run(main(server.base))
        paths = sorted(r.path for r in server.log)
    assert statuses == [200] * 12
    assert paths == sorted(f"/p{n}" for n in range(12))
    assert transport.in_flight == [0, 0, 0]  # every response closed, every slot back
    # As many requests as connections: each went to a pool with a free connection.
    assert max(max(p) for p in peaks) <= 4
    assert max(sum(p) for p in peaks) > 4  # … and several pools were used at once


def test_a_reset_connection_gives_its_slot_back() -> None:
    transport = ShardedTransport(8)

    async def main(url: str) -> str:
        async with httpx.AsyncClient(transport=transport) as client:
            try:
                await client.get(url)
            except httpx.HTTPError as exc:
                return type(exc).__name__
        return "no error"

    with ResetServer() as server:
        error = asyncio.run(main(server.url("/")))
    assert error != "no error"
    assert transport.in_flight == [0, 0]
