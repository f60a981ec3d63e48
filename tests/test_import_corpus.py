"""The import corpus: the same posts/events in every format give the same model,
and every malformed file gives a clear InputError or a file:row:column warning."""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from auditor.errors import InputError
from auditor.model import Post
from auditor.sources.calendar import load_events
from auditor.sources.export import ExportData, load_export

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "import"
EXPECTED: dict[str, dict[str, dict[str, Any]]] = json.loads(
    (CORPUS / "expected.json").read_text(encoding="utf-8")
)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
REFERENCE_POSTS = "posts-utf8.csv"
REFERENCE_EVENTS = "events.ics"


def test_corpus_lists_every_file_and_enough_malformed_cases() -> None:
    for group in ("posts", "events", "malformed", "unicode"):
        on_disk = {p.name for p in (CORPUS / group).iterdir()}
        assert on_disk == set(EXPECTED[group]), group
    malformed = EXPECTED["malformed"].values()
    assert sum(1 for m in malformed if m["loader"] == "export") >= 15
    assert sum(1 for m in malformed if m["loader"] == "events") >= 10
    assert any("error" in m for m in malformed) and any("warning" in m for m in malformed)


def _posts(name: str) -> tuple[Post, ...]:
    data = load_export(CORPUS / "posts" / name, tz=TZ, **EXPECTED["posts"][name])
    assert data.warnings == (), [w.label() for w in data.warnings]
    return data.posts


@pytest.mark.parametrize("name", sorted(EXPECTED["posts"]))
def test_every_export_format_gives_the_same_posts(name: str) -> None:
    reference = _posts(REFERENCE_POSTS)
    assert len(reference) == 10
    posts = _posts(name)
    assert posts == reference
    # compare=False hides provenance from ==; it must still name this file.
    assert {p.provenance.file for p in posts} == {name}


def test_decomposed_unicode_is_kept_as_written() -> None:
    """NFD text is a finding of text.tcvn6909 (Điều 6.4), so the importer must not hide it;
    headers, states, dates and yes/no cells are still understood."""
    reference = _posts(REFERENCE_POSTS)
    posts = load_export(CORPUS / "unicode" / "posts-nfd.csv", tz=TZ).posts
    assert len(posts) == len(reference)
    assert not unicodedata.is_normalized("NFC", posts[0].title)
    assert [unicodedata.normalize("NFC", p.title) for p in posts] == [
        p.title for p in reference]
    assert [(p.status, p.published_at, p.proposed_to_authority) for p in posts] == [
        (p.status, p.published_at, p.proposed_to_authority) for p in reference]


@pytest.mark.parametrize("name", sorted(EXPECTED["events"]))
def test_every_calendar_format_gives_the_same_events(name: str) -> None:
    reference = load_events(CORPUS / "events" / REFERENCE_EVENTS, tz=TZ).events
    assert len(reference) == 6
    data = load_events(CORPUS / "events" / name, tz=TZ, **EXPECTED["events"][name])
    assert data.warnings == (), [w.label() for w in data.warnings]
    assert data.events == reference
    assert {e.provenance.file for e in data.events} == {name}


@pytest.mark.parametrize("name", sorted(EXPECTED["malformed"]))
def test_malformed_input_is_reported_not_raised(name: str) -> None:
    case = EXPECTED["malformed"][name]
    loader = load_export if case["loader"] == "export" else load_events
    path = CORPUS / "malformed" / name
    if "error" in case:
        with pytest.raises(InputError) as caught:
            loader(path, tz=TZ)
        message = str(caught.value)
        assert message.startswith(f"{name}: ")
        assert "\n" not in message
        for word in case["error"]:
            assert word in message
    else:
        data = loader(path, tz=TZ)
        labels = [w.label() for w in data.warnings]
        assert any(label.startswith(case["warning"] + " — ") for label in labels), labels
        # The other rows were still imported.
        items = data.posts if isinstance(data, ExportData) else data.events
        assert len(items) >= 1


@pytest.mark.parametrize(
    "name", sorted(f"posts/{n}" for n in EXPECTED["posts"])
    + sorted(f"events/{n}" for n in EXPECTED["events"]),
)
def test_damaged_copies_give_data_or_input_error_only(name: str, tmp_path: Path) -> None:
    """Truncated, overwritten, padded or cut copies of every corpus file: the importer
    returns what it can or raises InputError, never another exception."""
    source = CORPUS / name
    data = source.read_bytes()
    rnd = random.Random(name)
    loader = load_export if name.startswith("posts/") else load_events
    for _ in range(12):
        damaged = bytearray(data)
        how = rnd.randrange(4)
        pos = rnd.randrange(len(damaged))
        if how == 0:
            del damaged[pos:]
        elif how == 1:
            for _ in range(rnd.randrange(1, 20)):
                damaged[rnd.randrange(len(damaged))] = rnd.randrange(256)
        elif how == 2:
            damaged[pos:pos] = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 50)))
        else:
            del damaged[pos : pos + rnd.randrange(1, 200)]
        path = tmp_path / source.name
        path.write_bytes(bytes(damaged))
        try:
            loader(path, tz=TZ)  # any exception but InputError fails the test
        except InputError as exc:
            assert str(exc).startswith(f"{source.name}: ") and "\n" not in str(exc)
