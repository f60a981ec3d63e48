"""Reading a large file into model objects without the cyclic collector's pauses."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file becomes model objects.

    A 100,000-row export makes about a million small objects, none of them in a
    reference cycle (reference counting frees what is dropped). The collector
    would still walk the growing list of posts hundreds of times: a quarter of
    the import's time. It is switched back on afterwards, unless the caller had
    it off already."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
