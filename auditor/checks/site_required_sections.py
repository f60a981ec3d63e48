"""site.required-sections — the portal shows the sections the regulation requires (Điều 14)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup

from auditor.checks.interface import AuditContext, Check, Param
from auditor.errors import ConfigError, NotChecked
from auditor.people import fold
from auditor.results import Finding
from auditor.site.model import NavItem, Page, SiteSnapshot

_LABELS = {"address": ("địa chỉ", "address"), "phone": ("số điện thoại", "phone number"),
           "email": ("địa chỉ thư điện tử", "email address")}


class RequiredSections(Check):
    """Cổng có đủ các chuyên mục bắt buộc, phần Giới thiệu có thông tin liên hệ (Điều 14).

    Điều 14 của Quy chế (và Điều 9 Thông tư 37/2020/TT-BGDĐT) quy định nội
    dung của Cổng: giới thiệu nhà trường kèm địa chỉ, điện thoại, thư điện tử
    (khoản 1, 4); tin tức, sự kiện (khoản 2); văn bản (khoản 3); thủ tục hành
    chính, dịch vụ công trực tuyến (khoản 5); công khai (khoản 6). Mỗi chuyên
    mục phải có trên menu hoặc là liên kết trên trang chủ (so khớp tên không
    dấu, danh sách tên trong bộ quy tắc); thiếu chuyên mục nào báo chuyên mục
    đó; chuyên mục có trên menu mà trang của nó hỏng cũng là vi phạm. Thông tin
    liên hệ được tìm trong trang Giới thiệu, các trang con của nó và chân trang
    chủ, bằng các biểu thức trong bộ quy tắc (số điện thoại 0225 3xxx xxx,
    +84…, thư điện tử).

    Fails: menu có Giới thiệu, Tin tức, Văn bản, Công khai nhưng không có Thủ
    tục hành chính hay Dịch vụ công.
    Passes: menu có đủ năm chuyên mục; chân trang ghi "Điện thoại: 0225 3 812
    345 — Thư điện tử: lienhe@thcs….edu.vn", trang Giới thiệu ghi địa chỉ.
    """

    id = "site.required-sections"
    title = "Có đủ các chuyên mục bắt buộc và thông tin liên hệ"
    title_en = "Required sections and contact details are present"
    parameters = (
        Param("sections", list, "các chuyên mục bắt buộc: key, name, name_en, titles, basis",
              "required sections: key, name, name_en, titles, basis"),
        Param("contact_section", str, "chuyên mục phải có thông tin liên hệ",
              "the section that must give contact details"),
        Param("contact_patterns", dict,
              "biểu thức chính quy (trên chữ không dấu, chữ thường) cho từng thông tin liên hệ",
              "regexes (on accent-less lower-case text) for each contact detail"),
        Param("contact_on_home", bool, "thông tin liên hệ ở chân trang chủ cũng được tính",
              "contact details in the home page's footer count"),
    )
    needs = ("site",)

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        site: SiteSnapshot = ctx.require_site()
        home = _home(site)
        home_links = _anchors(home) if home is not None else []
        if not site.nav and not home_links:
            raise NotChecked("Không đọc được menu và liên kết của trang chủ.",
                             "Neither the menu nor the home page's links could be read.")
        found: dict[str, tuple[str, str | None]] = {}
        for section in params["sections"]:
            key, name = str(section["key"]), str(section["name"])
            hit = _find(site, home_links, [str(t) for t in section["titles"]])
            if hit is None:
                yield self.finding(
                    f"section:{key}",
                    f"Thiếu chuyên mục “{name}” trên menu và trang chủ "
                    f"({section.get('basis', 'Điều 14')}).",
                    f"The “{section.get('name_en', name)}” section is missing from the menu and "
                    "the home page.", source="site",
                    evidence={"section": key, "looked_for": section["titles"]})
                continue
            found[key] = hit
            title, url = hit
            page = site.pages.get(url) if url else None
            if page is not None and page.broken:
                answer = f"trả mã {page.status}" if page.status else "không mở được"
                yield self.finding(
                    f"section:{key}",
                    f"Chuyên mục “{title}” có trên menu nhưng trang {url} {answer}.",
                    f"The “{title}” section is in the menu but {url} answers "
                    f"{page.status or 'nothing'}.",
                    url=url, source="site",
                    evidence={"section": key, "title": title, "status": page.status})
        yield from self._contact(site, home, found, params)

    def _contact(self, site: SiteSnapshot, home: Page | None,
                 found: Mapping[str, tuple[str, str | None]],
                 params: Mapping[str, Any]) -> Iterable[Finding]:
        intro = found.get(params["contact_section"])
        sources: list[str] = []
        texts: list[str] = []
        if intro is not None and intro[1]:
            for url in _with_children(site, intro[1]):
                page = site.pages.get(url)
                if page is not None and page.text:
                    sources.append(url)
                    texts.append(_plain(page.text))
        if params["contact_on_home"] and home is not None and home.text:
            sources.append(home.url)
            texts.append(_plain(home.text))
        text = "\n".join(texts)
        for field, patterns in params["contact_patterns"].items():
            if any(_compile(p, field).search(text) for p in patterns):
                continue
            vi, en = _LABELS.get(field, (field, field))
            yield self.finding(
                f"contact:{field}",
                f"Không tìm thấy {vi} liên hệ của nhà trường trên trang Giới thiệu hoặc trang chủ "
                "(Điều 14, khoản 1 và 4).",
                f"No contact {en} on the introduction pages or the home page.",
                url=sources[0] if sources else None, source="site",
                evidence={"field": field, "pages_read": sources})


def _home(site: SiteSnapshot) -> Page | None:
    for url in (site.base_url, site.base_url.rstrip("/"), site.base_url.rstrip("/") + "/"):
        if url in site.pages:
            return site.pages[url]
    return next((p for p in site.pages.values() if p.kind == "home"), None)


def _anchors(page: Page) -> list[tuple[str, str | None]]:
    """(text, absolute URL) of the home page's links."""
    if not page.text:
        return []
    soup = BeautifulSoup(page.text, "lxml")
    out = []
    for a in soup.find_all("a"):
        href = str(a.get("href") or "").strip()
        out.append((" ".join(a.get_text(" ", strip=True).split()),
                    urljoin(page.final_url, href) if href else None))
    return out


def _matches(title: str, wanted: list[str]) -> bool:
    folded = f" {' '.join(re.sub(r'[^a-z0-9]+', ' ', fold(title)).split())} "
    return any(f" {' '.join(re.sub(r'[^a-z0-9]+', ' ', fold(w)).split())} " in folded
               for w in wanted)


def _find(site: SiteSnapshot, home_links: list[tuple[str, str | None]],
          wanted: list[str]) -> tuple[str, str | None] | None:
    """The first menu entry, then home-page link, whose title names the section."""
    for _path, item in site.nav_items():
        if _matches(item.title, wanted):
            return item.title, item.url
    for text, url in home_links:
        if text and _matches(text, wanted):
            return text, url
    return None


def _with_children(site: SiteSnapshot, url: str) -> Iterator[str]:
    yield url
    stack: list[NavItem] = [item for _p, item in site.nav_items() if item.url == url]
    for item in stack[:1]:
        for _p, child in item.walk():
            if child.url and child.url != url:
                yield child.url


def _plain(html: str) -> str:
    """Accent-less lower-case text of a page, with its mailto: and tel: addresses."""
    soup = BeautifulSoup(html, "lxml")
    extra = [str(a.get("href")) for a in soup.find_all("a")
             if str(a.get("href") or "").lower().startswith(("mailto:", "tel:"))]
    text = unicodedata.normalize("NFC", soup.get_text(" ", strip=True) + " " + " ".join(extra))
    return fold(text)


def _compile(pattern: str, field: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        key = f"rules.\"site.required-sections\".params.contact_patterns.{field}"
        raise ConfigError(f"{key}: biểu thức chính quy sai '{pattern}' ({exc}).",
                          en=f"{key}: invalid regular expression '{pattern}' ({exc}).") from None
