"""Word attachments are fetched after the crawl, from the crawled host only."""

from __future__ import annotations

from pathlib import Path

from auditor.crawl import CrawlSettings
from auditor.model import Post
from auditor.site.documents import fetch_documents
from auditor.site.snapshot import Attachment, SitePost, SiteSnapshot
from tests.loopback import LoopbackServer, Reply

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SHOWN = "https://thcsthunghiem.haiphong.edu.vn"


def snapshot(*urls: str) -> SiteSnapshot:
    post = Post(post_id="1", title="Kế hoạch", url=f"{SHOWN}/a/b/ct/1/1")
    atts = tuple(Attachment(url=u) for u in urls)
    return SiteSnapshot(base_url=SHOWN, profile="generic",
                        site_posts=(SitePost(post=post, attachments=atts),))


def test_documents_come_from_the_served_host_and_are_filed_under_the_shown_address() -> None:
    routes = {"/uploads/ke-hoach.docx": Reply(200, b"PK\x03\x04 docx bytes", content_type=DOCX),
              "/uploads/mat.docx": Reply(404, b"", content_type=None),
              "/uploads/lon.docx": Reply(200, b"x" * 5000, content_type=DOCX)}
    with LoopbackServer(routes) as server:
        snap = snapshot(f"{SHOWN}/uploads/ke-hoach.docx", f"{SHOWN}/uploads/mat.docx",
                        f"{SHOWN}/uploads/lon.docx", f"{SHOWN}/uploads/anh.jpg",
                        "https://another-host.invalid/uploads/ngoai.docx")
        found = fetch_documents(snap, CrawlSettings(max_bytes=4096, polite=False),
                                served=server.url("/"), shown=SHOWN, limit=10)
        asked = sorted(r.path for r in server.log)
    assert found.found == {f"{SHOWN}/uploads/ke-hoach.docx": b"PK\x03\x04 docx bytes"}
    # The 404 and the over-long file were asked for; the picture and the other host never.
    assert asked == ["/robots.txt", "/uploads/ke-hoach.docx", "/uploads/lon.docx",
                     "/uploads/mat.docx"]
    refused = found.refused
    assert list(refused) == [f"{SHOWN}/uploads/lon.docx"]
    vi, en = refused[f"{SHOWN}/uploads/lon.docx"]
    assert "4,096 byte" in vi and "4,096-byte limit" in en


def test_the_limit_bounds_the_requests() -> None:
    routes = {f"/u/{i}.docx": Reply(200, b"PK", content_type=DOCX) for i in range(5)}
    with LoopbackServer(routes) as server:
        snap = snapshot(*(f"{SHOWN}/u/{i}.docx" for i in range(5)))
        found = fetch_documents(snap, CrawlSettings(polite=False), served=server.url("/"),
                                shown=SHOWN, limit=2)
        assert len(server.requests()) == 3  # robots.txt and two documents
    assert len(found.found) == 2 and not found.refused


def test_a_second_run_asks_conditionally_and_downloads_nothing(tmp_path: Path) -> None:
    from tests.loopback import static_site

    body = b"PK\x03\x04" + b"w" * 20_000
    routes = static_site({"/u/a.docx": (DOCX, body)})
    cache = tmp_path / "crawl.sqlite"
    with LoopbackServer(routes) as server:
        snap = snapshot(f"{SHOWN}/u/a.docx")
        first = fetch_documents(snap, CrawlSettings(), served=server.url("/"), shown=SHOWN,
                                limit=5, cache_path=cache)
        sent_first = sum(r.bytes_sent for r in server.requests("/u/a.docx"))
        second = fetch_documents(snap, CrawlSettings(), served=server.url("/"), shown=SHOWN,
                                 limit=5, cache_path=cache)
        sent_second = sum(r.bytes_sent for r in server.requests("/u/a.docx")) - sent_first
        statuses = [r.status for r in server.log if r.path != "/robots.txt"]
    assert first.found == second.found == {f"{SHOWN}/u/a.docx": body}
    assert statuses == [200, 304]
    assert sent_first >= 20_000 and sent_second == 0
