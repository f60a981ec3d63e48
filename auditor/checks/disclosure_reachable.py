"""disclosure.reachable — the Công khai section is linked from the home page and answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from auditor.checks.disclosure_common import (
    GONE,
    click_path,
    history_school,
    official,
    refetch_why,
)
from auditor.checks.disclosure_unread import unread_items
from auditor.checks.interface import AuditContext, Check, Param
from auditor.errors import NotChecked
from auditor.history.records import normalise_url
from auditor.results import Finding, Severity
from auditor.textfmt import plural


def _path_text(steps: tuple[tuple[str, str], ...]) -> str:
    return " → ".join(("Trang chủ", *(title for title, _ in steps)))


class DisclosureReachable(Check):
    """Chuyên mục Công khai truy cập được từ trang chủ (Điều 13.1.c, Điều 14.6, QĐ 111/QĐ-THCS).

    "Xây dựng chuyên mục Công khai trên Trang thông tin điện tử của nhà trường
    … đảm bảo đầy đủ, kịp thời, dễ tìm kiếm." The menu of the home page must
    lead to the section within `max_clicks` clicks, and the section must
    answer 200 with at least `min_items` visible items. The finding shows the
    click path. When the address in ``[disclosure] url`` or the one last
    reported to the authority differs from the one the menu links to, a
    warning says so (``disclosure.link-reported`` judges the deadline).

    Fails: the menu has no "Công khai" entry; or Trang chủ → Giới thiệu →
    Văn bản → Công khai (3 clicks, max 2); or the section answers 404.
    Passes: Trang chủ → Công khai (1 click), 200, five items listed.
    """

    id = "disclosure.reachable"
    title = "Chuyên mục Công khai truy cập được từ trang chủ"
    title_en = "The disclosure section is reachable from the home page"
    parameters = (
        Param("max_clicks", int, "số lần bấm tối đa từ trang chủ tới chuyên mục",
              "most clicks from the home page to the section"),
        Param("min_items", int, "số mục công khai hiển thị tối thiểu trong chuyên mục",
              "fewest visible items the section must list"),
        Param("refetch_timeout", (int, float), "thời gian chờ (giây) khi tải lại để xác nhận",
              "seconds to wait for a confirming second fetch"),
    )
    needs = ("site",)

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        site = ctx.site
        if site is None:
            raise ctx.no_site("Chưa thu thập trang web (chưa có địa chỉ trang).",
                              "The site was not crawled (no site address given).")
        if not site.nav and site.disclosure is None:
            raise NotChecked("Không đọc được menu của trang chủ.",
                             "The home page's menu could not be read.")
        section = site.disclosure
        if section is None:
            yield self.finding(
                "section:link",
                "Menu trang chủ không có liên kết tới chuyên mục Công khai.",
                "The home page's menu has no link to the disclosure (Công khai) section.",
                url=site.base_url, source="site",
                evidence={"menu": [n.title for n in site.nav]})
            return
        steps = click_path(ctx)
        url = official(section.url, ctx)
        clicks = len(steps) if steps else (1 if section.linked_from_home else None)
        evidence: dict[str, Any] = {"click_path": [t for t, _ in steps], "clicks": clicks,
                                    "url": url, "status": section.status}
        found = list(self._path(params, url, steps, clicks, evidence))
        found += self._answers(ctx, params, section, url or section.url, steps, evidence)
        if section.unread and not found:
            # The section answers but its items could not be read: no verdict on them.
            raise unread_items(section.unread, url or section.url)
        yield from found
        yield from self._addresses(ctx, url)

    def _path(self, params: Mapping[str, Any], url: str | None,
              steps: tuple[tuple[str, str], ...], clicks: int | None,
              evidence: dict[str, Any]) -> Iterable[Finding]:
        if clicks is None:
            yield self.finding(
                "section:link",
                f"Chuyên mục Công khai ({url}) không được liên kết từ trang chủ.",
                f"The disclosure section ({url}) is not linked from the home page.",
                url=url, source="site", evidence=evidence)
        elif clicks > params["max_clicks"]:
            yield self.finding(
                "section:depth",
                f"Chuyên mục Công khai cần {clicks} lần bấm từ trang chủ "
                f"({_path_text(steps)}); tối đa {params['max_clicks']}.",
                f"The disclosure section takes {clicks} clicks from the home page "
                f"({_path_text(steps)}); at most {params['max_clicks']} allowed.",
                url=url, source="site", evidence=evidence)

    def _answers(self, ctx: AuditContext, params: Mapping[str, Any], section: Any, url: str,
                 steps: tuple[tuple[str, str], ...], evidence: dict[str, Any]
                 ) -> list[Finding]:
        return list(self._answer(ctx, params, section, url, steps, evidence))

    def _answer(self, ctx: AuditContext, params: Mapping[str, Any], section: Any, url: str,
                steps: tuple[tuple[str, str], ...], evidence: dict[str, Any]
                ) -> Iterable[Finding]:
        status = section.status
        if status is None or status >= 500:
            # One network failure is not an unreachable section: fetch again.
            status, why = refetch_why(url, ctx, float(params["refetch_timeout"]))
            evidence = {**evidence, "second_fetch": status}
            if status is None or status >= 500:
                vi, en = (f": {why[0]}", f": {why[1]}") if why else ("", "")
                raise NotChecked(f"Không tải được chuyên mục Công khai ({url}) sau hai lần "
                                 f"thử{vi}.",
                                 f"The disclosure section ({url}) failed to load twice{en}.")
        if status >= 400:
            kind = "không còn tồn tại" if status in GONE else "lỗi"
            yield self.finding(
                "section:status",
                f"Chuyên mục Công khai ({_path_text(steps)}, {url}) trả về HTTP {status} "
                f"({kind}).",
                f"The disclosure section ({_path_text(steps)}, {url}) answers HTTP {status}.",
                url=url, source="site", evidence=evidence)
            return
        if section.unread:
            return  # how many items it shows is unknown: not a violation (run() says so)
        visible = [i for i in section.items if not i.hidden_by_css]
        if len(visible) < params["min_items"]:
            yield self.finding(
                "section:content",
                f"Chuyên mục Công khai ({_path_text(steps)}) chỉ hiển thị {len(visible)} mục; "
                f"cần ít nhất {params['min_items']}.",
                f"The disclosure section ({_path_text(steps)}) shows "
                f"{plural(len(visible), 'item')}; at least {params['min_items']} expected.",
                url=url, source="site", evidence={**evidence, "visible_items": len(visible)})

    def _addresses(self, ctx: AuditContext, menu_url: str | None) -> Iterable[Finding]:
        if menu_url is None:
            return
        configured = ctx.config.disclosure.url
        if configured and normalise_url(configured) != menu_url:
            yield self.finding(
                "address:configured",
                f"Menu trang chủ dẫn tới {menu_url}, khác địa chỉ chuyên mục Công khai trong "
                f"cấu hình ({normalise_url(configured)}).",
                f"The home page's menu links to {menu_url}, not to the configured disclosure "
                f"address ({normalise_url(configured)}).",
                severity=Severity.WARNING, url=menu_url, source="site",
                evidence={"menu": menu_url, "configured": normalise_url(configured)})
        if ctx.history is None:
            return
        reports = ctx.history.link_reports(history_school(ctx), until=ctx.today)
        if reports and reports[-1].url != menu_url:
            last = reports[-1]
            yield self.finding(
                "address:reported",
                f"Menu trang chủ dẫn tới {menu_url}, khác địa chỉ đã báo cáo "
                f"{ctx.config.authority.name} ngày {last.reported_on:%d/%m/%Y} ({last.url}).",
                f"The home page's menu links to {menu_url}, not to the address reported to "
                f"{ctx.config.authority.name} on {last.reported_on:%d/%m/%Y} ({last.url}).",
                severity=Severity.WARNING, url=menu_url, source="site",
                evidence={"menu": menu_url, "reported": last.url,
                          "reported_on": last.reported_on.isoformat()})
