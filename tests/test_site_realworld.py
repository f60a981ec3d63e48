"""The platform profiles on real markup (../shared/realworld), field by field.

Every expected value below was written by hand from reading the page, not from
the extractor's output. The pages are not copied into the repository: where
../shared/realworld is absent (a user's clone) these tests skip, saying so.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from auditor.profiles import load_profile
from auditor.site.build import read_post
from auditor.site.disclosure import find_in_menu
from auditor.site.extract import ArticleData, navigation, parse_html
from auditor.site.snapshot import NavItem
from auditor.timeutil import tz

REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld"
ZONE = tz()
pytestmark = pytest.mark.skipif(
    not REALWORLD.is_dir(),
    reason=f"real platform markup not found at {REALWORLD} (CI has ../shared/realworld "
           "beside the checkout; a user's clone does not)",
)

BONGSEN = ("haiphong-edu/hcm_mgbongsen_post_ct_888573.html",
           "https://mgbongsen.hcm.edu.vn/thuc-don-tuan/thuc-don-tuan-4-thang-9-tu-ngay-2192026-"
           "den-ngay-2592026/ct/76732/888573")
NGOSILIEN = ("haiphong-edu/hcm_ngosilien_post_ct_760311_fragment.html",
             "https://thcsngosilien.hcm.edu.vn/thong-bao/thuc-don-ban-tru-tuan-2/ct/76000/760311")
BINHTHANH = ("haiphong-edu/hcm_mn11bbinhthanh_post_ct_891308_excerpt.html",
             "https://mn11bbinhthanh.hcm.edu.vn/nam-hoc-2026-2027/thuc-don-cua-be-ngay-01102026"
             "/ct/111160/891308")
NUKEVIET = ("nukeviet/detail_rendered.html",
            "https://thcsvidu.example.edu.vn/thong-bao/thong-bao-hop-cha-me-hoc-sinh-dau-nam-hoc"
            "-123.html")
TT1 = ("wordpress/tt1_single_rendered.html",
       "https://thvidu.example.edu.vn/2026/11/24/thong-bao-hop-phu-huynh/")
TT5 = ("wordpress/tt5_single_rendered.html",
       "https://thvidu.example.edu.vn/2026/11/24/thong-bao-hop-phu-huynh/")


def _read(profile: str, page: tuple[str, str]) -> tuple[ArticleData, str]:
    soup = parse_html((REALWORLD / page[0]).read_text(encoding="utf-8"))
    found = read_post(page[1], soup, load_profile(profile), ZONE)
    assert found is not None, f"{page[0]} is not read as a post"
    return found


def _menu(profile: str, page: tuple[str, str]) -> tuple[NavItem, ...]:
    soup = parse_html((REALWORLD / page[0]).read_text(encoding="utf-8"))
    return navigation(soup, page[1], load_profile(profile))


def _at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=ZONE)  # type: ignore[misc]


# --- haiphong-edu (real pages of the shared education portal) ----------------------------

def test_bongsen_post_fields() -> None:
    data, post_id = _read("haiphong-edu", BONGSEN)
    assert post_id == "888573"
    assert data.title == "Thực đơn tuần 4 tháng 9 (Từ ngày 21/9/2026 đến ngày 25/9/2026)"
    # The post's own date with its time, not a related post's 14/9.
    assert data.published is not None and data.published.value == _at(2026, 9, 21, 16, 36)
    assert data.visible_date_text == "Thứ hai, 21/9/2026, 16:36 , Lượt đọc : 73"
    assert data.meta_date is None  # og:type website, no datePublished
    assert data.category == "Thực đơn tuần"
    # Only "Nguồn tin: …" is printed: no author, not the school from meta[name=author].
    assert data.author is None
    # The body is the menu table, not the left menu or the visit counter.
    assert data.body is not None and data.body.startswith("TRƯỜNG MẦM NON BÔNG SEN THỰC ĐƠN")
    assert "Thống kê truy cập" not in data.body and "DANH MỤC" not in data.body
    assert data.attachments == ()


def test_bongsen_main_menu_and_disclosure_entry() -> None:
    menu = _menu("haiphong-edu", BONGSEN)
    # The main menu, not the top bar ("Phường An Phú Đông", "Khối Mầm Non").
    assert [m.title for m in menu] == [
        "Công khai", "Trường học hạnh phúc", "Tin tức sự kiện", "Thông báo", "Chi bộ",
        "Công đoàn", "Chi Đoàn", "Thực đơn tuần", "Truyền thông", "liên hệ"]
    found = find_in_menu(menu, load_profile("haiphong-edu").disclosure_titles)
    assert found is not None
    entry = found[1]
    assert entry.url == "https://mgbongsen.hcm.edu.vn/cong-khai/c/99522"
    assert [(c.title, c.url) for c in entry.children] == [
        ("Công khai 2025-2026", "https://mgbongsen.hcm.edu.vn/cong-khai-2025-2026/c/108188")]


def test_ngosilien_post_fields() -> None:
    data, post_id = _read("haiphong-edu", NGOSILIEN)
    assert post_id == "760311"
    assert data.title == "Thực đơn bán trú - Tuần 2 (2026-2027)"
    assert data.published is not None and data.published.value == _at(2026, 9, 20, 17, 58)
    assert data.category is None  # the fragment has no breadcrumb
    assert data.author == "THCS Ngô Sĩ Liên"  # "Tác giả: " is a label, not the name
    assert data.body is None  # .qicontentdetail is empty: the post is its PDF
    assert [a.url for a in data.attachments] == [
        "https://filethcs.hcm.shieldix.app/data/doc/2026/thcsngosilien/danghoan83/2026_9/20/"
        "thcs-ngo-si-lien_209202617.pdf"]
    assert data.attachments[0].title == "Tải file : thcs-ngo-si-lien.pdf"


def test_binhthanh_post_fields() -> None:
    data, post_id = _read("haiphong-edu", BINHTHANH)
    assert post_id == "891308"
    assert data.title == "Thực đơn của bé ngày 01/10/2026"
    # 1/10 21:08, not the related posts' 30/9 and 25/9.
    assert data.published is not None and data.published.value == _at(2026, 10, 1, 21, 8)
    assert data.category == "Năm học 2026-2027"
    assert data.author == "Phạm Thị Ngọc Hân"
    assert data.body is None
    assert data.attachments == ()


def test_binhthanh_menu_with_its_seven_item_disclosure_submenu() -> None:
    menu = _menu("haiphong-edu", BINHTHANH)
    assert [m.title for m in menu] == [
        "Giới thiệu", "Tin tức sự kiện", "Công tác chăm sóc nuôi dưỡng",
        "Công tác chăm sóc Giáo dục", "Cải cách hành chính", "CÔNG KHAI", "liên hệ"]
    news = menu[1]
    assert news.children[-1].url == (
        "https://mn11bbinhthanh.hcm.edu.vn/thong-tin-phap-luat/vbplus/33772/0/0/0")
    found = find_in_menu(menu, load_profile("haiphong-edu").disclosure_titles)
    assert found is not None
    entry = found[1]
    assert (entry.title, entry.url) == (
        "CÔNG KHAI", "https://mn11bbinhthanh.hcm.edu.vn/cong-khai/c/77684")
    assert [c.title for c in entry.children] == [
        "Công khai các khoản thu", "Công khai chất lượng hoạt động giáo dục",
        "Công khai cải tiến chất lượng", "Công khai dự toán và quyết toán",
        "Công khai đấu thầu", "Công khai sửa chữa", "Xếp loại viên chức, người lao động"]
    assert [c.title for c in entry.children[3].children] == [
        "Năm học 2025-2026", "Năm học 2024-2025"]


def test_haiphong_url_shapes_from_real_urls() -> None:
    hp = load_profile("haiphong-edu")
    kind, groups = hp.url_kind(
        "/0-vb-cua-bo/cong-van-so-7791bgddt-gdtrh-vv-thuc-hien-kiem-tra-danh-gia-doi-voi-cap-"
        "thcs-thpt/vbctmb/20200/288837")
    assert (kind, groups["post_id"], groups["category_id"]) == ("document", "288837", "20200")
    assert hp.url_kind("/thong-tin-phap-luat/vbplus/33772/0/0/0")[0] == "list"
    for shape in ("ct", "ctmb", "ctfull"):
        kind, groups = hp.url_kind(f"/theo-dong-lich-su/bai/{shape}/104857/693958")
        assert (kind, groups["post_id"]) == ("article", "693958")
    assert hp.url_kind("/vbctmb/1024/15134")[0] == "document"  # the demo's root form
    assert hp.url_kind("/dsdonvi.aspx?codekhoi=MN")[0] == "skip"


# --- NukeViet 4.5 (real templates, invented content) ------------------------------------

def test_nukeviet_detail_fields() -> None:
    data, post_id = _read("nukeviet", NUKEVIET)
    assert post_id == "123"
    assert data.title == "Thông báo họp cha mẹ học sinh đầu năm học"
    # "2026-11-24+0708:15:00" keeps its 08:15; the microdata 25/11 09:15 (edit time) is unused.
    assert data.meta_date is not None and data.meta_date.value == _at(2026, 11, 24, 8, 15)
    assert data.visible_date_text == "Thứ hai - 24/11/2026 08:15"
    assert data.published is not None and data.published.value == _at(2026, 11, 24, 8, 15)
    assert data.category == "Thông báo"
    assert data.author == "Nguyễn Văn A (bịa)"
    assert data.body == "Nội dung thông báo (bịa). Lịch họp (PDF)"
    assert [a.url for a in data.attachments] == [
        "https://thcsvidu.example.edu.vn/thong-bao/thong-bao-hop-cha-me-hoc-sinh-dau-nam-hoc-"
        "123.html?download=1&id=0"]


def test_nukeviet_menu_and_disclosure_entry() -> None:
    menu = _menu("nukeviet", NUKEVIET)
    assert [m.title for m in menu] == [
        "Trang chủ", "Giới thiệu", "Tin tức", "Công khai", "Văn bản", "Liên hệ"]
    found = find_in_menu(menu, load_profile("nukeviet").disclosure_titles)
    assert found is not None
    assert found[1].url == "https://thcsvidu.example.edu.vn/cong-khai/"
    assert [c.title for c in found[1].children] == [
        "Công khai chất lượng giáo dục", "Công khai cơ sở vật chất", "Công khai tài chính"]


@pytest.mark.parametrize(("path", "kind", "post_id"), [
    ("/thong-bao/thong-bao-hop-cha-me-hoc-sinh-dau-nam-hoc-123.html", "article", "123"),
    ("/news/thong-bao/lich-thi-hoc-ky-i-120.html", "article", "120"),
    ("/index.php/thong-bao/ke-hoach-tuan-12-118.html", "article", "118"),
    ("/index.php?language=vi&nv=news&op=thong-bao/ke-hoach-tuan-12-118", "article", "118"),
    ("/thong-bao/", "list", None),
    ("/thong-bao/page-2/", "list", None),
    ("/thong-bao/thong-bao-hop-123.html?download=1&id=0", "skip", None),
])
def test_nukeviet_url_shapes(path: str, kind: str, post_id: str | None) -> None:
    got, groups = load_profile("nukeviet").url_kind(path)
    assert got == kind
    assert groups.get("post_id") == post_id


def test_nukeviet_list_pages_are_not_posts() -> None:
    for name, url in (("viewcat_list_rendered.html", "https://thcsvidu.example.edu.vn/thong-bao/"),
                      ("viewcat_page_rendered.html", "https://thcsvidu.example.edu.vn/tin-tuc/")):
        soup = parse_html((REALWORLD / "nukeviet" / name).read_text(encoding="utf-8"))
        assert read_post(url, soup, load_profile("nukeviet"), ZONE) is None, name


# --- WordPress (theme markup, invented content) ------------------------------------------

def test_wordpress_classic_fields() -> None:
    data, post_id = _read("wordpress", TT1)
    assert post_id == "123"
    assert data.title == "Thông báo họp phụ huynh đầu năm"
    assert data.published is not None and data.published.value == _at(2026, 11, 24, 8, 15)
    assert data.category == "Thông báo"
    assert data.author == "Nguyễn Văn A (bịa)"
    assert data.body == "Nội dung thông báo (bịa). Lịch họp (PDF)"
    assert [a.url for a in data.attachments] == [
        "https://thvidu.example.edu.vn/wp-content/uploads/2026/11/lich-hop.pdf"]
    menu = _menu("wordpress", TT1)
    assert [m.title for m in menu] == ["Giới thiệu", "Tin tức", "Công khai", "Liên hệ"]
    found = find_in_menu(menu, load_profile("wordpress").disclosure_titles)
    assert found is not None and [c.title for c in found[1].children] == [
        "Công khai tài chính", "Công khai chất lượng giáo dục"]


def test_wordpress_block_theme_post_is_kept_without_a_date() -> None:
    # Read at an address that is not a date permalink: the body class alone says "post".
    data, post_id = _read("wordpress", (TT5[0], "https://thvidu.example.edu.vn/thong-bao-hop/"))
    assert post_id == "123"
    assert data.title == "Thông báo họp phụ huynh đầu năm"
    assert data.published is None  # the block theme prints no date: unknown, not guessed
    assert data.category == "Thông báo"
    assert data.author == "Nguyễn Văn A (bịa)"
    assert [a.url for a in data.attachments] == [
        "https://thvidu.example.edu.vn/wp-content/uploads/2026/11/lich-hop.pdf"]
    menu = _menu("wordpress", TT5)
    assert [m.title for m in menu] == ["Giới thiệu", "Tin tức", "Công khai", "Liên hệ"]
    found = find_in_menu(menu, load_profile("wordpress").disclosure_titles)
    assert found is not None and [c.url for c in found[1].children] == [
        "https://thvidu.example.edu.vn/category/cong-khai/cong-khai-tai-chinh/"]
