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
from auditor.results import Finding, Severity
from auditor.site.snapshot import NavItem, Page, SiteSnapshot

_LABELS = {"address": ("địa chỉ", "address"), "phone": ("số điện thoại", "phone number"),
           "email": ("địa chỉ thư điện tử", "email address")}


class RequiredSections(Check):
    """Cổng có đủ các chuyên mục bắt buộc, phần Giới thiệu có thông tin liên hệ và lãnh đạo
    nhà trường (Điều 14 QĐ 111/QĐ-THCS; Điều 9 Thông tư 37/2020/TT-BGDĐT).

    Mỗi mục kiểm tra nêu căn cứ riêng (`basis` của từng chuyên mục trong bộ quy
    tắc). Quy chế, Điều 14: giới thiệu nhà trường kèm địa chỉ, điện thoại, thư
    điện tử (khoản 1, 4); tin tức, sự kiện (khoản 2); văn bản (khoản 3); thủ
    tục hành chính, dịch vụ công trực tuyến (khoản 5 — danh mục dịch vụ công
    của TT 37/2020 thuộc danh sách của Sở/Phòng, không của trường); công khai
    (khoản 6). TT 37/2020, Điều 9, danh sách của cơ sở giáo dục: họ tên, chức
    vụ, điện thoại, thư điện tử của lãnh đạo nhà trường; mục lấy ý kiến góp
    ý; thông tin tuyển sinh; dịch vụ trực tuyến tuyển sinh đầu cấp (chỉ với
    loại trường ghi trong `kinds`; chưa xác minh loại trường nào, nên là cảnh
    báo). Mỗi chuyên mục phải có trên menu hoặc là liên kết trên trang chủ (so
    khớp tên không dấu); thiếu chuyên mục nào báo chuyên mục đó; chuyên mục có
    trên menu mà trang của nó hỏng cũng là vi phạm. Thông tin liên hệ và lãnh
    đạo được tìm trong trang Giới thiệu, các trang con của nó (và chân trang
    chủ với liên hệ), bằng các biểu thức trong bộ quy tắc.

    Fails: menu có Giới thiệu, Tin tức, Văn bản, Công khai nhưng không có Thủ
    tục hành chính hay Dịch vụ công (Điều 14 khoản 5); trang Ban giám hiệu
    ghi "Hiệu trưởng: bà Lê Thị Thanh Bình, điện thoại 0225 3 812 346" mà
    không có thư điện tử (TT 37/2020 Điều 9).
    Passes: menu có đủ các chuyên mục, có Hỏi đáp và Tuyển sinh; chân trang
    ghi "Điện thoại: 0225 3 812 345 — Thư điện tử: lienhe@thcs….edu.vn";
    trang Ban giám hiệu ghi họ tên, chức vụ, điện thoại, thư điện tử.
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
        Param("leaders", dict, "lãnh đạo nhà trường: basis, positions, window",
              "the school's leaders: basis, positions, window"),
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
        kind = ctx.config.school.kind
        for section in params["sections"]:
            key, name = str(section["key"]), str(section["name"])
            kinds = section.get("kinds")
            if kinds and not ({kind, *kind.split("-")} & set(kinds)):
                continue  # e.g. online admission: only where the school kind admits online
            basis = str(section.get("basis", "Điều 14"))
            severity = Severity(section.get("severity", "violation"))
            hit = _find(site, home_links, [str(t) for t in section["titles"]])
            if hit is None:
                yield self.finding(
                    f"section:{key}",
                    f"Thiếu chuyên mục “{name}” trên menu và trang chủ ({basis}).",
                    f"The “{section.get('name_en', name)}” section is missing from the menu and "
                    f"the home page ({basis}).", source="site", severity=severity,
                    evidence={"section": key, "looked_for": section["titles"], "basis": basis,
                              "verified": section.get("verified", True)})
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
        yield from self._leaders(site, found, params)

    def _leaders(self, site: SiteSnapshot, found: Mapping[str, tuple[str, str | None]],
                 params: Mapping[str, Any]) -> Iterable[Finding]:
        """TT 37/2020, Điều 9: each leader's full name, position, phone and e-mail."""
        spec = params["leaders"]
        basis = str(spec.get("basis", "Thông tư 37/2020/TT-BGDĐT, Điều 9"))
        intro = found.get(params["contact_section"])
        if intro is None or not intro[1]:
            return  # the missing section is already a finding
        urls = list(_with_children(site, intro[1]))
        titles = [str(t) for t in spec.get("pages", [])]  # "Ban giám hiệu" elsewhere in the menu
        urls += [item.url for _p, item in site.nav_items()
                 if item.url and titles and _matches(item.title, titles) and item.url not in urls]
        read = [(url, text) for url in urls if url in site.pages and (text := site.pages[url].text)]
        evidence: dict[str, Any] = {"pages_read": [u for u, _ in read], "basis": basis}
        if not read:
            yield self.finding(
                "leaders", f"Chưa kiểm tra được thông tin lãnh đạo nhà trường: không đọc được "
                f"trang Giới thiệu ({basis}).",
                f"The school's leaders could not be checked: the introduction pages were not "
                f"read ({basis}).", severity=Severity.INFO, source="site", evidence=evidence)
            return
        text = "\n".join(_text(html) for _, html in read)
        phone = [_compile(p, "phone") for p in params["contact_patterns"].get("phone", [])]
        email = [_compile(p, "email") for p in params["contact_patterns"].get("email", [])]
        best = leader_entries(text, [str(p) for p in spec["positions"]], int(spec["window"]),
                              phone, email)
        if best is not None and all(best.values()):
            return
        missing = [k for k, v in (best or {}).items() if not v] or ["position"]
        vi = {"position": "chức vụ", "name": "họ tên", "phone": "điện thoại",
              "email": "thư điện tử"}
        evidence["missing"] = missing
        yield self.finding(
            "leaders",
            ("Trang Giới thiệu không nêu lãnh đạo nhà trường (Hiệu trưởng, Phó Hiệu trưởng)"
             if best is None else "Thông tin lãnh đạo nhà trường thiếu "
             + ", ".join(vi[m] for m in missing)) + f" ({basis}).",
            ("The introduction pages name no school leader" if best is None else
             "The school leaders' details lack " + ", ".join(missing)) + f" ({basis}).",
            url=read[0][0], source="site", evidence=evidence)

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


# Words between a position and a name: honorifics and degrees ("Hiệu trưởng: ThS. …").
_HONORIFIC = {"ông", "bà", "thầy", "cô", "đ", "c", "đồng", "chí", "thạc", "sĩ", "tiến", "ths",
              "ts", "cử", "nhân", "nhà", "giáo", "ưu", "tú", "ngưt", "nhưt"}


def leader_entries(text: str, positions: list[str], window: int,
                   phone: list[re.Pattern[str]], email: list[re.Pattern[str]]
                   ) -> dict[str, bool] | None:
    """The most complete leader entry (position, name, phone, e-mail found near each
    mention of a position); None when no position is mentioned."""
    best: dict[str, bool] | None = None
    for position in sorted(positions, key=len, reverse=True):
        for match in re.finditer(re.escape(position), text, re.IGNORECASE):
            after = text[match.end():match.end() + window]
            near = fold(after)
            entry = {"position": True, "name": _names_someone(after),
                     "phone": any(p.search(near) for p in phone),
                     "email": any(p.search(near) for p in email)}
            if best is None or sum(entry.values()) > sum(best.values()):
                best = entry
    return best


def _names_someone(after: str) -> bool:
    """Two capitalised words follow the position ("Hiệu trưởng: bà Lê Thị Thanh Bình")."""
    words = re.findall(r"[^\W\d_]+", after[:80])
    words = [w for w in words if w.lower() not in _HONORIFIC]
    return len(words) >= 2 and all(w[0].isupper() for w in words[:2])


def _text(html: str) -> str:
    soup = BeautifulSoup(html, "lxml")
    extra = [str(a.get("href"))[7:] for a in soup.find_all("a")
             if str(a.get("href") or "").lower().startswith("mailto:")]
    return unicodedata.normalize("NFC", soup.get_text("\n", strip=True) + " " + " ".join(extra))


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
