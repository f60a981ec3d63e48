"""disclosure.always-visible — no disclosure item is removed or hidden."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from auditor.checks.disclosure_common import GONE, current_state, earlier_states, refetch
from auditor.checks.disclosure_unread import unread_items
from auditor.checks.interface import AuditContext, Check, Param
from auditor.errors import NotChecked
from auditor.history.records import DisclosureRecord, DisclosureState, RunInfo
from auditor.results import Finding, Severity

# Why an item is not visible, in words (Vietnamese, English).
_WHY = {
    "css": ("bị ẩn bằng CSS (display:none / visibility:hidden)",
            "hidden with CSS (display:none / visibility:hidden)"),
    "export:hidden": ("đang ở chế độ ẩn trong CMS", "set to hidden in the CMS"),
    "export:deleted": ("đã bị gỡ/xoá trong CMS", "taken down or deleted in the CMS"),
    "export:draft": ("bị chuyển về nháp trong CMS", "turned back into a draft in the CMS"),
    "export:pending": ("bị chuyển về chờ duyệt trong CMS", "sent back to review in the CMS"),
    "list": ("bị gỡ khỏi danh sách của chuyên mục (trang vẫn mở được)",
             "removed from the section's list (its page still opens)"),
    "list:absent": ("bị gỡ khỏi danh sách của chuyên mục", "removed from the section's list"),
    "export:missing": ("không còn trong tệp xuất CMS (đã bị xoá?)",
                       "no longer in the CMS export (deleted?)"),
}


def _why(reason: str) -> tuple[str, str]:
    if reason.startswith("http:"):
        code = reason[5:]
        return f"không còn truy cập được (HTTP {code})", f"no longer reachable (HTTP {code})"
    return _WHY.get(reason, (reason, reason))


class DisclosureAlwaysVisible(Check):
    """Nội dung công khai hiển thị liên tục (Điều 13.1.c, QĐ 111/QĐ-THCS).

    "Nội dung công khai trên trang thông tin điện tử phải được để ở chế độ
    hiển thị liên tục, không được gỡ bỏ hoặc để ở chế độ ẩn." An item of the
    Công khai section seen in an earlier run (kept in the history for
    `remember_days`) that is now gone or hidden is a violation naming the day
    it was last seen: its page answers 404/403/410, it was removed from the
    section's list, it is marked hidden or deleted in the CMS export, or the
    page hides it with CSS (display:none, visibility:hidden). Hidden items are
    violations even on a first run; an item merely missing from a later CMS
    export is a warning (an export may cover only some months). A passing
    network failure is not a removal: a failed or missing page is fetched a
    second time before anything is said, and an unconfirmed failure is only
    a warning.

    Fails: "Biểu mẫu 11" listed on 02/11/2026 answers 404 on 09/11/2026 (and
    again on the second fetch); or it is still listed but wrapped in
    ``style="display:none"``.
    Passes: every item seen before is still listed and visible (a renamed
    item keeps its post id and is the same item).
    """

    id = "disclosure.always-visible"
    title = "Nội dung công khai hiển thị liên tục, không gỡ bỏ, không ẩn"
    title_en = "Disclosure items stay visible: never removed or hidden"
    parameters = (
        Param("remember_days", int, "số ngày lịch sử dùng để so sánh (mục thấy lần cuối trước "
              "đó không còn được đối chiếu)", "days of history compared"),
        Param("categories", list, "chuyên mục của tệp xuất CMS chứa nội dung công khai",
              "CMS export categories that hold disclosure items"),
        Param("refetch_timeout", (int, float), "thời gian chờ (giây) khi tải lại để xác nhận",
              "seconds to wait for a confirming second fetch"),
    )
    needs = ("site", "posts", "history")

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        state = self._readable_state(ctx, params["categories"])
        site_ok = self._site_usable(ctx)
        timeout = float(params["refetch_timeout"])
        last_visible = self._last_visible(ctx, params["remember_days"])
        now = {r.key: r for r in state.items}
        for key, rec in now.items():
            seen = last_visible.get(key)
            if rec.visible:
                yield from self._visible_now(ctx, rec, seen, site_ok, timeout)
            else:
                yield from self._not_visible_now(ctx, rec, seen, timeout)
        for key, (run, old) in last_visible.items():
            if key in now:
                continue
            absent = self._why_absent(ctx, old, site_ok, timeout)
            if absent is not None:
                yield self._gone(old, absent, (run, old))

    @staticmethod
    def _readable_state(ctx: AuditContext, categories: Iterable[str]) -> DisclosureState:
        """This run's disclosure items, or NotChecked when nothing could show them."""
        state = current_state(ctx, categories)
        if state is None:
            raise NotChecked("Chưa có dữ liệu chuyên mục Công khai (chưa thu thập trang web, "
                             "chưa có tệp xuất CMS).",
                             "No disclosure data (no crawl and no CMS export).")
        section = ctx.site.disclosure if ctx.site is not None else None
        if section is not None and section.unread and (
                ctx.posts is None or ctx.posts_source == "site"):
            # Only the site could show the items, and they could not be read.
            raise unread_items(section.unread, section.url)
        return state

    def _visible_now(self, ctx: AuditContext, rec: DisclosureRecord,
                     seen: tuple[RunInfo, DisclosureRecord] | None, site_ok: bool,
                     timeout: float) -> Iterable[Finding]:
        """An item shown in this run: its page failed, or the site's list lost it."""
        if rec.status is not None and rec.status >= 500:
            yield from self._confirm(ctx, rec, seen, timeout)
        elif rec.source == "export" and seen and "site" in seen[1].source and site_ok:
            # Published in the CMS, but gone from the section the visitors see.
            absent = self._why_absent(ctx, seen[1], site_ok, timeout)
            if absent is not None:
                yield self._gone(seen[1], absent, seen)

    def _not_visible_now(self, ctx: AuditContext, rec: DisclosureRecord,
                         seen: tuple[RunInfo, DisclosureRecord] | None,
                         timeout: float) -> Iterable[Finding]:
        """An item hidden, unpublished or failing in this run."""
        if rec.hidden in ("export:draft", "export:pending") and seen is None:
            return  # never published: not a disclosure item yet
        reason = rec.hidden or ""
        if reason.startswith("http:"):
            again = refetch(rec.url, ctx, timeout) if rec.url else None
            if again is not None and again < 400:
                return  # the first answer was passing
        yield self._gone(rec, reason, seen)

    @staticmethod
    def _site_usable(ctx: AuditContext) -> bool:
        site = ctx.site
        if site is None or site.disclosure is None:
            return False
        status = site.disclosure.status
        # A section whose items could not be read says nothing of an item's removal.
        return status is not None and status < 400 and not site.disclosure.unread

    @staticmethod
    def _last_visible(ctx: AuditContext, remember_days: int
                      ) -> dict[str, tuple[RunInfo, DisclosureRecord]]:
        found: dict[str, tuple[RunInfo, DisclosureRecord]] = {}
        for run, state in earlier_states(ctx):
            if (ctx.today - run.day).days > remember_days:
                continue
            for rec in state.items:
                if rec.visible:
                    found[rec.key] = (run, rec)  # later runs overwrite earlier ones
        return found

    @staticmethod
    def _why_absent(ctx: AuditContext, old: DisclosureRecord, site_ok: bool,
                    timeout: float) -> str | None:
        """Why an item seen before is not in this run, or None when this run cannot tell."""
        if "site" in old.source and site_ok:
            if not old.url:
                return "list"
            status = refetch(old.url, ctx, timeout)
            if status is None or status >= 500:
                return "list:absent"  # absent from a list that loaded: removed all the same
            return f"http:{status}" if status >= 400 else "list"
        if "export" in old.source and ctx.posts is not None and ctx.posts_source != "site":
            return "export:missing"
        return None  # the source that showed it is not part of this run

    def _gone(self, rec: DisclosureRecord, reason: str,
              seen: tuple[RunInfo, DisclosureRecord] | None) -> Finding:
        why_vi, why_en = _why(reason)
        last: date | None = seen[0].day if seen else None
        when_vi = f"; lần cuối thấy hiển thị ngày {last:%d/%m/%Y}" if last else ""
        when_en = f"; last seen visible on {last:%d/%m/%Y}" if last else ""
        title = seen[1].title if seen and seen[1].title != rec.title else rec.title
        return self.finding(
            f"item:{rec.key}",
            f"Mục công khai «{title}» {why_vi}{when_vi}.",
            f"Disclosure item “{title}” is {why_en}{when_en}.",
            # Absence from an export file is weaker evidence than the site (the
            # export may cover only some months): a warning, not a violation.
            severity=Severity.WARNING if reason == "export:missing" else Severity.VIOLATION,
            url=rec.url, post_id=rec.post_id, source=rec.source,
            evidence={"reason": reason, "last_seen": last.isoformat() if last else None,
                      "title_now": rec.title if rec.title != title else None})

    def _confirm(self, ctx: AuditContext, rec: DisclosureRecord,
                 seen: tuple[RunInfo, DisclosureRecord] | None,
                 timeout: float) -> Iterable[Finding]:
        """A listed item whose page failed: fetch again before saying anything."""
        again = refetch(rec.url, ctx, timeout) if rec.url else None
        if again is not None and again < 400:
            return
        if again in GONE:
            yield self._gone(rec, f"http:{again}", seen)
            return
        yield self.finding(
            f"item:{rec.key}",
            f"Không mở được mục công khai «{rec.title}» sau hai lần thử (lỗi mạng hoặc máy "
            "chủ); chưa kết luận là bị gỡ.",
            f"Disclosure item “{rec.title}” failed to load twice (network or server error); "
            "not called a removal.",
            severity=Severity.WARNING, url=rec.url, post_id=rec.post_id, source="site",
            evidence={"status": rec.status, "second_fetch": again})
