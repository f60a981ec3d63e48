"""security.spam-injection — no injected gambling spam, hidden links or cloaking (Điều 17)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from auditor.checks.interface import AuditContext, Check, Param
from auditor.results import Finding, Severity
from auditor.site.snapshot import SiteSnapshot
from auditor.spam import (
    HidingRules,
    ScanOptions,
    Signal,
    TermSet,
    cloaking_signals,
    page_signals,
    sitemap_signals,
)
from auditor.spam.terms import bare_host

_LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>", re.I)


class SpamInjection(Check):
    """Không có nội dung cờ bạc, liên kết ẩn hay che giấu nội dung bị chèn vào trang (Điều 17).

    Điều 17 cấm dùng Cổng để quảng cáo dịch vụ bị cấm (khoản 1.đ) và cấm
    tạo đường dẫn trái phép trên tên miền hợp pháp của đơn vị (khoản 3). Trang
    của trường bị chèn quảng cáo cờ bạc là vi phạm dù nhà trường không biết:
    phải gỡ và vá lỗ hổng. Mỗi trang thu thập được đọc tìm: từ ngữ cờ bạc
    (nổ hũ, tài xỉu, nhà cái…) nằm trong phần bị ẩn hoặc trong liên kết ra
    ngoài; tên nhà cái (kuwin, 98win…); liên kết ra ngoài bị ẩn
    (display:none, font-size:0, đẩy ra ngoài màn hình, chữ cùng màu nền);
    chuyển hướng meta refresh hoặc JavaScript sang tên miền khác; địa chỉ
    trong sitemap không theo mẫu của nền tảng. Khi được bật và không chạy
    ngoại tuyến, trang chủ và một số trang được tải lại dưới tên Googlebot
    (kèm referer Google) để so sánh (che giấu nội dung, cloaking). Từ "bóng
    đá", "xổ số" hay cả "cá độ" đứng một mình (tin tuyên truyền) không bị
    báo. Từ ngữ, tên nhà cái và ngưỡng nằm trong bộ quy tắc.

    Fails: một bài cũ có khối <div style="position:absolute;left:-9999px">
    chứa liên kết "nổ hũ đổi thưởng" tới một tên miền lạ.
    Passes: bài "Tuyên truyền phòng chống cá độ bóng đá" không có liên kết
    hay phần ẩn nào.
    """

    id = "security.spam-injection"
    title = "Không bị chèn nội dung cờ bạc, liên kết ẩn hay che giấu nội dung"
    title_en = "No injected gambling spam, hidden links or cloaking"
    parameters = (
        Param("gambling_terms", list, "từ ngữ cờ bạc", "gambling terms"),
        Param("weak_terms", list, "từ chỉ tính khi có liên kết, tên nhà cái hoặc bị ẩn",
              "words that count only with a link, a brand or hiding"),
        Param("brands", list, "tên nhà cái, trang cờ bạc", "gambling brand names"),
        Param("gambling_tlds", list, "đuôi tên miền cờ bạc", "gambling top-level domains"),
        Param("allowed_hosts", list,
              "tên miền mà liên kết ẩn hay chuyển hướng tới chỉ bị báo khi có từ cờ bạc",
              "hosts whose hidden links and redirects count only with gambling words"),
        Param("offscreen_px", int, "số điểm ảnh âm coi là đẩy ra ngoài màn hình",
              "negative offset in pixels that counts as off-screen"),
        Param("tiny_font_px", int, "cỡ chữ tối đa coi là không đọc được",
              "largest font size that counts as unreadable"),
        Param("strict_url_profiles", list, "nền tảng có mẫu địa chỉ cố định",
              "platforms whose URL scheme is fixed"),
        Param("excerpt_chars", int, "độ dài trích dẫn làm bằng chứng", "length of excerpts"),
        Param("max_pages_listed", int, "số trang nêu làm bằng chứng", "pages listed as evidence"),
        Param("cloaking_check", bool, "tải lại dưới tên Googlebot để so sánh",
              "fetch again as Googlebot and compare"),
        Param("cloaking_sample", int, "số trang tải lại ngoài trang chủ",
              "pages fetched again besides the home page"),
        Param("cloaking_timeout", (int, float), "giây chờ mỗi lần tải lại",
              "seconds to wait per fetch"),
        Param("cloaking_user_agent", str, "User-Agent của Googlebot", "Googlebot User-Agent"),
        Param("cloaking_browser_user_agent", str, "User-Agent của trình duyệt",
              "browser User-Agent"),
        Param("cloaking_referer", str, "referer của trang tìm kiếm", "search engine referer"),
    )
    needs = ("site",)

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        site: SiteSnapshot = ctx.require_site()
        official = (ctx.config.school.url or site.base_url).rstrip("/")
        opts = ScanOptions(
            TermSet.from_params(params), (bare_host(official), bare_host(site.base_url)),
            HidingRules(float(params["offscreen_px"]), float(params["tiny_font_px"])),
            params["excerpt_chars"], quiet_hosts=tuple(params["allowed_hosts"]),
        )
        fits = _fits_platform(site, params["strict_url_profiles"])
        signals: list[Signal] = []
        for url, page in sorted(site.pages.items()):
            if page.text is None:
                continue
            if page.kind == "sitemap":
                signals += sitemap_signals(url, _LOC.findall(page.text), opts, fits)
            elif page.content_type in (None, "text/html", "application/xhtml+xml"):
                signals += page_signals(url, page.text, opts, fits)
        yield from self._findings(signals, official, params["max_pages_listed"])
        if params["cloaking_check"] and not site.stats.offline \
                and not site.served_from:
            yield from self._cloaking(ctx, site, opts, params, official)

    def _cloaking(self, ctx: AuditContext, site: SiteSnapshot, opts: ScanOptions,
                  params: Mapping[str, Any], official: str) -> Iterable[Finding]:
        pages = [(u, p.final_url, p.text) for u, p in sorted(site.pages.items())
                 if p.text and p.ok and p.kind in ("home", "article")]
        pages.sort(key=lambda row: site.pages[row[0]].kind != "home")
        chosen = [(u, f, t or "") for u, f, t in pages[:1 + params["cloaking_sample"]]]
        if not chosen:
            return
        agents = [("Googlebot", params["cloaking_user_agent"]),
                  ("trình duyệt từ Google", params["cloaking_browser_user_agent"])]
        found, failed = cloaking_signals(chosen, opts, agents=agents,
                                         referer=params["cloaking_referer"],
                                         timeout=float(params["cloaking_timeout"]),
                                         fetcher=ctx.site_fetcher())
        yield from self._findings(found, official, params["max_pages_listed"])
        if failed:  # what was not compared, and why (a drip, a refusal, robots.txt)
            first, (why_vi, why_en) = next(iter(failed.items()))
            yield self.finding(
                "cloaking:not-checked",
                f"Không so sánh được nội dung cho Googlebot: không tải lại được "
                f"{len(failed)}/{len(chosen)} trang (ví dụ {first}: {why_vi}).",
                f"Cloaking not compared: {len(failed)}/{len(chosen)} page(s) could not be "
                f"fetched again (e.g. {first}: {why_en}).",
                severity=Severity.INFO, source="site",
                evidence={"failed": sorted(failed),
                          "reasons": {url: vi for url, (vi, _) in failed.items()}})

    def _findings(self, signals: list[Signal], official: str, limit: int) -> Iterable[Finding]:
        groups: dict[str, list[Signal]] = {}
        for s in signals:
            groups.setdefault(s.key, []).append(s)
        for key, group in groups.items():
            first = group[0]
            pages = sorted({s.url for s in group})
            terms = list(dict.fromkeys(t for s in group for t in s.terms))
            where = _short(pages[0], official)
            more = f" và {len(pages) - 1} trang khác" if len(pages) > 1 else ""
            more_en = f" and {len(pages) - 1} other page(s)" if len(pages) > 1 else ""
            words = f" (từ ngữ: {', '.join(terms)})" if terms else ""
            words_en = f" (terms: {', '.join(terms)})" if terms else ""
            yield self.finding(
                _short(key, official),
                f"Dấu hiệu bị chèn nội dung cờ bạc/spam — {first.label}{words} trên trang "
                f"{where}{more}: {first.excerpt}",
                f"Sign of injected spam — {first.label_en}{words_en} on {where}{more_en}: "
                f"{first.excerpt}",
                url=pages[0], source="site",
                evidence={"signal": first.kind, "excerpt": first.excerpt, "url": pages[0],
                          "pages": pages[:limit], "page_count": len(pages), "terms": terms,
                          **first.detail},
            )


def _short(text: str, official: str) -> str:
    """Drop the official origin: subjects and messages name paths on the school's site."""
    return text.replace(official, "") or "/"


def _fits_platform(site: SiteSnapshot, strict: list[str]) -> Callable[[str], bool] | None:
    """For a platform with a fixed URL scheme (haiphong-edu): does a URL fit it?"""
    if site.profile not in strict:
        return None
    from auditor.profiles import load_profile

    try:
        profile = load_profile(site.profile)
    except Exception:  # a school's profile file that no longer loads: no scheme to compare
        return None

    def fits(url: str) -> bool:
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if path in ("/", "") or path.lower().startswith(tuple(profile.feeds + profile.sitemaps)):
            return True
        kind, _ = profile.url_kind(path)
        return kind is not None

    return fits
