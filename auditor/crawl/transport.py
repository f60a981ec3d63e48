"""The crawler's httpx transport: one client, its connections split over small pools.

httpcore's connection pool looks at every connection it holds, twice per
request (and asks each idle one's socket whether the server closed it): the
cost grows with the square of the pool's size. Measured on the 5,000-page
loopback benchmark at 16 connections, a bare httpx loop spent 8.8–9.0 s of CPU
with one pool of 16 and 3.5–5.2 s with four pools of 4. So above
:data:`SHARD_SIZE` connections the client's transport is several ordinary
``httpx.AsyncHTTPTransport`` pools, and each request goes to the pool with the
fewest requests in flight: a request waits for a connection only when every
pool is full, as with one pool of the same total size.
"""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from functools import cache

import httpx

SHARD_SIZE = 4  # connections per pool


class _Counted(httpx.AsyncByteStream):
    """A response body that gives its pool's slot back when it is closed."""

    def __init__(self, stream: httpx.AsyncByteStream, shard: list[int], index: int) -> None:
        self._stream, self._shard, self._index = stream, shard, index
        self._open = True

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            if self._open:
                self._open = False
                self._shard[self._index] -= 1


class ShardedTransport(httpx.AsyncBaseTransport):
    """Several httpx transports of at most SHARD_SIZE connections each, used as one."""

    def __init__(self, connections: int) -> None:
        shards = max(1, -(-connections // SHARD_SIZE))
        size = -(-connections // shards)
        limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
        self.transports = [httpx.AsyncHTTPTransport(verify=_ssl_context(), limits=limits)
                           for _ in range(shards)]
        self.in_flight = [0] * shards

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        index = min(range(len(self.transports)), key=self.in_flight.__getitem__)
        self.in_flight[index] += 1
        try:
            response = await self.transports[index].handle_async_request(request)
        except BaseException:
            self.in_flight[index] -= 1
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(response.status_code, headers=response.headers,
                              stream=_Counted(response.stream, self.in_flight, index),
                              extensions=response.extensions)

    async def aclose(self) -> None:
        for transport in self.transports:
            await transport.aclose()


@cache
def _ssl_context() -> ssl.SSLContext:
    """httpx's default TLS context (certifi's store), built once: loading the store
    costs ~40 ms, and a run makes a client for each page a rule fetches alone."""
    return httpx.create_ssl_context()


def transport_for(connections: int) -> httpx.AsyncBaseTransport:
    """One pool up to SHARD_SIZE connections; several small ones above."""
    if connections <= SHARD_SIZE:
        limits = httpx.Limits(max_connections=max(connections, 1),
                              max_keepalive_connections=max(connections, 1))
        return httpx.AsyncHTTPTransport(verify=_ssl_context(), limits=limits)
    return ShardedTransport(connections)
