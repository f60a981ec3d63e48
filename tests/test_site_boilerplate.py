"""Blocks most crawled pages repeat (menus, side bars, footers) stay out of post fields."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from auditor.config import parse_config
from auditor.crawl import settings_for
from auditor.site.boilerplate import BlockCounter, strip_body
from auditor.site.extract import parse_html
from auditor.site.load import load_site
from tests.loopback import LoopbackServer
from tests.test_site_unknown_theme import site


def test_fields_that_are_site_wide_blocks_become_unknown(tmp_path: Path) -> None:
    # Loose selectors a school might write: the author in the page footer, the body as
    # the whole page (header, menu, side list, post, footer).
    raw = {"school": {"name": "Trường THCS Hoa Sen"},
           "site": {"profile": "generic", "selectors": {"author": ["footer"],
                                                        "body": ["body"]}}}
    with LoopbackServer(site(True)) as school:
        config = parse_config({**raw, "school": {**raw["school"], "url": school.base}},
                              "auditor.toml", tmp_path)
        settings = replace(settings_for(config, school.url("/")), polite=False,
                           min_delay=0.0, cache_path=tmp_path / "c.sqlite")
        snap = load_site(config, url=school.url("/"), settings=settings,
                         cache_path=tmp_path / "c.sqlite")
    post = snap.post("/tin-tuc/hoat-dong-180.html")
    assert post is not None
    assert post.post.author is None  # the footer is on every page: not an author
    body = post.post.body or ""
    assert "Nhà trường tổ chức hoạt động" in body
    for repeated in ("Tin khác", "Lễ khai giảng", "Liên hệ", "phường Hoa Sen"):
        assert repeated not in body, repeated
    assert snap.coverage is not None and snap.coverage.fields.author == 0


def test_a_block_on_few_pages_is_not_boilerplate() -> None:
    counter = BlockCounter()
    menu = "<nav class='m'><ul><li>Trang chủ</li><li>Tin tức nhà trường</li></ul></nav>"
    for i in range(10):
        own = f"<div class='rieng'>Bài thứ {i} của trang web.</div>" if i < 2 else ""
        counter.add_page(parse_html(f"<html><body>{menu}{own}</body></html>"))
    common = counter.common()
    assert hash("Trang chủ Tin tức nhà trường") in common
    assert hash("Bài thứ 0 của trang web.") not in common
    assert strip_body("Trang chủ Tin tức nhà trường Nội dung riêng",
                      ("Trang chủ Tin tức nhà trường", "Nội dung riêng"), common) == (
        "Nội dung riêng")
