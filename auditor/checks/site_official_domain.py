"""site.official-domain — served only from the official https address (Điều 2)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from auditor.checks.interface import AuditContext, Check, Param
from auditor.errors import NotChecked
from auditor.results import Finding, Severity
from auditor.site.snapshot import Page, SiteSnapshot
from auditor.spam.terms import bare_host, host_allowed

_HTML = (None, "text/html", "application/xhtml+xml")
_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*["']?([^"'\s>]+)""", re.I)


class OfficialDomain(Check):
    """Cổng chỉ chạy tại địa chỉ chính thức https, không chuyển hướng sang nơi khác (Điều 2).

    "Mọi tên miền và địa chỉ truy cập khác đều không được trường thừa nhận."
    Kiểm tra: địa chỉ chính thức ([school] url) phải là https; mọi trang lần
    thu thập thấy phải kết thúc ở tên miền chính thức (chuyển hướng sang tên
    miền cũ, địa chỉ của nhà cung cấp hosting hay trang lạ là vi phạm, kèm
    chuỗi chuyển hướng; khi chính trang chủ chuyển hướng sang tên miền khác, lần
    thu thập dừng ở đó: vi phạm này vẫn được báo, còn các quy tắc cần nội dung
    trang được ghi là chưa kiểm tra); địa chỉ http:// phải chuyển sang https://
    (khi lần thu thập có tải địa chỉ http); chuỗi chuyển hướng dài hơn ngưỡng là cảnh báo;
    liên kết trên menu hoặc trang chủ tới một tên miền khác mang tên trường
    (ví dụ thcshoaphuong.edu.vn) là cảnh báo: địa chỉ giả mạo hoặc cũ.

    Fails: https://thcshoaphuong.haiphong.edu.vn/tin-tuc/c/1 chuyển hướng 302
    tới https://thcshoaphuong.hosting.example/tin-tuc.
    Passes: mọi trang trả lời ngay tại https://thcshoaphuong.haiphong.edu.vn.
    """

    id = "site.official-domain"
    title = "Chỉ dùng địa chỉ chính thức https, không chuyển hướng sang tên miền khác"
    title_en = "Served only from the official https address; no redirects elsewhere"
    parameters = (
        Param("require_https", bool, "địa chỉ chính thức phải là https",
              "the official address must be https"),
        Param("allowed_hosts", list, "tên miền khác được phép (ví dụ của cơ quan quản lý)",
              "other hosts allowed (e.g. the authority's)"),
        Param("max_redirects", int, "số lần chuyển hướng tối đa trong tên miền chính thức",
              "most redirects allowed within the official host"),
        Param("lookalike_suffixes", list, "đuôi tên miền mà địa chỉ mạo danh trường hay dùng",
              "domain suffixes impostor addresses use"),
        Param("max_examples", int, "số ví dụ nêu làm bằng chứng", "examples listed as evidence"),
    )
    needs = ("site",)

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        # A home page that redirects to another host leaves no crawl, only its chain.
        moved = ctx.site_unavailable if ctx.site is None else None
        chain = tuple(getattr(moved, "redirect_chain", ()))
        site: SiteSnapshot | None = None if len(chain) > 1 else ctx.require_site()
        official = (ctx.config.school.url or "").rstrip("/")
        if not official:
            raise NotChecked("Chưa khai báo địa chỉ chính thức ([school] url trong auditor.toml).",
                             "No official address is configured ([school] url).")
        host = bare_host(official)
        allowed = (host, *params["allowed_hosts"])
        if params["require_https"] and urlsplit(official).scheme != "https":
            yield self.finding(
                "config:https",
                f"Địa chỉ chính thức {official} không dùng https: thông tin truyền đi không "
                "được mã hoá và có thể bị giả mạo.",
                f"The official address {official} is not https.",
                url=official, source="config", evidence={"official": official})
        if site is None:
            yield from self._by_host([list(dict.fromkeys(chain))], allowed,
                                     params["max_examples"], official, home=True)
            return
        yield from self._foreign(site, allowed, params["max_examples"], official)
        yield from self._plain_http(site, host, params)
        yield from self._long_chains(site, allowed, params["max_redirects"], official)
        yield from self._lookalikes(site, host, allowed, params["lookalike_suffixes"])

    def _foreign(self, site: SiteSnapshot, allowed: tuple[str, ...], limit: int,
                 official: str) -> Iterable[Finding]:
        """Pages whose redirects end on (or point to) a host that is not the school's."""
        chains: list[list[str]] = []
        for url, page in sorted(site.pages.items()):
            if page.content_type not in _HTML and page.kind not in ("home", "list", "article"):
                continue  # files on a storage host are not the portal being served elsewhere
            chain = [*page.redirects, page.final_url]
            if chain[0] != url:
                chain.insert(0, url)
            target = _off_site_location(page)
            if target:
                chain.append(target)
            chains.append(list(dict.fromkeys(chain)))
        yield from self._by_host(chains, allowed, limit, official)

    def _by_host(self, chains: Iterable[list[str]], allowed: tuple[str, ...], limit: int,
                 official: str, home: bool = False) -> Iterable[Finding]:
        """One finding per foreign host the chains (first address → last) end on.

        `home`: the one chain is the home page's, and the crawl stopped there.
        """
        by_host: dict[str, list[list[str]]] = {}
        for chain in chains:
            last = chain[-1]
            if not host_allowed(bare_host(last), allowed):
                by_host.setdefault(bare_host(last), []).append(chain)
        for foreign, found in sorted(by_host.items()):
            first = found[0]
            evidence = {"host": foreign, "redirect_chain": first, "pages": len(found),
                        "examples": found[:limit]}
            if home:
                yield self.finding(
                    f"redirect:{foreign}",
                    f"Trang chủ {first[0]} chuyển hướng sang tên miền {foreign}, không phải "
                    f"địa chỉ chính thức {official} (Điều 2): {' → '.join(first)}. Không thu "
                    "thập được nội dung cổng.",
                    f"The home page {first[0]} redirects to {foreign}, not the official address "
                    f"{official}: {' → '.join(first)}. The portal's content could not be crawled.",
                    url=first[0], source="site", evidence={**evidence, "home": True})
                continue
            how, how_en = (("chuyển hướng sang", "redirect to") if len(first) > 1 else
                           ("được phục vụ tại", "are served from"))
            yield self.finding(
                f"redirect:{foreign}",
                f"{len(found)} trang của Cổng {how} tên miền {foreign}, không phải địa chỉ "
                f"chính thức {official} (Điều 2), ví dụ: {' → '.join(first)}.",
                f"{len(found)} page(s) {how_en} {foreign}, not the official address "
                f"{official}; e.g. {' → '.join(first)}.",
                url=first[0], source="site", evidence=evidence)

    def _plain_http(self, site: SiteSnapshot, host: str,
                    params: Mapping[str, Any]) -> Iterable[Finding]:
        """An http:// address of the official host answered without moving to https://."""
        if not params["require_https"]:
            return
        served = [u for u, p in sorted(site.pages.items())
                  if urlsplit(u).scheme == "http" and bare_host(u) == host
                  and urlsplit(p.final_url).scheme == "http" and p.status is not None
                  and p.status < 300]
        if served:
            yield self.finding(
                f"http:{host}",
                f"{len(served)} địa chỉ http:// của {host} trả nội dung mà không chuyển sang "
                f"https://, ví dụ {served[0]}.",
                f"{len(served)} http:// address(es) of {host} answer without redirecting to "
                f"https://, e.g. {served[0]}.",
                url=served[0], source="site",
                evidence={"urls": served[:params["max_examples"]], "count": len(served)})

    def _long_chains(self, site: SiteSnapshot, allowed: tuple[str, ...], limit: int,
                     official: str) -> Iterable[Finding]:
        for url, page in sorted(site.pages.items()):
            if len(page.redirects) > limit and host_allowed(bare_host(page.final_url), allowed):
                chain = list(dict.fromkeys([url, *page.redirects, page.final_url]))
                path = url.replace(official, "") or "/"
                yield self.finding(
                    f"chain:{path}",
                    f"Địa chỉ {path} chuyển hướng {len(page.redirects)} lần (quá {limit}): "
                    f"{' → '.join(chain)}.",
                    f"{path} redirects {len(page.redirects)} times (more than {limit}).",
                    severity=Severity.WARNING, url=url, source="site",
                    evidence={"redirect_chain": chain, "redirects": len(page.redirects)})

    def _lookalikes(self, site: SiteSnapshot, host: str, allowed: tuple[str, ...],
                    suffixes: list[str]) -> Iterable[Finding]:
        """Menu or home-page links to another host that carries the school's name."""
        slug = _name_slug(host)
        if len(slug) < 4:
            return
        targets: dict[str, str] = {}
        for path, item in site.nav_items():
            if item.url:
                targets.setdefault(item.url, " → ".join(path))
        home = site.pages.get(site.base_url) or site.pages.get(site.base_url.rstrip("/"))
        if home is not None and home.text:
            for href in _HREF.findall(home.text):
                targets.setdefault(urljoin(home.final_url, href), "trang chủ")
        seen: set[str] = set()
        for target, where in targets.items():
            other = bare_host(target)
            if not other or other in seen or host_allowed(other, allowed):
                continue
            if not any(other.endswith(s.lower()) for s in suffixes):
                continue
            if slug not in re.sub(r"[^a-z0-9]", "", other):
                continue
            seen.add(other)
            yield self.finding(
                f"lookalike:{other}",
                f"Liên kết tới {target} ({where}): tên miền {other} mang tên trường nhưng không "
                f"phải địa chỉ chính thức {host} (Điều 2: địa chỉ khác không được thừa nhận).",
                f"Link to {target} ({where}): {other} carries the school's name but is not the "
                f"official host {host}.",
                severity=Severity.WARNING, url=target, source="site",
                evidence={"host": other, "link": target, "where": where})


def _off_site_location(page: Page) -> str | None:
    """Where a redirect the crawler did not follow (it left the site's scope) points."""
    if page.status is None or not 300 <= page.status < 400:
        return None
    location = page.headers.get("location") or page.headers.get("Location")
    return urljoin(page.final_url, location.strip()) if location else None


def _name_slug(host: str) -> str:
    """The school's name in its host: "thcshoaphuong.haiphong.edu.vn" → "thcshoaphuong"."""
    first = host.split(".")[0]
    if first == "www" and host.count(".") > 1:
        first = host.split(".")[1]
    return re.sub(r"[^a-z0-9]", "", first.lower())
