"""Pass/fail extraction cases for every site profile (fixtures/profiles/cases.toml)."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from auditor.model import Post
from auditor.people import fold
from auditor.profiles import load_profile
from auditor.site.build import read_post
from auditor.site.disclosure import find_in_menu
from auditor.site.extract import ArticleData, entries, navigation, parse_html
from auditor.site.snapshot import SitePost
from auditor.timeutil import tz

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "profiles"
CASES = tomllib.loads((FIXTURES / "cases.toml").read_text(encoding="utf-8"))["case"]
ZONE = tz()


def _date(value: str) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(ZONE) if value else None


def test_every_profile_has_pass_and_fail_cases() -> None:
    for name in ("haiphong-edu", "nukeviet", "wordpress", "generic"):
        mine = [c for c in CASES if c["profile"] == name]
        assert any(c["expect_post"] for c in mine), name
        assert any(not c["expect_post"] or c.get("published") == "" for c in mine), name


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_extraction_case(case: dict[str, Any]) -> None:
    profile = load_profile(case["profile"])
    soup = parse_html((FIXTURES / case["file"]).read_text(encoding="utf-8"))
    found = read_post(case["url"], soup, profile, ZONE)
    assert (found is not None) == case["expect_post"]
    if found is not None:
        data, post_id = found
        if "post_id" in case:
            assert post_id == case["post_id"]
        _assert_fields(data, case)
        _assert_dates(data, case)
        if "dates_disagree" in case:
            assert _site_post(data, post_id).dates_disagree is case["dates_disagree"]
    if "nav_titles" in case:
        nav = navigation(soup, case["url"], profile)
        assert [item.title for item in nav] == case["nav_titles"]
        menu = find_in_menu(nav, profile.disclosure_titles)
        assert menu is not None and fold(menu[1].title) == fold(case["disclosure_menu"])
    if "list_links" in case:
        links = entries(soup, case["url"], profile.select("list_links"))
        assert [link.url for link in links] == case["list_links"]
        assert [link.url for link in links if link.hidden] == case["hidden_links"]


def _assert_fields(data: ArticleData, case: dict[str, Any]) -> None:
    """The case's expected texts, attachments and hiding of the post."""
    for key in ("title", "category", "author"):
        if key in case:
            assert getattr(data, key) == case[key], key
    if "visible_text" in case:
        assert data.visible_date_text == case["visible_text"]
    if "meta_source" in case:
        assert data.meta_date_source == case["meta_source"]
    if "date_source" in case:
        assert data.date_source == case["date_source"]
    if "body_contains" in case:
        assert case["body_contains"] in (data.body or "")
    if "attachments" in case:
        assert [a.url for a in data.attachments] == case["attachments"]
    if "hidden_by_css" in case:
        assert data.hidden_by_css is case["hidden_by_css"]


def _assert_dates(data: ArticleData, case: dict[str, Any]) -> None:
    """The case's expected dates: shown on the page, in its metadata, and the one kept."""
    for key, found in (("visible_date", data.visible_date), ("meta_date", data.meta_date),
                       ("published", data.published)):
        if key in case:
            got = found.value if found else None
            assert got == _date(case[key]), key


def _site_post(data: ArticleData, post_id: str) -> SitePost:
    return SitePost(Post(post_id, data.title or ""),
                    visible_date_text=data.visible_date_text,
                    visible_date=data.visible_date.value if data.visible_date else None,
                    meta_published=data.meta_date.value if data.meta_date else None,
                    visible_has_time=data.visible_date.has_time if data.visible_date
                    else None)
