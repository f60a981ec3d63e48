"""Gambling vocabulary, hiding and page signals of security.spam-injection (auditor/spam)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from auditor.ruleset import load_ruleset
from auditor.spam import HidingRules, ScanOptions, TermSet, compare_cloaking, page_signals
from auditor.spam.hiding import HidingReader, parse_color
from auditor.spam.terms import fold_keep_length, host_allowed

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "site-rules" / "spam"
URL = "https://thcsthunghiem.haiphong.edu.vn/tin-tuc/bai/ct/1002/9"
PARAMS = load_ruleset().rules["security.spam-injection"].params
TERMS = TermSet.from_params(PARAMS)
OPTS = ScanOptions(TERMS, ("thcsthunghiem.haiphong.edu.vn",), HidingRules(500, 1))


def kinds(html: str, url: str = URL) -> list[str]:
    return sorted(s.kind for s in page_signals(url, html, OPTS))


# --- vocabulary ---------------------------------------------------------------------------


def test_fold_keeps_length_so_offsets_map_back() -> None:
    text = "Nổ Hũ  ĐỔI thưởng"
    folded = fold_keep_length(text)
    assert folded == "no hu  doi thuong"
    assert len(folded) == len(text)


@pytest.mark.parametrize(("text", "found"), [
    ("Chơi NỔ HŨ ngay", ("nổ hũ",)),
    ("choi no hu ngay", ("nổ hũ",)),  # unaccented spam text
    ("nohu doi thuong", ("nổ hũ", "đổi thưởng")),  # joined, as in slugs
    ("nợ hư", ()),  # other accents: another phrase
    ("Đừng lo để tiền vào trò chơi", ()),  # "lo để" is not "lô đề"
    ("mẹ bán cá ngoài chợ", ()),  # "bán cá" is not "bắn cá"
    ("Tuyên truyền phòng chống lô đề", ("lô đề",)),
    ("casinos", ()),  # a whole word only
    ("Đăng ký KUWIN nhận 88K", ("kuwin",)),
])
def test_terms_match_accent_insensitively_only_for_unaccented_text(
        text: str, found: tuple[str, ...]) -> None:
    assert TERMS.words(text) == found


def test_url_terms_read_host_path_and_gambling_tld() -> None:
    assert TERMS.in_url("https://vuanhacai.example/nha-cai-uy-tin") == ("nhà cái",)
    assert TERMS.in_url("https://abc.bet/x") == (".bet",)
    assert TERMS.in_url("https://thcs.haiphong.edu.vn/tin-tuc/c/1") == ()


def test_host_allowed_with_wildcards_and_www() -> None:
    allowed = ("thcsa.haiphong.edu.vn", "*.haiphong.gov.vn")
    assert host_allowed("www.thcsa.haiphong.edu.vn", allowed)
    assert host_allowed("dichvucong.haiphong.gov.vn", allowed)
    assert host_allowed("haiphong.gov.vn", allowed)
    assert not host_allowed("evilhaiphong.gov.vn", allowed)
    assert not host_allowed("thcsa.edu.vn", allowed)


# --- hiding -------------------------------------------------------------------------------


@pytest.mark.parametrize(("style", "reason"), [
    ("display: none", "display:none"),
    ("DISPLAY:NONE !important", "display:none"),
    ("visibility:hidden", "visibility:hidden"),
    ("font-size:0", "font-size:0"),
    ("font-size: 0.5px", "font-size:0.5px"),
    ("position:absolute; left:-9999px", "off-screen (left:-9999px)"),
    ("position:fixed; top:-60em", "off-screen (top:-60em)"),
    ("text-indent:-5000px", "off-screen (text-indent:-5000px)"),
    ("height:0; overflow:hidden", "height:0; overflow:hidden"),
    ("opacity:0", "opacity:0"),
    ("color:transparent", "color:transparent"),
    ("position:absolute; clip:rect(0 0 0 0)", "clip:rect(0 0 0 0)"),
])
def test_inline_hiding(style: str, reason: str) -> None:
    soup = BeautifulSoup(f'<body><div id="x" style="{style}">a</div></body>', "lxml")
    hiding = HidingReader(soup, HidingRules(500, 1)).own(soup.find(id="x"))
    assert hiding is not None and hiding.reason == reason and hiding.inline


@pytest.mark.parametrize("style", [
    "display:block", "position:absolute; left:-20px", "font-size:12px", "text-indent:-2em",
    "position:relative; left:-9999px", "height:0",
])
def test_visible_styles(style: str) -> None:
    soup = BeautifulSoup(f'<body><div id="x" style="{style}">a</div></body>', "lxml")
    assert HidingReader(soup, HidingRules(500, 1)).own(soup.find(id="x")) is None


def test_stylesheet_rules_hide_but_are_not_inline() -> None:
    soup = BeautifulSoup("<head><style>/* x */ .sub-menu, #k{display:none}</style></head>"
                         '<body><ul class="sub-menu" id="a"></ul><p id="k"></p></body>', "lxml")
    reader = HidingReader(soup, HidingRules(500, 1))
    for node_id in ("a", "k"):
        hiding = reader.own(soup.find(id=node_id))
        assert hiding is not None and not hiding.inline


def test_text_coloured_like_its_background() -> None:
    soup = BeautifulSoup('<body><div style="background:#FFFFFF url(x.png)"><p>'
                         '<span id="w" style="color:rgb(255, 255, 255)">x</span>'
                         '<span id="d" style="color:#333">y</span></p></div></body>', "lxml")
    reader = HidingReader(soup, HidingRules(500, 1))
    white = reader.own(soup.find(id="w"))
    assert white is not None and white.reason.startswith("color = background")
    assert reader.own(soup.find(id="d")) is None


def test_colour_parsing() -> None:
    assert parse_color("#FFF") == parse_color("white") == parse_color("rgb(255,255,255)")
    assert parse_color("rgba(0,0,0,0)") == (-1, -1, -1)
    assert parse_color("inherit") is None


def test_a_bare_colour_function_name_is_not_a_colour() -> None:
    # "color: rgb" (no parentheses) once raised ValueError out of the page scan.
    assert parse_color("rgb") is None
    assert parse_color("rgba red") == parse_color("red")


def test_a_page_styled_with_a_bare_rgb_is_still_scanned() -> None:
    html = ('<html><body><p style="color: rgb">Tin tức của trường.</p>'
            '<a href="https://casino.example/">xem ngay</a></body></html>')
    assert isinstance(kinds(html), list)


# --- page signals -------------------------------------------------------------------------


def test_words_alone_in_an_article_are_not_a_sign() -> None:
    assert kinds((FIXTURES / "propaganda.html").read_text(encoding="utf-8")) == []


def test_weak_word_in_a_link_to_another_host_is_a_sign() -> None:
    html = '<body><a href="https://ketqua.example/">Kết quả xổ số hôm nay</a></body>'
    assert kinds(html) == ["spam_link"]
    internal = '<body><a href="/tin-tuc/giai-bong-da/ct/1002/3">Giải bóng đá</a></body>'
    assert kinds(internal) == []


def test_hidden_off_host_links_without_words_are_a_sign_only_when_hidden_inline() -> None:
    inline = '<body><div style="display:none"><a href="https://x.example/">x</a></div></body>'
    sheet = ('<head><style>.m{display:none}</style></head><body><ul class="m"><li>'
             '<a href="https://dichvucong.gov.example/">Dịch vụ công</a></li></ul></body>')
    assert kinds(inline) == ["hidden_link"]
    assert kinds(sheet) == []


def test_hidden_gambling_text_without_links() -> None:
    html = '<body><p style="font-size:0">tai xiu uy tin, nha cai so 1</p></body>'
    [signal] = page_signals(URL, html, OPTS)
    assert signal.kind == "hidden_text"
    assert signal.terms == ("tài xỉu", "nhà cái")
    assert signal.detail["hidden_by"] == "font-size:0"


def test_hidden_block_excerpt_and_links() -> None:
    [signal] = page_signals(URL, (FIXTURES / "hidden-block.html").read_text(encoding="utf-8"),
                            OPTS)
    assert signal.kind == "hidden_link"
    assert signal.excerpt.startswith('<div style="position:absolute;left:-9999px')
    assert "https://nohu-doithuong.example/" in signal.detail["links"]
    assert {"nổ hũ", "đổi thưởng", "tài xỉu", "nhà cái"} <= set(signal.terms)


def test_brand_in_visible_text_and_in_title() -> None:
    assert kinds("<html><head><title>98win</title></head><body></body></html>") == ["brand"]
    assert kinds("<body><p>Nhà tài trợ: W88 Việt Nam</p></body>") == ["brand"]


def test_script_redirects() -> None:
    plain = '<script>location.replace("https://x.example/")</script>'
    internal = '<script>window.location.href = "/tin-tuc/c/1002";</script>'
    assert kinds(plain) == ["js_redirect"]
    assert kinds(internal) == []


def test_meta_refresh_inside_the_site_is_not_a_sign() -> None:
    html = '<head><meta http-equiv="refresh" content="0;url=/trang-chu"></head>'
    assert kinds(html) == []


def test_page_address_off_the_scheme() -> None:
    fits = lambda url: "/ct/" in url  # noqa: E731
    bad = "https://thcsthunghiem.haiphong.edu.vn/tai-xiu-online.html"
    ok = "https://thcsthunghiem.haiphong.edu.vn/tin/chong-tai-xiu/ct/1/2"
    assert [s.kind for s in page_signals(bad, "<p>x</p>", OPTS, fits)] == ["spam_url"]
    assert page_signals(ok, "<p>x</p>", OPTS, fits) == []


# --- cloaking comparison ------------------------------------------------------------------


def test_compare_cloaking_finds_what_only_the_bot_sees() -> None:
    browser = (FIXTURES / "clean-home.html").read_text(encoding="utf-8")
    bot = browser.replace("</body>", '<p>Nhà cái <a href="https://kuwin.example/">kuwin</a>'
                                     "</p></body>")
    [signal] = compare_cloaking(browser, bot, url=URL, opts=OPTS)
    assert signal.kind == "cloaking"
    assert signal.detail["terms_only_for_bot"] == ["nhà cái", "kuwin"]
    assert "brand" in signal.detail["signals_only_for_bot"]


def test_compare_cloaking_ignores_harmless_differences() -> None:
    browser = "<body><p>Lượt truy cập: 10234</p></body>"
    bot = "<body><p>Lượt truy cập: 10235</p></body>"
    assert compare_cloaking(browser, bot, url=URL, opts=OPTS) == []
    spam = (FIXTURES / "hidden-block.html").read_text(encoding="utf-8")
    assert compare_cloaking(spam, spam, url=URL, opts=OPTS) == []
