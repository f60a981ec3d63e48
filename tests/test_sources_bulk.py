"""Reading inputs pauses the cyclic collector and moves the long-lived inputs out
of its generations; the collector must come back on, and nothing may be kept from
it for good."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from auditor.sources.bulk import collector_paused, long_lived
from auditor.sources.export import load_export

ROOT = Path(__file__).resolve().parent.parent


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the collector frees it


@pytest.fixture(autouse=True)
def _collector_back() -> object:
    was_on = gc.isenabled()
    yield
    gc.unfreeze()
    if was_on:
        gc.enable()


def test_the_collector_is_back_on_after_a_load_and_after_an_error(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    gc.enable()
    load_export(ROOT / "fixtures/import/posts/posts-utf8.csv", tz=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        assert not gc.isenabled()
        raise ValueError
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
    with long_lived():
        pass
    assert not gc.isenabled()
    gc.enable()


def test_frozen_cycles_go_back_to_the_collector_when_the_next_reading_starts() -> None:
    gc.enable()
    with long_lived():
        node = _Node()
    gone = weakref.ref(node)
    del node
    gc.collect()
    assert gone() is not None  # frozen: the collector does not see it …
    with long_lived():
        assert gone() is None  # … until the next audit's reading gives it back
