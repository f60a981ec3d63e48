"""workflow.approval — published posts approved by the head or a deputy first."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from auditor.checks.interface import AuditContext, Check, Param
from auditor.checks.monthly import require_columns
from auditor.errors import NotChecked
from auditor.model import Post, PostStatus
from auditor.people import fold
from auditor.results import Finding
from auditor.textfmt import moment

_ROLES = {"head", "deputies", "secretary", "members"}


def _names(ctx: AuditContext, roles: Iterable[str]) -> set[str]:
    board = ctx.config.board
    names: set[str] = set()
    for role in roles:
        value = getattr(board, role)
        for name in value if isinstance(value, list) else [value]:
            if name:
                names.add(fold(name))
    return names


class WorkflowApproval(Check):
    """Quy trình duyệt tin bài (Điều 15 khoản 2–3, Quy chế kèm QĐ 111/QĐ-THCS).

    Bước 3–4: a post is published only after the head (Trưởng ban) or a
    deputy head (Phó Trưởng ban) of the editorial board approved it; and
    "Trưởng Ban Biên tập là người quyết định việc gỡ bỏ thông tin". Reads the
    CMS export: a published post with no approver, approved by someone who
    is not in `approver_roles`, or approved after it was published, is a
    violation; so is a take-down by someone not in `takedown_roles`. The
    board comes from `[board]` in auditor.toml; without it, or without any
    approval data in the export, the rule is not checked.

    Fails: bài 15020 do "Hoàng Thị Mai" (Ủy viên) duyệt, không phải Trưởng/Phó ban.
    Passes: bài 15001 do Phó Trưởng ban "Phạm Văn Quang" duyệt 3 giờ trước khi đăng.
    """

    id = "workflow.approval"
    title = "Quy trình duyệt tin bài trước khi đăng"
    title_en = "Posts approved by the board's head or deputy before publication"
    parameters = (
        Param("approver_roles", list, "vai trò được duyệt tin bài (head, deputies…)",
              "board roles allowed to approve"),
        Param("takedown_roles", list, "vai trò được quyết định gỡ tin bài",
              "board roles allowed to take posts down"),
        Param("clock_tolerance_minutes", int, "sai lệch đồng hồ cho phép giữa duyệt và đăng",
              "allowed clock skew between approval and publication"),
    )
    needs = ("posts",)

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        posts = ctx.require_posts()
        for key in ("approver_roles", "takedown_roles"):
            unknown = set(params[key]) - _ROLES
            if unknown:
                raise NotChecked(f"Vai trò không hợp lệ trong {key}: {', '.join(unknown)}.")
        approvers = _names(ctx, params["approver_roles"])
        removers = _names(ctx, params["takedown_roles"])
        if not approvers:
            raise NotChecked("Chưa khai báo Trưởng/Phó Ban biên tập trong [board] của "
                             "auditor.toml.", "The editorial board is not configured.")
        require_columns(ctx, ("approved_by",), "không biết ai đã duyệt tin bài",
                        "who approved the posts is unknown", site_fills=False)
        require_columns(ctx, ("published_at",), "không biết tin bài đăng lúc nào",
                        "when the posts were published is unknown")
        if ctx.posts_source == "site" or not any(p.approved_by or p.approved_at for p in posts):
            raise NotChecked("Tệp xuất CMS không có dữ liệu người duyệt/ngày duyệt.",
                             "The CMS export has no approval data.")
        skew = timedelta(minutes=params["clock_tolerance_minutes"])
        # The workflow is recorded only in the CMS; a post seen only on the site has no
        # approval data to judge (the reconciliation reports it as missing from the export).
        for p in (p for p in posts if p.provenance.source == "export"):
            if p.is_published and p.published_at and p.published_at.date() in ctx.span:
                yield from self._approval(ctx, p, approvers, skew)
            if p.status is PostStatus.DELETED and p.taken_down_at \
                    and p.taken_down_at.date() in ctx.span:
                yield from self._takedown(ctx, p, removers)

    def _base(self, ctx: AuditContext, p: Post, who: str | None) -> dict[str, Any]:
        # The breach is the publisher's (or remover's), not the writing department's.
        return {"person": who, "department": ctx.directory.department_of(who), "url": p.url,
                "post_id": p.post_id, "source": "export"}

    def _approval(self, ctx: AuditContext, p: Post, approvers: set[str],
                  skew: timedelta) -> Iterable[Finding]:
        assert p.published_at is not None
        who = p.published_by or p.author
        evidence = {"title": p.title, "approved_by": p.approved_by,
                    "approved_at": p.approved_at.isoformat() if p.approved_at else None,
                    "published_at": p.published_at.isoformat(), "published_by": p.published_by}
        on = p.published_at.date()
        if not p.approved_by:
            yield self.finding(
                f"post:{p.post_id}:approval",
                f"Bài “{p.title}” đăng lúc {moment(p.published_at)} nhưng không có người duyệt.",
                f"“{p.title}” was published {moment(p.published_at)} with no approver.",
                on=on, evidence=evidence, **self._base(ctx, p, who))
        elif fold(p.approved_by) not in approvers:
            yield self.finding(
                f"post:{p.post_id}:approval",
                f"Bài “{p.title}” do “{p.approved_by}” duyệt — không phải Trưởng hoặc Phó "
                "Trưởng Ban biên tập.",
                f"“{p.title}” was approved by “{p.approved_by}”, who is not the board's head "
                "or a deputy.",
                on=on, evidence=evidence, **self._base(ctx, p, who))
        elif p.approved_at and p.approved_at > p.published_at + skew:
            yield self.finding(
                f"post:{p.post_id}:approval",
                f"Bài “{p.title}” đăng lúc {moment(p.published_at)}, trước khi được duyệt "
                f"({moment(p.approved_at)}).",
                f"“{p.title}” was published {moment(p.published_at)}, before its approval "
                f"({moment(p.approved_at)}).",
                on=on, evidence=evidence, **self._base(ctx, p, who))

    def _takedown(self, ctx: AuditContext, p: Post, removers: set[str]) -> Iterable[Finding]:
        assert p.taken_down_at is not None
        if p.taken_down_by and fold(p.taken_down_by) in removers:
            return
        by = p.taken_down_by or "(không ghi)"
        yield self.finding(
            f"post:{p.post_id}:takedown",
            f"Bài “{p.title}” bị gỡ lúc {moment(p.taken_down_at)} bởi {by}; việc gỡ bỏ do "
            "Trưởng Ban biên tập quyết định.",
            f"“{p.title}” was taken down {moment(p.taken_down_at)} by {by}; only the board's "
            "head decides take-downs.",
            on=p.taken_down_at.date(),
            evidence={"title": p.title, "taken_down_by": p.taken_down_by,
                      "taken_down_at": p.taken_down_at.isoformat()},
            **self._base(ctx, p, p.taken_down_by))
