"""posts.event-deadline — a post about each event within N days of its end."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, time, timedelta
from typing import Any

from auditor.authority import fill
from auditor.checks.event_matching import match_events
from auditor.checks.interface import AuditContext, Check, Param
from auditor.checks.monthly import require_columns
from auditor.model import Event, EventKind, Organiser
from auditor.results import EventRow, Finding, Severity
from auditor.site.coverage import require_read_posts
from auditor.textfmt import moment as _fmt
from auditor.textfmt import num

_ORGANISER_VI = {Organiser.SCHOOL: "nhà trường", Organiser.AUTHORITY: "{authority}"}


class EventDeadline(Check):
    """Đưa tin sự kiện chậm nhất 01 ngày sau khi kết thúc (Điều 16 khoản 4, QĐ 111/QĐ-THCS).

    Every event of the calendar — organised by the school or by the
    authority — needs a post no later than `days_after_end` days after it
    ends (until 23:59:59 local time of that day). For a district or city
    chuyên đề the school first sends the plan within one day, then the IT
    teacher posts within one day of receiving it: `topic_days_after_receipt`
    after the recorded receipt, else `topic_days_after_end` after the end.
    Posts are paired by the explicit link first, then by a fuzzy title match
    (accent- and case-insensitive); one post never counts for two events. A
    missing or late post is attributed to the event's responsible department.

    Fails: "Hội nghị cha mẹ học sinh" kết thúc 17/10, bài đăng 20/10 14:00 (muộn 38 giờ).
    Passes: "Lễ khai giảng" kết thúc 05/9 10:00, bài đăng 05/9 15:30.
    """

    id = "posts.event-deadline"
    title = "Đưa tin sự kiện chậm nhất 01 ngày sau khi kết thúc"
    title_en = "A post about each event within 1 day of its end"
    parameters = (
        Param("days_after_end", int, "số ngày sau khi sự kiện kết thúc", "days after the end"),
        Param("topic_days_after_end", int, "chuyên đề: số ngày sau khi kết thúc",
              "topic sessions: days after the end"),
        Param("topic_days_after_receipt", int, "chuyên đề: số ngày sau khi nhận thông tin",
              "topic sessions: days after the information was received"),
        Param("deadline_time", str, "giờ hết hạn trong ngày (HH:MM:SS)", "time of day"),
        Param("match_min_score", (int, float), "độ giống tiêu đề tối thiểu (0–100)",
              "minimum title similarity"),
        Param("match_confirm_score", (int, float),
              "độ giống từ mức này đến mức tối thiểu: cần người xác nhận (0–100)",
              "similarity from here up to the minimum: a person confirms the pair"),
        Param("match_days_before", int, "bài đăng sớm nhất trước ngày bắt đầu",
              "earliest post, days before the start"),
        Param("match_days_after", int, "bài đăng muộn nhất sau hạn được ghép",
              "latest post paired, days after the deadline"),
    )
    needs = ("posts", "events")

    def deadline(self, ev: Event, params: Mapping[str, Any], ctx: AuditContext) -> datetime:
        cutoff = time.fromisoformat(params["deadline_time"])
        if ev.kind is EventKind.TOPIC and ev.info_received_at is not None:
            base = ev.info_received_at.astimezone(ctx.tz).date()
            days = params["topic_days_after_receipt"]
        elif ev.kind is EventKind.TOPIC:
            base, days = ev.end.astimezone(ctx.tz).date(), params["topic_days_after_end"]
        else:
            base, days = ev.end.astimezone(ctx.tz).date(), params["days_after_end"]
        return datetime.combine(base + timedelta(days=days), cutoff, tzinfo=ctx.tz)

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        events = ctx.require_events()
        posts = ctx.require_posts()
        require_columns(ctx, ("published_at",), "không biết tin bài đăng lúc nào",
                        "when the posts were published is unknown")
        require_read_posts(ctx)  # a crawl that read too few dated posts: not checked
        deadlines = {ev.event_id: self.deadline(ev, params, ctx) for ev in events}
        judged = [ev for ev in events if deadlines[ev.event_id].date() in ctx.span]
        matches = match_events(judged, posts, deadlines,
                               min_score=params["match_min_score"],
                               days_before=params["match_days_before"],
                               days_after=params["match_days_after"],
                               confirm_score=params["match_confirm_score"])
        ctx.sections.begin_events()  # a calendar was read: no event is "none", not "no data"
        for ev in sorted(judged, key=lambda e: (e.end, e.event_id)):
            due = deadlines[ev.event_id]
            match = matches.get(ev.event_id)
            published = match.post.published_at if match else None
            delay = None
            if published is not None and published > due:
                delay = round((published - due).total_seconds() / 3600, 1)
            if match is not None and match.how == "uncertain":
                status = "unconfirmed"
            elif published is not None:
                status = "late" if delay is not None else "on_time"
            else:
                status = "missing" if ctx.as_of > due else "pending"
            ctx.sections.event(EventRow(
                event_id=ev.event_id, title=ev.title, organiser=ev.organiser.value,
                kind=ev.kind.value, department=ev.department, person=ev.person,
                start=ev.start, end=ev.end, deadline=due,
                post_id=match.post.post_id if match else None,
                post_title=match.post.title if match else None,
                post_url=match.post.url if match else None,
                published_at=published, delay_hours=delay, status=status,
                matched_by=match.how if match else None,
            ))
            if status in ("on_time", "pending"):
                continue
            evidence: dict[str, Any] = {"event_id": ev.event_id, "event_title": ev.title,
                        "organiser": ev.organiser.value, "kind": ev.kind.value,
                        "end": ev.end.isoformat(), "deadline": due.isoformat(),
                        "source": ctx.posts_source}
            what = "chuyên đề" if ev.kind is EventKind.TOPIC else "sự kiện"
            who = fill(_ORGANISER_VI[ev.organiser], ctx.config)
            if status == "unconfirmed" and match is not None and published is not None:
                # A title that only resembles the event's: a person decides, no verdict.
                evidence |= {"post_title": match.post.title,
                             "published_at": published.isoformat(),
                             "score": match.score, "matched_by": match.how}
                yield self.finding(
                    f"event:{ev.event_id}",
                    f"Cần xác nhận: bài “{match.post.title}” (đăng {_fmt(published)}) có phải "
                    f"tin về {what} “{ev.title}” (kết thúc {_fmt(ev.end)}, hạn {_fmt(due)})? "
                    f"Tiêu đề chỉ giống {num(match.score)}%; nếu đúng, ghi mã sự kiện vào bài "
                    "trong tệp xuất.",
                    f"To confirm: is “{match.post.title}” (published {_fmt(published)}) the "
                    f"post about “{ev.title}” (ended {_fmt(ev.end)}, due {_fmt(due)})? The "
                    f"titles are only {num(match.score, 'en')}% alike; if so, link the event "
                    "id in the export.",
                    severity=Severity.WARNING, department=ev.department, person=ev.person,
                    on=due.date(), url=match.post.url, post_id=match.post.post_id,
                    source=ctx.posts_source, evidence=evidence)
                continue
            if match is not None and published is not None and delay is not None:
                evidence |= {"post_title": match.post.title, "published_at": published.isoformat(),
                             "delay_hours": delay, "matched_by": match.how}
                yield self.finding(
                    f"event:{ev.event_id}",
                    f"Tin bài về {what} “{ev.title}” ({who} tổ chức, kết thúc {_fmt(ev.end)}) "
                    f"đăng muộn {num(delay)} giờ: đăng lúc {_fmt(published)}, "
                    f"hạn chót {_fmt(due)}.",
                    f"The post about “{ev.title}” (ended {_fmt(ev.end)}) was "
                    f"{num(delay, 'en')} hours late: published {_fmt(published)}, "
                    f"due {_fmt(due)}.",
                    department=ev.department, person=ev.person, on=due.date(),
                    url=match.post.url, post_id=match.post.post_id,
                    source=ctx.posts_source, evidence=evidence)
            else:
                yield self.finding(
                    f"event:{ev.event_id}",
                    f"Chưa có tin bài về {what} “{ev.title}” ({who} tổ chức, kết thúc "
                    f"{_fmt(ev.end)}); hạn đưa tin là {_fmt(due)}.",
                    f"No post about “{ev.title}” (ended {_fmt(ev.end)}); it was due by "
                    f"{_fmt(due)}.",
                    department=ev.department, person=ev.person, on=due.date(),
                    source=ctx.posts_source, evidence=evidence)
