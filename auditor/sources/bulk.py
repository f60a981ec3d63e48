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


@contextmanager
def long_lived() -> Iterator[None]:
    """Read an audit's inputs: objects that live until the audit ends.

    The collector is paused while they are made, and they are then moved out of
    its generations (``gc.freeze``), so the checks' own collections do not walk a
    hundred thousand posts again and again (0.4 s of a 100,000-post audit).
    Frozen objects are still freed by reference counting when dropped; only
    reference cycles among them would wait: they go back to the collector, which
    frees them, when the next audit in the same process starts reading."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    with collector_paused():
        yield
        gc.freeze()
