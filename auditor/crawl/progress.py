"""Crawl progress: a rich bar on a terminal, one summary line otherwise (cron, CI, pipes)."""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO

from auditor.crawl.types import CrawlStats


class Progress(Protocol):
    def start(self) -> None: ...

    def update(self, stats: CrawlStats, queued: int) -> None:
        """Called after each URL; cheap."""

    def finish(self, stats: CrawlStats) -> None: ...


def _rate(stats: CrawlStats, elapsed: float) -> float:
    return stats.pages_fetched / elapsed if elapsed > 0 else 0.0


# Each limit: what it is (vi, en) and the [crawl] key that raises it.
_LIMITS = {
    "max_pages": ("số trang tối đa", "the page limit", "[crawl] max_pages"),
    "max_depth": ("độ sâu liên kết tối đa", "the link depth limit", "[crawl] max_depth"),
    "total_time": ("thời gian thu thập tối đa", "the crawl time limit", "[crawl] total_time"),
    "max_pattern_pages": ("số trang cùng một dạng địa chỉ (chặn bẫy thu thập)",
                          "the bound on pages of one address shape (crawler traps)", None),
    "max_bytes": ("dung lượng tối đa của một trang", "the size limit of one page",
                  "[crawl] max_bytes"),
}


def limit_notices(left: dict[str, int], lang: str = "vi") -> list[str]:
    """One sentence per limit that cut the crawl short: which limit, how many URLs it left."""
    out = []
    for limit, count in left.items():
        vi, en, key = _LIMITS.get(limit, (limit, limit, None))
        if lang == "en":
            what = (f"{count} pages were cut at {en} ({limit})" if limit == "max_bytes"
                    else f"the crawl stopped at {en} ({limit}) with {count} URLs left unread")
            hint = f"; raise {key} to read them" if key else ""
            out.append(f"Crawl incomplete: {what}{hint}.")
        else:
            what = (f"{count} trang bị cắt ở {vi} ({limit})" if limit == "max_bytes"
                    else f"dừng do giới hạn {vi} ({limit}), còn {count} địa chỉ chưa đọc")
            hint = f"; tăng {key} để đọc hết" if key else ""
            out.append(f"Thu thập chưa hết trang: {what}{hint}.")
    return out


def summary_line(stats: CrawlStats, lang: str = "vi") -> str:
    rate = _rate(stats, stats.elapsed)
    mb = stats.bytes_downloaded / 1_000_000
    if lang == "en":
        text = (f"Crawl: {stats.pages_fetched} fetched, {stats.from_cache} from cache, "
                f"{stats.errors} errors, {stats.requests} requests, {mb:.1f} MB, "
                f"{stats.elapsed:.1f} s ({rate:.1f} pages/s)")
        if stats.left:
            text += "; " + "; ".join(f"stopped at {k}: {n} left" for k, n in stats.left.items())
        elif stats.stopped:
            text += f"; stopped at limit {stats.stopped}"
        return text
    text = (f"Thu thập: {stats.pages_fetched} trang đã tải, {stats.from_cache} từ bộ nhớ đệm, "
            f"{stats.errors} lỗi, {stats.requests} yêu cầu, {mb:.1f} MB, "
            f"{stats.elapsed:.1f} giây ({rate:.1f} trang/giây)")
    if stats.left:
        text += "; " + "; ".join(f"dừng do giới hạn {k}: còn {n} địa chỉ chưa đọc"
                                 for k, n in stats.left.items())
    elif stats.stopped:
        text += f"; dừng do giới hạn {stats.stopped}"
    return text


class SummaryProgress:
    """No TTY: nothing while running, one line at the end."""

    def __init__(self, stream: TextIO | None = None, lang: str = "vi") -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.lang = lang

    def start(self) -> None:
        pass

    def update(self, stats: CrawlStats, queued: int) -> None:
        pass

    def finish(self, stats: CrawlStats) -> None:
        print(summary_line(stats, self.lang), file=self.stream, flush=True)


class RichProgress:
    """A live bar: fetched / queued / errors / rate."""

    def __init__(self, stream: TextIO | None = None, lang: str = "vi") -> None:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.lang = lang
        self.console = Console(file=stream if stream is not None else sys.stderr)
        label = "Thu thập" if lang == "vi" else "Crawling"
        self._progress = Progress(
            TextColumn(f"[bold]{label}"), BarColumn(), TextColumn("{task.fields[line]}"),
            TimeElapsedColumn(), console=self.console, transient=True,
        )
        self._task = self._progress.add_task(label, total=None, line="")
        self._started = time.monotonic()
        self._last = 0.0

    def start(self) -> None:
        self._started = time.monotonic()
        self._progress.start()

    def update(self, stats: CrawlStats, queued: int) -> None:
        now = time.monotonic()
        if now - self._last < 0.1:  # repainting per page would cost more than fetching it
            return
        self._last = now
        done = stats.pages_fetched + stats.from_cache + stats.errors
        rate = _rate(stats, now - self._started)
        if self.lang == "vi":
            line = (f"đã tải {stats.pages_fetched} · chờ {queued} · lỗi {stats.errors} · "
                    f"{rate:.1f} trang/giây")
        else:
            line = (f"fetched {stats.pages_fetched} · queued {queued} · errors {stats.errors} · "
                    f"{rate:.1f} pages/s")
        self._progress.update(self._task, completed=done, total=done + queued, line=line)

    def finish(self, stats: CrawlStats) -> None:
        self._progress.stop()
        self.console.print(summary_line(stats, self.lang), markup=False, highlight=False,
                           soft_wrap=True)


def make_progress(stream: TextIO | None = None, lang: str = "vi", *,
                  enabled: bool = True) -> Progress | None:
    """A rich bar when `stream` is a terminal, else one summary line; None when disabled."""
    if not enabled:
        return None
    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        return RichProgress(stream, lang)
    return SummaryProgress(stream, lang)
