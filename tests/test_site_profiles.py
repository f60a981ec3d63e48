"""Profiles (TOML), school overrides, auto-detection and Vietnamese page dates."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from auditor.config import parse_config
from auditor.errors import ConfigError
from auditor.profiles import BUILTIN_PROFILES, Selector, load_profile
from auditor.site.build import read_post
from auditor.site.extract import parse_html
from auditor.site.load import configured_profile
from auditor.site.platform import detect_profile
from auditor.site.vndate import find_vietnamese_date, parse_iso
from auditor.timeutil import tz

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "profiles"
ZONE = tz()


@pytest.mark.parametrize(("text", "expected", "has_time"), [
    ("Thứ Hai, 24/11/2026 08:15", datetime(2026, 11, 24, 8, 15), True),
    ("Thứ 3, 09/03/2021 | 21:37", datetime(2021, 3, 9, 21, 37), True),
    ("24/11/2026", datetime(2026, 11, 24), False),
    ("ngày 24 tháng 11 năm 2026", datetime(2026, 11, 24), False),
    ("Đăng lúc 08h15 ngày 24/11/2026 - Lượt xem: 120", datetime(2026, 11, 24, 8, 15), True),
    ("Thứ tư - 17/11/2021 18:22", datetime(2021, 11, 17, 18, 22), True),
    ("Cập nhật: 2026-11-24 08:15", datetime(2026, 11, 24, 8, 15), True),
    ("NGÀY 05 THÁNG 10 NĂM 2020", datetime(2020, 10, 5), False),
    ("31/02/2026 rồi 01/03/2026", datetime(2026, 3, 1), False),  # an impossible day is skipped
])
def test_vietnamese_dates(text: str, expected: datetime, has_time: bool) -> None:
    found = find_vietnamese_date(text, ZONE)
    assert found is not None
    assert found.value == expected.replace(tzinfo=ZONE)
    assert found.has_time is has_time


@pytest.mark.parametrize("text", ["", "Lượt xem: 120", "Phòng 24/11", "99/99/2026"])
def test_no_date_is_found_where_there_is_none(text: str) -> None:
    assert find_vietnamese_date(text, ZONE) is None


def test_iso_dates_with_and_without_offset() -> None:
    utc = parse_iso("2026-11-24T01:15:00Z", ZONE)
    assert utc is not None and utc.value == datetime(2026, 11, 24, 8, 15, tzinfo=ZONE)
    naive = parse_iso("2026-11-24T08:15", ZONE)
    assert naive is not None and naive.value == datetime(2026, 11, 24, 8, 15, tzinfo=ZONE)
    assert parse_iso("24/11/2026", ZONE) is None


def test_builtin_profiles_load_and_extend_generic() -> None:
    from auditor.resources import rules_dir

    listed = {p.stem for p in (rules_dir() / "profiles").glob("*.toml")}
    assert set(BUILTIN_PROFILES) == listed and BUILTIN_PROFILES[-1] == "generic"
    generic = [s.raw for s in load_profile("generic").select("meta_date")]
    assert "meta[property='article:published_time']@content" in generic
    for name in ("haiphong-edu", "nukeviet", "wordpress"):
        profile = load_profile(name)
        assert profile.name == name
        # A platform profile reads its own markup only: no loose generic selector
        # (meta[name=author] is the school's name on haiphong-edu pages) and no generic path.
        assert "meta[name=author]@content" not in [s.raw for s in profile.select("author")]
        assert profile.generic_fallbacks is False
        # It still inherits generic's menu titles and file extensions.
        assert "Công khai" in profile.disclosure_titles
        assert "pdf" in profile.attachment_extensions
    hp = load_profile("haiphong-edu")
    assert hp.url_kind("/tin-tuc/bai-viet/ctmb/12/345") == (
        "article", {"category_slug": "tin-tuc", "slug": "bai-viet", "category_id": "12",
                    "post_id": "345"})
    assert hp.url_kind("/tin-tuc/c/12/3")[0] == "list"
    assert hp.url_kind("/vbctmb/12/99")[1]["post_id"] == "99"
    assert hp.url_kind("/Timkiem?q=abc")[0] == "skip"


def test_selector_syntax() -> None:
    sel = Selector.parse("body@class =~ postid-(\\d+)", "test")
    assert (sel.css, sel.attr) == ("body", "class")
    assert sel.regex is not None and sel.regex.pattern == "postid-(\\d+)"
    with pytest.raises(ConfigError, match="biểu thức chính quy"):
        Selector.parse("a =~ (", "test")


def test_school_overrides_come_first_and_change_the_result(tmp_path: Path) -> None:
    raw = {"school": {"name": "Trường THCS Sen Hồng"},
           "site": {"profile": "haiphong-edu",
                    "selectors": {"title": ".post-meta .author"}}}
    config = parse_config(raw, "auditor.toml", tmp_path)
    profile, reason = configured_profile(config)
    assert profile is not None and "cấu hình" in reason
    soup = parse_html((FIXTURES / "haiphong-edu" / "article.html").read_text(encoding="utf-8"))
    found = read_post("https://x.haiphong.edu.vn/a/b/ct/1/2", soup, profile, ZONE)
    assert found is not None and found[0].title == "Trần Thị Hoa"
    plain = read_post("https://x.haiphong.edu.vn/a/b/ct/1/2", soup, load_profile("haiphong-edu"),
                      ZONE)
    assert plain is not None and plain[0].title == "Học sinh tham gia ngày hội đọc sách"


def test_unknown_override_key_is_one_clear_error(tmp_path: Path) -> None:
    raw = {"school": {"name": "Trường THCS Sen Hồng"},
           "site": {"profile": "generic", "selectors": {"tieu_de": "h1"}}}
    with pytest.raises(ConfigError, match="tieu_de"):
        configured_profile(parse_config(raw, "auditor.toml", tmp_path))
    raw["site"] = {"profile": "khong-co"}
    with pytest.raises(ConfigError, match="khong-co"):
        configured_profile(parse_config(raw, "auditor.toml", tmp_path))


def test_profile_from_a_school_file(tmp_path: Path) -> None:
    (tmp_path / "truong.toml").write_text(
        '[profile]\nname = "truong-rieng"\nextends = "generic"\n'
        '[selectors]\ntitle = [".tieu-de"]\n', encoding="utf-8")
    raw = {"school": {"name": "Trường THCS Sen Hồng"}, "site": {"profile": "truong.toml"}}
    profile, _ = configured_profile(parse_config(raw, "auditor.toml", tmp_path))
    assert profile is not None and profile.name == "truong-rieng"
    assert [s.raw for s in profile.select("title")][:2] == [".tieu-de", "[itemprop=headline]"]


@pytest.mark.parametrize(("file", "url", "expected", "why"), [
    ("nukeviet/home.html", "https://thcsmaivang.edu.vn/", "nukeviet", "NukeViet v4.5"),
    ("wordpress/home.html", "https://thcsvidu.edu.vn/", "wordpress", "WordPress 6.5.2"),
    ("haiphong-edu/article.html", "https://thcssenhong.haiphong.edu.vn/", "haiphong-edu",
     "thcssenhong.haiphong.edu.vn"),
    ("generic/jsonld.html", "https://thcscomay.edu.vn/", "generic", "không nhận ra"),
])
def test_detection(file: str, url: str, expected: str, why: str) -> None:
    soup = parse_html((FIXTURES / file).read_text(encoding="utf-8"))
    found = detect_profile(soup, url)
    assert found.profile == expected
    assert why in found.reason


def test_detection_by_link_shapes_alone() -> None:
    """On 127.0.0.1 (no telling host), three /ct/ links on the home page suffice."""
    links = "".join(f'<a href="/tin/bai-{i}/ct/5/{i}">Bài {i}</a>' for i in range(3))
    found = detect_profile(parse_html(f"<html><body>{links}</body></html>"),
                           "http://127.0.0.1:8000/")
    assert found.profile == "haiphong-edu" and "3 liên kết" in found.reason
    two = detect_profile(parse_html(f"<html><body>{links[: links.rfind('<a')]}</body></html>"),
                         "http://127.0.0.1:8000/")
    assert two.profile == "generic"


@pytest.mark.parametrize(("stamp", "expected"), [
    ("2026-11-24+0708:15:00", datetime(2026, 11, 24, 8, 15)),  # PHP date('Y-m-dTH:i:s'), +07
    ("2026-11-24+070008:15:00", datetime(2026, 11, 24, 8, 15)),
    ("2026-11-24UTC01:15:00", datetime(2026, 11, 24, 8, 15)),
    ("2026-11-24ICT08:15:00", datetime(2026, 11, 24, 8, 15)),
])
def test_php_zone_abbreviation_dates_keep_their_time(stamp: str, expected: datetime) -> None:
    found = parse_iso(stamp, ZONE)
    assert found is not None and found.has_time
    assert found.value == expected.replace(tzinfo=ZONE)


def test_a_date_only_meta_never_overrides_a_printed_date_with_time() -> None:
    page = ("<html><head><meta property='article:published_time' content='2026-11-24'>"
            "</head><body><div class='news_column'><h1 class='title'>Tin</h1>"
            "<span class='h5'>Thứ hai - 24/11/2026 08:15</span></div></body></html>")
    found = read_post("https://thcsvidu.edu.vn/tin-tuc/tin-5.html", parse_html(page),
                      load_profile("nukeviet"), ZONE)
    assert found is not None
    data = found[0]
    assert data.meta_date is not None and not data.meta_date.has_time
    assert data.published is data.visible_date and data.date_source == "visible"
    assert data.published is not None and data.published.value.hour == 8
