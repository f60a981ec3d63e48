"""Other platforms end to end: a small WordPress and a small NukeViet site, served on
127.0.0.1 by the demo server, crawled over HTTP, the profile detected from the pages."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from auditor.config import parse_config
from auditor.crawl import settings_for
from auditor.site.demo_server import serve_site
from auditor.site.load import load_site
from auditor.site.snapshot import SiteSnapshot

WP_HEAD = ('<meta charset="utf-8"><meta name="generator" content="WordPress 6.5.2">'
           '<link rel="https://api.w.org/" href="/wp-json/">')
WP_MENU = ('<nav class="main-navigation"><ul id="primary-menu" class="menu">'
           '<li><a href="/">Trang chủ</a></li><li><a href="/category/tin-tuc/">Tin tức</a></li>'
           '<li><a href="/cong-khai/">Ba công khai</a><ul class="sub-menu">'
           '<li><a href="/cong-khai/bieu-mau-09/">Biểu mẫu 09</a></li></ul></li></ul></nav>')


def _write(root: Path, path: str, text: str) -> None:
    target = root / path.strip("/") / "index.html" if not path.endswith(".xml") else (
        root / path.strip("/"))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def _wp_post(pid: int, slug: str, title: str, iso: str, shown: str, author: str) -> str:
    return (f"<!DOCTYPE html><html lang='vi'><head>{WP_HEAD}"
            f"<meta property='og:type' content='article'><title>{title}</title></head>"
            f"<body class='post-template-default single single-post postid-{pid}'>{WP_MENU}"
            f"<article id='post-{pid}'><h1 class='entry-title'>{title}</h1>"
            f"<div class='entry-meta'><time class='entry-date published' datetime='{iso}'>"
            f"{shown}</time><span class='byline'><span class='tac-gia'>{author}</span></span>"
            f"</div><div class='entry-content'><p>Nội dung {title}.</p></div>"
            f"<span class='cat-links'><a href='/category/tin-tuc/' rel='category tag'>Tin tức"
            f"</a></span></article></body></html>")


def wordpress_site(root: Path) -> None:
    posts = [
        (101, "/2026/10/khai-giang/", "Lễ khai giảng", "2026-09-05T08:00:00+07:00",
         "05/09/2026", "Phạm Lan"),
        (102, "/2026/11/ngay-nha-giao/", "Kỷ niệm ngày Nhà giáo", "2026-11-20T16:00:00+07:00",
         "20/11/2026", "Ngô Minh"),
        (103, "/2026/11/an-khoi-danh-sach/", "Bài không có trong danh sách",
         "2026-11-21T09:00:00+07:00", "21/11/2026", "Ngô Minh"),
    ]
    for pid, path, title, iso, shown, author in posts:
        _write(root, path, _wp_post(pid, path, title, iso, shown, author))
    listing = "".join(f"<article><h2 class='entry-title'><a href='{p[1]}'>{p[2]}</a></h2>"
                      f"</article>" for p in posts[:2])
    page = (f"<!DOCTYPE html><html lang='vi'><head>{WP_HEAD}<title>Trường THCS Ví Dụ</title>"
            f"</head><body class='home blog'>{WP_MENU}{listing}</body></html>")
    _write(root, "/", page)
    _write(root, "/category/tin-tuc/", page)
    _write(root, "/cong-khai/", f"<html><head>{WP_HEAD}</head><body>{WP_MENU}"
           "<h2 class='entry-title'><a href='/cong-khai/bieu-mau-09/'>Biểu mẫu 09</a></h2>"
           "</body></html>")
    _write(root, "/cong-khai/bieu-mau-09/", f"<html><head>{WP_HEAD}</head><body>{WP_MENU}"
           "<div class='entry-content'><a href='/wp-content/uploads/bm09.pdf'>Tải</a></div>"
           "</body></html>")


def crawl(root: Path, raw: dict[str, object], tmp: Path) -> SiteSnapshot:
    config = parse_config(raw, "auditor.toml", tmp)
    with serve_site(root) as running:
        settings = replace(settings_for(config, running.url), polite=False, min_delay=0.0,
                           cache_path=tmp / "cache.sqlite")
        return load_site(config, url=running.url, settings=settings,
                         cache_path=tmp / "cache.sqlite")


def test_wordpress_site_is_detected_and_read(tmp_path: Path) -> None:
    root = tmp_path / "wp"
    wordpress_site(root)
    raw = {"school": {"name": "Trường THCS Ví Dụ"},
           "site": {"selectors": {"author": ".byline .tac-gia"}}}  # the school's own selector
    snap = crawl(root, raw, tmp_path)
    assert snap.profile == "wordpress" and "WordPress 6.5.2" in snap.profile_reason
    by_id = {sp.post_id: sp for sp in snap.site_posts}
    assert set(by_id) == {"101", "102"}  # 103 is linked from nowhere: the crawl never sees it
    post = by_id["102"]
    assert post.post.title == "Kỷ niệm ngày Nhà giáo" and post.post.author == "Ngô Minh"
    assert post.post.category == "Tin tức" and post.listed
    assert post.meta_published_text == "2026-11-20T16:00:00+07:00"
    assert post.visible_date_text == "20/11/2026" and not post.dates_disagree
    assert snap.disclosure is not None and snap.disclosure.menu_title == "Ba công khai"
    assert [i.title for i in snap.disclosure.items] == ["Biểu mẫu 09"]
    assert snap.disclosure.items[0].status == 200


def test_export_address_finds_an_unlisted_wordpress_post(tmp_path: Path) -> None:
    root = tmp_path / "wp"
    wordpress_site(root)
    raw = {"school": {"name": "Trường THCS Ví Dụ"}, "site": {"profile": "wordpress"}}
    config = parse_config(raw, "auditor.toml", tmp_path)
    with serve_site(root) as running:
        settings = replace(settings_for(config, running.url), polite=False, min_delay=0.0,
                           cache_path=tmp_path / "c.sqlite")
        snap = load_site(config, url=running.url, settings=settings,
                         cache_path=tmp_path / "c.sqlite",
                         extra_urls=[running.url + "/2026/11/an-khoi-danh-sach/"])
    assert snap.profile_reason == "cấu hình [site] profile"
    hidden = snap.post("103")
    assert hidden is not None and not hidden.listed and not hidden.post.is_published


def test_nukeviet_site_is_detected_by_its_generator(tmp_path: Path) -> None:
    root = tmp_path / "nv"
    head = '<meta charset="utf-8"><meta name="generator" content="NukeViet v4.5">'
    menu = ('<div id="menu-site-default"><ul><li><a href="/">Trang chủ</a></li>'
            '<li><a href="/news/tin-tuc/">Tin tức</a></li>'
            '<li><a href="/news/cong-khai/">Công khai</a></li></ul></div>')
    _write(root, "/", f"<html><head>{head}</head><body>{menu}<div class='news_column'>"
           "<h3><a href='/news/tin-tuc/khai-giang-120.html'>Khai giảng</a></h3></div>"
           "</body></html>")
    (root / "news" / "tin-tuc").mkdir(parents=True, exist_ok=True)
    (root / "news" / "tin-tuc" / "khai-giang-120.html").write_text(
        f"<html><head>{head}</head><body>{menu}<div class='news_column'>"
        "<h1 class='title'>Khai giảng năm học mới</h1>"
        "<span class='h-date'>Thứ bảy - 05/09/2026 08:30</span>"
        "<div id='news-bodyhtml'>Sáng 05/9 nhà trường khai giảng.</div></div></body></html>",
        encoding="utf-8")
    snap = crawl(root, {"school": {"name": "Trường THCS Mai Vàng"}}, tmp_path)
    assert snap.profile == "nukeviet"
    post = snap.post("120")
    assert post is not None and post.visible_date_text == "Thứ bảy - 05/09/2026 08:30"
    assert post.post.published_at is not None and post.post.published_at.hour == 8
    assert post.date_source == "visible"


def test_configured_platform_feed_is_read_even_when_no_page_announces_it(
        tmp_path: Path) -> None:
    root = tmp_path / "nv"
    head = '<meta charset="utf-8"><meta name="generator" content="NukeViet v4.5">'
    _write(root, "/", f"<html><head>{head}</head><body><div class='news_column'>"
           "<h3><a href='/news/tin-tuc/khai-giang-120.html'>Khai giảng</a></h3></div>"
           "</body></html>")
    article = ("<html><head>{head}</head><body><div class='news_column'><h1 class='title'>"
               "{title}</h1><span class='h-date'>Thứ hai - 07/09/2026 08:30</span>"
               "<div id='news-bodyhtml'>Nội dung.</div></div></body></html>")
    folder = root / "news" / "tin-tuc"
    folder.mkdir(parents=True, exist_ok=True)
    for pid, title in ((120, "Khai giảng"), (121, "Chỉ có trong nguồn tin RSS")):
        (folder / f"bai-{pid}.html" if pid == 121 else folder / f"khai-giang-{pid}.html"
         ).write_text(article.format(head=head, title=title), encoding="utf-8")
    (root / "rss").mkdir()
    (root / "rss" / "index.xml").write_text(
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Tin</title>"
        "<item><title>RSS</title><link>/news/tin-tuc/bai-121.html</link></item>"
        "</channel></rss>", encoding="utf-8")
    raw = {"school": {"name": "Trường THCS Mai Vàng"}, "site": {"profile": "nukeviet"}}
    snap = crawl(root, raw, tmp_path)
    only_in_feed = snap.post("121")
    assert only_in_feed is not None and only_in_feed.listed
    auto = crawl(root, {"school": {"name": "Trường THCS Mai Vàng"}}, tmp_path / "auto")
    assert auto.post("121") is None  # not configured: nothing announces the feed


def test_home_redirected_to_the_www_host_keeps_its_links(tmp_path: Path) -> None:
    """A crawl result where the school's address redirects to www.: posts stay listed."""
    from datetime import UTC, datetime

    from auditor.crawl import CrawlResult, CrawlStats, FetchedPage
    from auditor.profiles import load_profile
    from auditor.site.build import build_snapshot
    from auditor.timeutil import tz

    now = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    home = FetchedPage(
        url="https://thcsx.haiphong.edu.vn/", requested_url="https://thcsx.haiphong.edu.vn/",
        final_url="https://www.thcsx.haiphong.edu.vn/", status=200, headers={},
        content_type="text/html", size=10, fetched_at=now, elapsed=0.1,
        redirect_chain=("https://thcsx.haiphong.edu.vn/",),
        text="<html><body><a href='/tin/bai/ct/1/7'>Bài</a></body></html>")
    post = FetchedPage(
        url="https://www.thcsx.haiphong.edu.vn/tin/bai/ct/1/7",
        requested_url="https://www.thcsx.haiphong.edu.vn/tin/bai/ct/1/7",
        final_url="https://www.thcsx.haiphong.edu.vn/tin/bai/ct/1/7", status=200, headers={},
        content_type="text/html", size=10, fetched_at=now, elapsed=0.1,
        text="<html><body><div class='news-detail'><h1 class='title'>Bài</h1>"
             "<span class='post-date'>24/11/2026 08:15</span></div></body></html>")
    result = CrawlResult(seeds=(home.url,), pages={home.url: home, post.url: post},
                         stats=CrawlStats())
    snap = build_snapshot(result, profile=load_profile("haiphong-edu"), profile_reason="",
                          zone=tz())
    found = snap.post("7")
    assert found is not None and found.listed and found.post.is_published
    assert snap.pages[home.url].redirects == ("https://thcsx.haiphong.edu.vn/",)
