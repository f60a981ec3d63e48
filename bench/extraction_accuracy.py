"""Extraction accuracy of the generic path: hand-written fall-backs vs. libraries (issue 10).

Reads every real page under ../shared/realworld (expected values written by
hand from the pages, the same as tests/test_site_realworld.py) and every post
page of the demo site (expected values from the demo's CMS export; the posts
whose site date differs on purpose are left out), and scores, per field:

- date:  the old generic fall-back (rules/profiles/generic.toml of ``main``
         before issue 10: loose ``[class*=date]``, ``article`` selectors, read by
         today's code),
         the new generic path (structured dates, then the date printed next
         to the lone ``<h1>``), htmldate (fast and extensive search), and
         extruct (JSON-LD / microdata / OpenGraph ``datePublished``);
- title: old and new generic, trafilatura's metadata, extruct's og:title;
- body:  old and new generic selectors, trafilatura.

A date counts when it is the expected minute (or the expected day, where the
page prints no time). A body counts when it holds the expected text and
holds none of the page's menu or side-bar text. Prints accuracy and mean time
per page for each method.

    python bench/extraction_accuracy.py
"""

from __future__ import annotations

import csv
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from auditor.profiles import Profile, load_profile
from auditor.resources import demo_dir
from auditor.site.extract import ArticleData, article, parse_html
from auditor.site.vndate import parse_iso
from auditor.timeutil import tz

ROOT = Path(__file__).resolve().parent.parent
REALWORLD = ROOT.parent / "shared" / "realworld"
ZONE = tz()
SKIP_DEMO = {"15102", "15096", "15101"}  # site-differences.json: dates differ on purpose


@dataclass(frozen=True)
class Truth:
    name: str
    html: str
    url: str
    title: str
    published: datetime | None
    has_time: bool
    body_start: str | None  # None: the page has no body text
    boilerplate: tuple[str, ...] = ()


def _at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZONE)  # type: ignore[misc]


def real_pages() -> list[Truth]:
    if not REALWORLD.is_dir():
        return []
    hp = REALWORLD / "haiphong-edu"
    read = lambda p: p.read_text(encoding="utf-8")  # noqa: E731
    return [
        Truth("hp/888573", read(hp / "hcm_mgbongsen_post_ct_888573.html"),
              "https://mgbongsen.hcm.edu.vn/thuc-don-tuan/x/ct/76732/888573",
              "Thực đơn tuần 4 tháng 9 (Từ ngày 21/9/2026 đến ngày 25/9/2026)",
              _at(2026, 9, 21, 16, 36), True, "TRƯỜNG MẦM NON BÔNG SEN THỰC ĐƠN TUẦN 4",
              ("Thống kê truy cập", "DANH MỤC", "Tin cùng chuyên mục")),
        Truth("hp/760311", read(hp / "hcm_ngosilien_post_ct_760311_fragment.html"),
              "https://thcsngosilien.hcm.edu.vn/x/y/ct/1/760311",
              "Thực đơn bán trú - Tuần 2 (2026-2027)", _at(2026, 9, 20, 17, 58), True, None),
        Truth("hp/891308", read(hp / "hcm_mn11bbinhthanh_post_ct_891308_excerpt.html"),
              "https://mn11bbinhthanh.hcm.edu.vn/nam-hoc-2026-2027/x/ct/111160/891308",
              "Thực đơn của bé ngày 01/10/2026", _at(2026, 10, 1, 21, 8), True, None),
        Truth("nukeviet/detail", read(REALWORLD / "nukeviet" / "detail_rendered.html"),
              "https://thcsvidu.example.edu.vn/thong-bao/thong-bao-hop-123.html",
              "Thông báo họp cha mẹ học sinh đầu năm học", _at(2026, 11, 24, 8, 15), True,
              "Nội dung thông báo (bịa).", ("Những tin cũ hơn", "Lịch thi học kỳ I")),
        Truth("wp/tt1", read(REALWORLD / "wordpress" / "tt1_single_rendered.html"),
              "https://thvidu.example.edu.vn/2026/11/24/thong-bao-hop-phu-huynh/",
              "Thông báo họp phụ huynh đầu năm", _at(2026, 11, 24, 8, 15), True,
              "Nội dung thông báo (bịa).", ("Bài trước",)),
        # The block theme prints no date: the right answer is "unknown".
        Truth("wp/tt5", read(REALWORLD / "wordpress" / "tt5_single_rendered.html"),
              "https://thvidu.example.edu.vn/2026/11/24/thong-bao-hop-phu-huynh/",
              "Thông báo họp phụ huynh đầu năm", None, False, "Nội dung thông báo (bịa)."),
    ]


def demo_pages() -> list[Truth]:
    site = demo_dir() / "site"
    rows = {}
    with (demo_dir() / "cms-export.csv").open(encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            rows[row["Mã bài"]] = row
    out = []
    for page in sorted(site.glob("*/*/ct/*/*/index.html")):
        pid = page.parent.name
        row = rows.get(pid)
        if row is None or pid in SKIP_DEMO or not row["Ngày đăng"]:
            continue
        when = datetime.strptime(row["Ngày đăng"], "%d/%m/%Y %H:%M").replace(tzinfo=ZONE)
        rel = page.parent.relative_to(site).as_posix()
        out.append(Truth(f"demo/{pid}", page.read_text(encoding="utf-8"),
                         f"https://thcshoaphuong.haiphong.edu.vn/{rel}", row["Tiêu đề"],
                         when, True, row["Nội dung"][:40], ("Tin mới", "Văn bản mới")))
    return out


def main_text(soup: Any) -> str | None:
    """trafilatura's main text of a parsed page (given a copy: it cleans the tree)."""
    import copy

    import trafilatura

    text = trafilatura.extract(copy.deepcopy(soup), include_tables=True,
                               favor_precision=True, fast=True)
    return " ".join((text or "").split()) or None


def old_generic() -> Profile:
    """generic.toml as it was on main before issue 10 (the hand-written fall-back)."""
    text = subprocess.run(["git", "-C", str(ROOT), "show", "main:rules/profiles/generic.toml"],
                          capture_output=True, text=True, check=True).stdout
    folder = Path(tempfile.mkdtemp())
    (folder / "old-generic.toml").write_text(text.replace('name = "generic"',
                                                          'name = "old-generic"'),
                                             encoding="utf-8")
    return load_profile(str(folder / "old-generic.toml"))


# --- methods ---------------------------------------------------------------------------------

def _published(data: ArticleData) -> tuple[datetime | None, bool]:
    chosen = data.published
    return (chosen.value, chosen.has_time) if chosen else (None, False)


def by_profile(profile: Profile, with_library: bool) -> Callable[[Truth], dict[str, Any]]:
    def run(t: Truth) -> dict[str, Any]:
        soup = parse_html(t.html)
        data = article(soup, t.url, profile, ZONE)
        when, timed = _published(data)
        body = data.body or (main_text(soup) if with_library else None)
        return {"date": (when, timed), "title": data.title, "body": body}
    return run


def by_htmldate(extensive: bool) -> Callable[[Truth], dict[str, Any]]:
    from htmldate import find_date

    def run(t: Truth) -> dict[str, Any]:
        found = find_date(t.html, url=t.url, extensive_search=extensive, original_date=True,
                          outputformat="%Y-%m-%dT%H:%M:%S")
        value = parse_iso(found, ZONE) if found else None
        timed = bool(value and (value.value.hour or value.value.minute))
        return {"date": (value.value if value else None, timed)}
    return run


def by_trafilatura(t: Truth) -> dict[str, Any]:
    import trafilatura

    meta = trafilatura.extract_metadata(t.html)
    return {"title": meta.title if meta else None, "body": main_text(parse_html(t.html))}


def by_extruct(t: Truth) -> dict[str, Any]:
    import extruct

    data = extruct.extract(t.html, base_url=t.url, syntaxes=["json-ld", "microdata",
                                                              "opengraph"], uniform=True)
    when, title = None, None
    for item in data.get("json-ld", []) + data.get("microdata", []):
        stamp = item.get("datePublished")
        if isinstance(stamp, list):
            stamp = stamp[0] if stamp else None
        if isinstance(stamp, str) and when is None:
            found = parse_iso(stamp, ZONE)
            when = found
    for item in data.get("opengraph", []):
        title = title or item.get("og:title")
        stamp = item.get("article:published_time")
        if isinstance(stamp, str) and when is None:
            when = parse_iso(stamp, ZONE)
    return {"date": (when.value if when else None, bool(when and when.has_time)),
            "title": title}


# --- scoring ---------------------------------------------------------------------------------

def date_ok(t: Truth, got: tuple[datetime | None, bool]) -> bool:
    when, timed = got
    if t.published is None:
        return when is None
    if when is None:
        return False
    if t.has_time:
        return timed and when.astimezone(ZONE).replace(second=0) == t.published
    return when.astimezone(ZONE).date() == t.published.date()


def body_ok(t: Truth, body: str | None) -> bool:
    if t.body_start is None:
        return not body
    text = " ".join((body or "").split())
    return " ".join(t.body_start.split())[:30] in text and not any(
        b in text for b in t.boilerplate)


def main() -> int:
    pages = real_pages() + demo_pages()
    if not pages:
        print("no pages to read", file=sys.stderr)
        return 1
    try:
        import extruct  # noqa: F401
        import htmldate  # noqa: F401
        import trafilatura  # noqa: F401
    except ImportError:
        print("pip install htmldate trafilatura extruct  (the libraries measured here)",
              file=sys.stderr)
        return 1
    methods: dict[str, Callable[[Truth], dict[str, Any]]] = {
        "old generic (hand-written)": by_profile(old_generic(), False),
        "new generic (h1 + date beside it)": by_profile(load_profile("generic"), False),
        "new generic + trafilatura body": by_profile(load_profile("generic"), True),
        "htmldate (fast)": by_htmldate(False),
        "htmldate (extensive)": by_htmldate(True),
        "trafilatura": by_trafilatura,
        "extruct": by_extruct,
    }
    real = sum(1 for p in pages if not p.name.startswith("demo/"))
    print(f"{len(pages)} pages: {real} real, {len(pages) - real} demo")
    print(f"{'method':38} {'date':>12} {'title':>12} {'body':>12} {'ms/page':>8}")
    for name, method in methods.items():
        score = {"date": 0, "title": 0, "body": 0}
        asked = {"date": 0, "title": 0, "body": 0}
        wrong: list[str] = []
        start = time.perf_counter()
        for page in pages:
            got = method(page)
            if "date" in got:
                asked["date"] += 1
                if date_ok(page, got["date"]):
                    score["date"] += 1
                else:
                    wrong.append(f"date {page.name}")
            if "title" in got:
                asked["title"] += 1
                score["title"] += (got["title"] or "").strip() == page.title
            if "body" in got:
                asked["body"] += 1
                score["body"] += body_ok(page, got["body"])
        ms = (time.perf_counter() - start) * 1000 / len(pages)
        cells = [f"{score[k]}/{asked[k]} {score[k] / asked[k]:4.0%}" if asked[k] else "—"
                 for k in ("date", "title", "body")]
        print(f"{name:38} {cells[0]:>12} {cells[1]:>12} {cells[2]:>12} {ms:8.1f}")
        real_wrong = [w for w in wrong if "demo/" not in w]
        if real_wrong:
            print(f"{'':38}   wrong: {', '.join(real_wrong)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
