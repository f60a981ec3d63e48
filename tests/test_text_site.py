"""text.tcvn6909 over a crawled site: menu labels, attachment names, legacy fonts in
styles and stylesheets, charset declarations, page titles."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from auditor.checks.interface import AuditContext
from auditor.config import parse_config
from auditor.engine import run_rule
from auditor.model import Post, PostStatus, Provenance
from auditor.people import Directory
from auditor.results import RuleStatus, Severity
from auditor.ruleset import load_ruleset
from auditor.site.snapshot import Attachment, NavItem, Page, SitePost, SiteSnapshot
from auditor.timeutil import Period, school_year, tz
from auditor.vntext import encode

BASE = "https://thcsthunghiem.haiphong.edu.vn"
ZONE = tz("Asia/Ho_Chi_Minh")


def _context(tmp_path: Path, site: SiteSnapshot | None, posts: tuple[Post, ...] | None
             ) -> AuditContext:
    config = parse_config({"school": {"name": "Trường THCS Thử Nghiệm", "url": BASE},
                           "departments": [{"name": "Tổ Toán - Tin",
                                            "members": [{"name": "Vũ Đức Thắng",
                                                         "accounts": ["vdthang"]}]}]},
                          "case", tmp_path)
    today = date(2026, 11, 26)
    year = school_year(today, 8, 1)
    return AuditContext(config=config, ruleset=load_ruleset(), period=Period(year.start, today),
                        span=Period(year.start, today), school_year=year,
                        as_of=datetime.combine(today, time(23, 0), tzinfo=ZONE), tz=ZONE,
                        directory=Directory(config), posts=posts, site=site)


def _page(path: str, html: str, title: str | None = None, **headers: str) -> Page:
    url = BASE + path
    return Page(url=url, status=200, final_url=url, content_type="text/html", kind="article",
                title=title, text=html, headers=headers)


def _site() -> SiteSnapshot:
    article = BASE + "/tin-tuc/thong-bao/ct/1021/7"
    post = Post(post_id="7", title="Thông báo lịch thi", status=PostStatus.PUBLISHED,
                url=article, author="vdthang", published_at=datetime(2026, 11, 10, 8, 0,
                                                                      tzinfo=ZONE),
                body="Nội dung sạch.", provenance=Provenance("site", url=article))
    attachment = Attachment(url=BASE + "/files/" + "K%E1%BA%BF ho%E1%BA%A1ch.pdf",
                            title=encode("Kế hoạch thi học kỳ", "tcvn3"))
    pages = {
        article: _page("/tin-tuc/thong-bao/ct/1021/7",
                       '<html><head><style>.nd{font-family:".VnTime", serif}</style></head>'
                       '<body><p class="nd">Nội dung sạch.</p></body></html>',
                       "Thông báo lịch thi"),
        BASE + "/": _page("/", '<html><head><meta http-equiv="Content-Type" '
                               'content="text/html; charset=windows-1258"></head>'
                               "<body>Trang chủ</body></html>", "Trang chủ"),
        BASE + "/gioi-thieu": _page("/gioi-thieu", "<html><body>Giới thiệu</body></html>",
                                    encode("Giới thiệu nhà trường", "vni")),
        BASE + "/sach": _page("/sach", "<html><body><p>Sạch © 2026</p></body></html>", "Sạch"),
    }
    nav = (NavItem("Trang chủ", BASE + "/"),
           NavItem("Tin tức", None, (NavItem(encode("Hoạt động chuyên môn", "tcvn3"),
                                             BASE + "/hd"),)))
    return SiteSnapshot(base_url=BASE + "/", profile="haiphong-edu", pages=pages,
                        site_posts=(SitePost(post=post, urls=(article,),
                                             attachments=(attachment,)),),
                        nav=nav)


def test_site_signals_menu_attachments_and_titles(tmp_path: Path) -> None:
    ctx = _context(tmp_path, _site(), None)
    result = run_rule(ctx.ruleset.rules["text.tcvn6909"], ctx)
    assert result.status is RuleStatus.FAIL
    by_subject = {f.subject: f for f in result.findings}
    assert set(by_subject) == {
        "menu:Tin tức › Ho¹t ®éng chuyªn m«n",
        "post:7:attachment-name:Kế hoạch.pdf",
        "post:7:page",
        f"page:{BASE}/",
        f"page:{BASE}/gioi-thieu",
    }
    menu = by_subject["menu:Tin tức › Ho¹t ®éng chuyªn m«n"]
    assert menu.evidence["fix"] == "Hoạt động chuyên môn" and menu.evidence["encoding"] == "tcvn3"
    att = by_subject["post:7:attachment-name:Kế hoạch.pdf"]
    assert att.person == "Vũ Đức Thắng" and att.department == "Tổ Toán - Tin"
    assert att.evidence["fix"].startswith("Kế hoạch thi học kỳ")
    font = by_subject["post:7:page"]
    assert font.severity is Severity.VIOLATION
    assert font.evidence["signals"] == ["phông chữ cũ “.VnTime” (stylesheet)"]
    home = by_subject[f"page:{BASE}/"]
    assert "windows-1258" in home.message and home.person is None
    assert by_subject[f"page:{BASE}/gioi-thieu"].evidence["encoding"] == "vni"


def test_charset_from_http_header(tmp_path: Path) -> None:
    page = _page("/", "<html><body>Trang chủ</body></html>", "Trang chủ",
                 **{"Content-Type": "text/html; charset=ISO-8859-1"})
    site = SiteSnapshot(base_url=BASE + "/", profile="generic", pages={page.url: page})
    ctx = _context(tmp_path, site, None)
    (finding,) = run_rule(ctx.ruleset.rules["text.tcvn6909"], ctx).findings
    assert finding.evidence["signals"] == ["khai báo bảng mã iso-8859-1"]


def test_clean_site_passes(tmp_path: Path) -> None:
    page = _page("/", '<html><head><meta charset="utf-8"></head><body style="font-family:'
                      'Arial">Trường THCS — « Bonjour » Müller ½</body></html>', "Trang chủ")
    site = SiteSnapshot(base_url=BASE + "/", profile="generic", pages={page.url: page},
                        nav=(NavItem("Giới thiệu", BASE + "/gt"),))
    ctx = _context(tmp_path, site, ())
    result = run_rule(ctx.ruleset.rules["text.tcvn6909"], ctx)
    assert result.status is RuleStatus.PASS and result.findings == ()


def test_post_body_html_with_vntime_span(tmp_path: Path) -> None:
    body = ('<p>Sáng nay, <span style="font-family: .VnTime">'
            + encode("học sinh khối 9 tham gia buổi ngoại khóa", "tcvn3") + "</span>.</p>")
    post = Post(post_id="5", title="Ngoại khóa", status=PostStatus.PUBLISHED, body=body,
                author="vdthang", published_at=datetime(2026, 11, 3, 9, 0, tzinfo=ZONE))
    ctx = _context(tmp_path, None, (post,))
    (finding,) = run_rule(ctx.ruleset.rules["text.tcvn6909"], ctx).findings
    assert finding.subject == "post:5:body"
    assert finding.evidence["fix"] == "Sáng nay, học sinh khối 9 tham gia buổi ngoại khóa."
    assert finding.evidence["signals"] == ["phông chữ cũ “.VnTime” (style)"]
    assert finding.on == date(2026, 11, 3)


def test_stylesheet_kept_by_the_crawl(tmp_path: Path) -> None:
    url = BASE + "/css/site.css"
    css = Page(url=url, status=200, final_url=url, content_type="text/css", kind="other",
               text="body{font-family:Arial} .tieu-de{font:bold 14pt '.VnTimeH'}")
    site = SiteSnapshot(base_url=BASE + "/", profile="generic", pages={url: css})
    ctx = _context(tmp_path, site, None)
    (finding,) = run_rule(ctx.ruleset.rules["text.tcvn6909"], ctx).findings
    assert finding.subject == f"page:{url}"
    assert finding.evidence["signals"] == ["phông chữ cũ “.VnTimeH” (stylesheet)"]
