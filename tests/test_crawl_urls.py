"""Canonical URLs, trap shapes, charset decoding and sitemap/feed parsing (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from auditor.crawl.charset import decode_body
from auditor.crawl.discover import html_links, parse_feed, parse_sitemap
from auditor.crawl.urls import canonicalize, dedup_key, listing_key, post_id, url_shape

B = "https://thcsdemo.haiphong.edu.vn"


@pytest.mark.parametrize(("raw", "expected"), [
    ("HTTPS://THCSDemo.HaiPhong.edu.vn:443", B + "/"),
    (B + "/a/./b/../c#muc-1", B + "/a/c"),
    (B + "/tim?b=2&a=1", B + "/tim?a=1&b=2"),
    (B + "/tim?a=1&utm_source=zalo&utm_medium=x&fbclid=1&gclid=2", B + "/tim?a=1"),
    (B + "/tin;jsessionid=A1B2C3?x=1", B + "/tin?x=1"),
    (B + "/tin?PHPSESSID=abc&sid=9&x=1", B + "/tin?x=1"),
    (B + "/(S(lit3py55t21z5v55vlm25s55))/tin.aspx", B + "/tin.aspx"),
    (B + "/tin-tuc/khai-giang/ctmb/12/345", B + "/tin-tuc/khai-giang/ct/12/345"),
    (B + "/tin-tuc/khai-giang/ctfull/12/345/", B + "/tin-tuc/khai-giang/ct/12/345"),
    (B + "/gi%E1%BB%9Bi-thi%E1%BB%87u", B + "/gi%E1%BB%9Bi-thi%E1%BB%87u"),
    (B + "/giới-thiệu", B + "/gi%E1%BB%9Bi-thi%E1%BB%87u"),
    ("http://thcsdemo.haiphong.edu.vn:8080/x", "http://thcsdemo.haiphong.edu.vn:8080/x"),
    ("mailto:bbt@thcsdemo.edu.vn", None),
    ("javascript:void(0)", None),
    ("ftp://thcsdemo.edu.vn/a", None),
])
def test_canonicalize(raw: str, expected: str | None) -> None:
    assert canonicalize(raw) == expected


def test_relative_links_resolve_against_base() -> None:
    assert canonicalize("../van-ban/c/3?page=2#x", B + "/tin-tuc/c/5") == (
        B + "/tin-tuc/van-ban/c/3?page=2")
    assert canonicalize("/van-ban", B + "/tin-tuc/c/5") == B + "/van-ban"


def test_post_id_dedup_across_variants_and_slugs() -> None:
    urls = [B + "/tin-tuc/khai-giang/ct/12/345", B + "/tin-tuc/khai-giang/ctmb/12/345",
            B + "/hoat-dong/khai-giang-2026/ctfull/7/345"]
    assert {dedup_key(canonicalize(u) or "") for u in urls} == {"thcsdemo.haiphong.edu.vn#post:345"}
    assert post_id(urls[2]) == "345" and post_id(B + "/tin-tuc/c/5") is None
    assert dedup_key(B + "/gioi-thieu") == B + "/gioi-thieu"


def test_listing_keys_ignore_the_page_number() -> None:
    assert listing_key(B + "/tin-tuc/c/5") == listing_key(B + "/tin-tuc/c/5/3") is not None
    assert listing_key(B + "/tin?page=2&cat=1") == listing_key(B + "/tin?cat=1&page=9")
    assert listing_key(B + "/category/tin/page/4/") == listing_key(B + "/category/tin/page/2")
    assert listing_key(B + "/gioi-thieu") is None


def test_calendar_and_pagination_shapes() -> None:
    a, cal_a = url_shape(B + "/lich?thang=2026-11")
    b, cal_b = url_shape(B + "/lich?thang=2027-03")
    assert a == b and cal_a and cal_b
    assert url_shape(B + "/lich/2026/11/")[1]
    p1, cal = url_shape(B + "/tin?page=2")
    assert p1 == url_shape(B + "/tin?page=300")[0] and not cal
    assert url_shape(B + "/tin-tuc/bai-a/ct/5/1")[0] != url_shape(B + "/tin-tuc/bai-b/ct/5/2")[0]


VIET = "Trường THCS Ngọc Hải — Công khai"


@pytest.mark.parametrize(("body", "content_type", "text", "encoding"), [
    (VIET.encode("utf-8"), "text/html; charset=UTF-8", VIET, "utf-8"),
    (VIET.encode("utf-8"), "text/html; charset=iso-8859-1", VIET, "utf-8"),  # wrong declaration
    (VIET.encode("utf-8"), None, VIET, "utf-8"),
    (b"\xef\xbb\xbf" + VIET.encode("utf-8"), "text/html; charset=windows-1252", VIET, "utf-8"),
    ("Café au lait".encode("cp1252"), "text/html; charset=iso-8859-1", "Café au lait", "cp1252"),
    (b'<meta charset="windows-1258">Tr\xfd\xf5\xccng', "text/html", "Trường", "cp1258"),
    (b"Tr\xfd\xf5\xccng THCS Ngo\xf2c", None, "Trường THCS Ngọc", "cp1258"),  # detected
])
def test_decode_body(body: bytes, content_type: str | None, text: str, encoding: str) -> None:
    decoded, used, _ = decode_body(body, content_type)
    assert text in decoded and used == encoding


def test_utf8_cut_mid_character_in_a_truncated_body() -> None:
    body = VIET.encode("utf-8")[:3]  # "Tr" and the first of ư's two bytes
    text, encoding, _ = decode_body(body, "text/html; charset=utf-8", truncated=True)
    assert encoding == "utf-8" and text == "Tr"


def test_sitemap_index_and_urlset() -> None:
    index = parse_sitemap(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>/s1.xml</loc><lastmod>2026-10-01</lastmod></sitemap></sitemapindex>", B)
    assert index.is_index and index.entries[0].url == B + "/s1.xml"
    urlset = parse_sitemap(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> ' + B
        + "/a </loc><lastmod>2026-11-20T08:00:00+07:00</lastmod></url><url><loc>" + B
        + "/b</loc></url></urlset>", B)
    assert not urlset.is_index
    assert [(e.url, e.lastmod) for e in urlset.entries] == [
        (B + "/a", datetime(2026, 11, 20, 1, 0, tzinfo=UTC)), (B + "/b", None)]
    assert parse_sitemap("không phải XML", B).entries == ()


def test_feeds_and_html_links() -> None:
    rss = ("<rss><channel><item><link>/tin/1</link></item>"
           "<item><link>/tin/2</link></item></channel></rss>")
    assert parse_feed(rss, B) == [B + "/tin/1", B + "/tin/2"]
    atom = ('<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" href="/a"/>'
            '<link rel="edit" href="/edit"/></entry></feed>')
    assert parse_feed(atom, B) == [B + "/a"]
    page = ('<html><head><base href="/goc/"><link rel="alternate" type="application/rss+xml" '
            'href="/rss/"></head><body><a href="x">x</a><a href="#top">t</a>'
            '<a href="mailto:a@b.vn">m</a><area href="/ban-do"><a href="x">again</a></body></html>')
    assert html_links(page, B + "/tin/") == [B + "/goc/x", B + "/ban-do", B + "/rss/"]


def test_retry_after_seconds_and_http_date() -> None:
    import email.utils
    import time

    from auditor.crawl.fetch import _retry_after

    assert _retry_after("7") == 7.0
    soon = email.utils.formatdate(time.time() + 30, usegmt=True)
    value = _retry_after(soon)
    assert value is not None and 25 <= value <= 31
    assert _retry_after(email.utils.formatdate(time.time() - 60, usegmt=True)) == 0.0
    assert _retry_after("không phải ngày") is None and _retry_after(None) is None


def test_scope_includes_the_www_twin_only() -> None:
    from auditor.crawl.urls import in_scope, with_www_twins

    hosts = with_www_twins(frozenset({"thcsdemo.haiphong.edu.vn", "127.0.0.1:8080"}))
    assert hosts == {"thcsdemo.haiphong.edu.vn", "www.thcsdemo.haiphong.edu.vn", "127.0.0.1:8080"}
    assert in_scope("https://www.thcsdemo.haiphong.edu.vn/tin", hosts)
    assert in_scope("http://thcsdemo.haiphong.edu.vn/tin", hosts)
    assert not in_scope("https://thcsdemo.haiphong.edu.vn.evil.example/", hosts)
    assert not in_scope("https://haiphong.edu.vn/", hosts)
    assert with_www_twins(frozenset({"www.thcs.edu.vn"})) == {"www.thcs.edu.vn", "thcs.edu.vn"}
