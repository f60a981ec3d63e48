"""A school site in a theme no profile knows, served on 127.0.0.1, through the command line.

The theme ("Hoa Sen", written for this test) prints each post as an ``<h1>``
followed by "Cập nhật: dd/mm/yyyy HH:MM", with a side list of other posts and
their own dates. The generic path must read the posts and their dates (not the
side list's). When the theme changes so that the post's title and date cannot be
located (no ``<h1>``, the date moved below the text), the posting rules must say
``not_checked`` with the coverage figures, and the exit code must not be 1 on
their account.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from auditor.cli import main
from auditor.ruleset import load_ruleset
from tests.loopback import LoopbackServer, Reply

AS_OF = "2026-11-25"
POSTING_RULES = ("posts.monthly-quota", "posts.pgd-proposals", "posts.event-deadline")
# (month, posts that month): August is short of the 8-post minimum.
MONTHS = ((8, 3), (9, 9), (10, 9), (11, 9))
MENU = ('<nav class="menu-chinh"><ul><li><a href="/">Trang chủ</a></li>'
        '<li><a href="/tin-tuc/">Tin tức</a></li><li><a href="/cong-khai/">Công khai</a>'
        '<ul><li><a href="/cong-khai/tai-chinh/">Công khai tài chính</a></li></ul></li>'
        '<li><a href="/lien-he/">Liên hệ</a></li></ul></nav>')
SIDE = ('<aside class="cot-phai"><h3>Tin khác</h3><ul>'
        '<li><a href="/tin-tuc/le-khai-giang-9001.html">Lễ khai giảng</a> (05/09/2025)</li>'
        '<li><a href="/tin-tuc/hoi-thao-9002.html">Hội thảo</a> (12/03/2025)</li></ul></aside>')


def _posts() -> list[tuple[int, str, datetime]]:
    out = []
    for month, count in MONTHS:
        for i in range(count):
            pid = 100 + month * 10 + i
            out.append((pid, f"Hoạt động tháng {month} số {i + 1}",
                        datetime(2026, month, 2 + 2 * i, 8 + i, 5 * i)))
    return out


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title} - '
            f'Trường THCS Hoa Sen</title></head><body><header><div class="logo">Trường THCS '
            f'Hoa Sen</div>{MENU}</header>{SIDE}<div class="khung-giua">{body}</div>'
            '<footer>Trường THCS Hoa Sen, phường Hoa Sen. Cập nhật 01/01/2026.</footer>'
            '</body></html>')


def _post(title: str, when: datetime, readable: bool) -> str:
    shown = when.strftime("%d/%m/%Y %H:%M")
    text = "<p>Nhà trường tổ chức hoạt động cho học sinh toàn trường.</p>" * 3
    if readable:
        return _page(title, f'<div class="bai-viet"><h1>{title}</h1><p class="ngay">Cập nhật: '
                            f'{shown}</p><div class="noi-dung">{text}</div></div>')
    # The same post after a theme change: the title is a styled <div>, the date sits
    # below the text among the share buttons, far from anything that says "title".
    return _page(title, f'<div class="khung-3"><div class="tieu-de-lon">{title}</div>'
                        f'<div class="noi-dung">{text * 4}</div><div class="chia-se">Chia sẻ '
                        f'· Lượt xem 12 · {shown}</div></div>')


def site(readable: bool) -> dict[str, Reply]:
    posts = _posts()
    links = "".join(f'<li><a href="/tin-tuc/hoat-dong-{pid}.html">{title}</a></li>'
                    for pid, title, _ in posts)
    routes = {
        "/": Reply(200, _page("Trang chủ", f'<ul class="tin-moi">{links}</ul>')),
        "/tin-tuc/": Reply(200, _page("Tin tức", f'<ul class="ds-tin">{links}</ul>')),
        "/cong-khai/": Reply(200, _page("Công khai", '<ul><li><a href="/cong-khai/tai-chinh/">'
                                                    'Công khai tài chính</a></li></ul>')),
        "/cong-khai/tai-chinh/": Reply(200, _page("Công khai tài chính", "<p>Biểu mẫu.</p>")),
        "/lien-he/": Reply(200, _page("Liên hệ", "<p>Điện thoại 0225 000 000.</p>")),
    }
    for pid, title, when in posts:
        routes[f"/tin-tuc/hoat-dong-{pid}.html"] = Reply(200, _post(title, when, readable))
    return routes


def write_config(tmp_path: Path, school: str, extra: str = "") -> Path:
    """auditor.toml with only the posting rules enabled, so the exit code is theirs."""
    others = [rid for rid in load_ruleset().rules if rid not in POSTING_RULES]
    (tmp_path / "rules.toml").write_text(
        '[ruleset]\nextends = "qd111-thcs"\n\n'
        + "".join(f'[rules."{rid}"]\nenabled = false\n\n' for rid in others), encoding="utf-8")
    path = tmp_path / "auditor.toml"
    path.write_text(f"""[school]
name = "Trường THCS Hoa Sen"
url = "{school}"

[rules]
set = "rules.toml"

[crawl]
min_delay = 0
retries = 0
timeout = 5
max_documents = 0
cache = "{(tmp_path / 'crawl.sqlite').as_posix()}"
{extra}""", encoding="utf-8")
    return path


def check(capsys: pytest.CaptureFixture[str], tmp_path: Path, readable: bool,
          extra: str = "") -> tuple[int, dict[str, Any]]:
    with LoopbackServer(site(readable)) as school:
        config = write_config(tmp_path, school.base, extra)
        out = tmp_path / "report.json"
        code = main(["check", "--config", str(config), "--as-of", AS_OF, "--format", "json",
                     "--output", str(out), "--history", str(tmp_path / "h.sqlite"),
                     "--site", school.url("/")])
    _, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return code, json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[
        tuple[int, dict[str, Any]]]:
    yield check(capsys, tmp_path, True)


def test_generic_path_reads_the_posts_and_their_dates(
        readable: tuple[int, dict[str, Any]]) -> None:
    code, report = readable
    coverage = report["coverage"]["site"]
    total = sum(n for _, n in MONTHS)
    assert coverage["pages_like_posts"] == total
    assert coverage["posts_read"] == total and coverage["posts_dated"] == total
    assert coverage["fields"]["title"] == total
    rules = {r["id"]: r for r in report["rules"]}
    # Dates read right (not the side list's 2025 dates): August is judged short with 3 posts.
    assert rules["posts.monthly-quota"]["status"] == "fail"
    [august] = [f for f in report["findings"] if f["rule"] == "posts.monthly-quota"
                and f["month"] == "2026-08"]
    assert august["evidence"]["published"] == 3
    assert not [f for f in report["findings"] if f["rule"] == "posts.monthly-quota"
                and f["month"] in ("2026-09", "2026-10")]
    assert code == 1
    assert any(n.startswith("Độ phủ trích xuất: 30 trang có dạng tin bài") for n in
               report["notices"])


def test_unreadable_theme_gives_not_checked_with_the_figures(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = check(capsys, tmp_path, False)
    coverage = report["coverage"]["site"]
    assert coverage["pages_like_posts"] == sum(n for _, n in MONTHS)
    assert coverage["posts_dated"] == 0
    rules = {r["id"]: r for r in report["rules"]}
    for rule in POSTING_RULES:
        assert rules[rule]["status"] == "not_checked", rule
        assert not [f for f in report["findings"] if f["rule"] == rule]
    reason = rules["posts.monthly-quota"]["reason"]
    assert "0/30" in reason and "auditor site inspect" in reason
    assert code != 1  # no violation on the posting rules' account


def test_suggested_selectors_make_the_unreadable_theme_judged_again(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`auditor site inspect --suggest` on one post, pasted into auditor.toml: the crawl
    reads every post's date again and the posting rules give a verdict."""
    with LoopbackServer(site(False)) as school:
        main(["site", "inspect", school.url("/tin-tuc/hoat-dong-180.html"), "--suggest"])
    out, _ = capsys.readouterr()
    block = out[out.index("[site.selectors]"):]
    code, report = check(capsys, tmp_path, False, extra=block)
    coverage = report["coverage"]["site"]
    assert coverage["posts_dated"] == coverage["pages_like_posts"] == 30
    rules = {r["id"]: r for r in report["rules"]}
    assert rules["posts.monthly-quota"]["status"] == "fail"  # August: 3 posts
    assert code == 1
