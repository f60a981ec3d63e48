"""Reconciling the demo export with the demo site, crawled over real HTTP on 127.0.0.1.

The deliberate differences are listed in fixtures/demo/site-differences.json
(written by fixtures/demo/build_site.py).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from auditor.audit import AuditOptions, Inputs, build_context
from auditor.config import Config, load_config
from auditor.engine import run_rule
from auditor.model import Post, PostStatus
from auditor.resources import demo_dir
from auditor.ruleset import load_ruleset
from auditor.site.inputs import SiteInputs, read_site
from auditor.site.reconcile import SiteState, reconcile, tolerance_from
from auditor.site.snapshot import Page, SitePost, SiteSnapshot
from auditor.sources.export import load_export
from auditor.timeutil import tz

DIFF = json.loads((demo_dir() / "site-differences.json").read_text(encoding="utf-8"))
ZONE = tz()


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(demo_dir() / "auditor.toml")


@pytest.fixture(scope="module")
def export() -> tuple[Post, ...]:
    return load_export(demo_dir() / "cms-export.csv", tz=ZONE).posts


@pytest.fixture(scope="module")
def both(config: Config, export: tuple[Post, ...]) -> SiteInputs:
    return read_site(config, export, ruleset=load_ruleset(), demo=True)


@pytest.fixture(scope="module")
def site_only(config: Config) -> SiteInputs:
    return read_site(config, None, ruleset=load_ruleset(), demo=True)


def test_published_posts_the_site_does_not_show(both: SiteInputs) -> None:
    rec = both.reconciliation
    assert rec.source == "export+site" and both.posts_source == "export+site"
    states = {c.post.post_id: c.state for c in rec.not_visible}
    assert states[DIFF["missing_404"]] is SiteState.BROKEN
    assert states[DIFF["hidden_unlisted"]] is SiteState.HIDDEN
    assert states[DIFF["disclosure"]["hidden_by_css"]] is SiteState.HIDDEN
    assert len(states) == 3
    broken = rec.state_of(DIFF["missing_404"])
    assert broken is not None and broken.status == 404


def test_posts_only_on_the_site_and_static_pages(both: SiteInputs) -> None:
    rec = both.reconciliation
    assert sorted(sp.post_id for sp in rec.site_only) == sorted(DIFF["site_only"])
    # The "Giới thiệu" pages are older than the export and outside its categories.
    assert rec.ignored_site_posts == len(DIFF["static_pages"])


def test_dates_that_disagree_beyond_the_tolerance(both: SiteInputs) -> None:
    rec = both.reconciliation
    assert rec.tolerance == timedelta(hours=24)  # rules/qd111-thcs.toml [reconcile]
    got = {m.post_id: m.hours for m in rec.date_mismatches}
    assert got == {DIFF["date_off_3_days"]: 72.0, DIFF["date_off_29_hours"]: 29.5}
    # 26 minutes between the printed time and datePublished is within the tolerance.
    assert DIFF["visible_vs_meta"] not in got
    assert any("lệch 29,5 giờ" in line for line in both.notices)


def test_counted_posts_are_what_the_public_sees(both: SiteInputs,
                                                export: tuple[Post, ...]) -> None:
    counted = {p.post_id for p in both.posts or ()}
    assert DIFF["missing_404"] not in counted and DIFF["hidden_unlisted"] not in counted
    assert set(DIFF["site_only"]) <= counted
    published = {p.post_id for p in export if p.is_published}
    assert len(published - counted) == 3
    # Drafts and pending posts stay for the rules that read the workflow.
    assert any(p.status is PostStatus.DRAFT for p in both.posts or ())
    site_post = next(p for p in both.posts or () if p.post_id == DIFF["site_only"][0])
    assert site_post.provenance.source == "site"


def test_notices_name_the_profile_and_the_counts(both: SiteInputs) -> None:
    first, summary = both.notices[0], both.notices[1]
    assert "haiphong-edu" in first
    assert "1 bài lỗi" in summary and "2 bài bị ẩn" in summary
    assert "2 bài chỉ có trên trang" in summary


def test_site_without_export_runs_on_what_the_site_shows(site_only: SiteInputs) -> None:
    assert site_only.posts_source == "site"
    posts = site_only.posts or ()
    assert posts and all(p.provenance.source == "site" and p.is_published for p in posts)
    ids = {p.post_id for p in posts}
    assert DIFF["disclosure"]["hidden_by_css"] not in ids  # hidden by CSS: not shown
    assert "Không có tệp xuất CMS" in site_only.notices[1]


def _context(config: Config, inputs: SiteInputs | None, export: tuple[Post, ...]) -> Any:
    ruleset = load_ruleset()
    if inputs is None:
        data = Inputs(posts=export, posts_source="export")
    else:
        data = Inputs(posts=inputs.posts, posts_source=inputs.posts_source,
                      site=inputs.snapshot, reconciliation=inputs.reconciliation)
    return build_context(config, ruleset, AuditOptions(demo=True), data), ruleset


def test_posting_rules_count_only_visible_posts(config: Config, both: SiteInputs,
                                                 export: tuple[Post, ...]) -> None:
    """October: the export says 7 posts; the site shows 6 (one hidden from every list)."""
    results = {}
    for label, inputs in (("export", None), ("site", both)):
        ctx, ruleset = _context(config, inputs, export)
        result = run_rule(ruleset.rules["posts.monthly-quota"], ctx)
        results[label] = {f.subject: f for f in result.findings}
    assert results["export"]["month:2026-10"].evidence["published"] == 7
    october = results["site"]["month:2026-10"]
    assert october.evidence["published"] == 6
    assert october.source == "export+site"


def test_broken_links_rule_on_the_demo(config: Config, both: SiteInputs,
                                       export: tuple[Post, ...]) -> None:
    ctx, ruleset = _context(config, both, export)
    result = run_rule(ruleset.rules["site.broken-links"], ctx)
    got = {(f.subject, f.severity.value) for f in result.findings}
    assert got == {
        (f"post:{DIFF['missing_404']}", "violation"),
        (f"post:{DIFF['hidden_unlisted']}", "warning"),
        (f"post:{DIFF['disclosure']['hidden_by_css']}", "warning"),
        (f"url:{DIFF['disclosure']['broken_attachment']}", "violation"),
    }
    missing = next(f for f in result.findings if f.subject == f"post:{DIFF['missing_404']}")
    assert missing.evidence["linked_from"] == ["https://thcshoaphuong.haiphong.edu.vn/"]
    assert missing.department is not None and missing.source == "export+site"
    assert result.status.value == "fail"


def test_reconcile_matches_by_url_and_title_when_ids_differ() -> None:
    """A site whose post ids are not the CMS's: matched by address, then by title."""
    t = datetime(2026, 10, 1, 8, 0, tzinfo=ZONE)
    url = "https://thcs.example.edu.vn/2026/10/khai-giang/"
    site = SiteSnapshot(
        base_url="https://thcs.example.edu.vn/", profile="wordpress",
        pages={url: Page(url=url, status=200, final_url=url)},
        site_posts=(
            SitePost(Post("4321", "Khai giảng", PostStatus.PUBLISHED, url=url, published_at=t),
                     urls=(url,), listed=True, meta_published=t),
            SitePost(Post("4322", "Hội thi Rung chuông vàng", PostStatus.PUBLISHED,
                          published_at=t + timedelta(days=3)),
                     listed=True, meta_published=t + timedelta(days=3)),
        ))
    exported = (
        Post("A1", "Khai giảng", PostStatus.PUBLISHED, url=url, published_at=t),
        Post("A2", "Hội thi rung chuông vàng", PostStatus.PUBLISHED, published_at=t),
        Post("A3", "Bài không có trên trang", PostStatus.PUBLISHED, published_at=t),
    )
    rec = reconcile(exported, site, timedelta(hours=24))
    states = {c.post.post_id: c.state for c in rec.compared}
    assert states == {"A1": SiteState.VISIBLE, "A2": SiteState.VISIBLE, "A3": SiteState.ABSENT}
    assert [m.post_id for m in rec.date_mismatches] == ["A2"]
    assert rec.site_only == ()
    assert {p.post_id for p in rec.visible_posts} == {"A1", "A2"}


def test_tolerance_comes_from_the_rule_set() -> None:
    ruleset = load_ruleset()
    assert tolerance_from(ruleset) == timedelta(hours=24)
    ruleset.data["reconcile"] = {"date_tolerance_hours": 2}
    assert tolerance_from(ruleset) == timedelta(hours=2)


def test_month_evidence_for_the_posting_rules(both: SiteInputs) -> None:
    from auditor.site.inputs import month_evidence

    october = month_evidence(both.reconciliation, "2026-10", ZONE)
    assert october == {"site_not_counted": {"hidden": [DIFF["hidden_unlisted"]]}}
    september = month_evidence(both.reconciliation, "2026-09", ZONE, ["Văn bản", "Công khai"])
    assert september["site_not_counted"] == {"broken": [DIFF["missing_404"]]}
    with_disclosure = month_evidence(both.reconciliation, "2026-09", ZONE)
    assert with_disclosure["site_not_counted"]["hidden"] == [DIFF["disclosure"]["hidden_by_css"]]
    assert sorted(september["site_only"]) == sorted(DIFF["site_only"])
    assert september["date_mismatch"] == [DIFF["date_off_29_hours"]]
    assert month_evidence(None, "2026-10", ZONE) == {}


def test_crawling_is_asked_for_as_a_source(tmp_path: Path) -> None:
    from auditor.config import parse_config
    from auditor.site.inputs import wants_site

    official = {"school": {"name": "Trường THCS Sen Hồng",
                           "url": "https://thcssenhong.haiphong.edu.vn"}}
    config = parse_config(official, "auditor.toml", tmp_path)
    assert not wants_site(config, demo=False, url=None)
    assert wants_site(config, demo=True, url=None)
    assert wants_site(config, demo=False, url="https://thcssenhong.haiphong.edu.vn")
    sourced = parse_config({**official, "sources": {"site": "https://thcssenhong.haiphong.edu.vn"}},
                           "auditor.toml", tmp_path)
    assert wants_site(sourced, demo=False, url=None)
