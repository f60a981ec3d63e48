"""One exception root; each subclass carries its exit code.

The CLI maps any :class:`AuditorError` to one line (and a hint) and the exit
code below, never a traceback. The line is Vietnamese unless English was asked
for (``--lang en`` on the command line or ``AUDITOR_LANG=en``); every error
carries its English text beside the Vietnamese (``en=``, ``hint_en=``).
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from collections.abc import Iterator, Mapping, Sequence

# The words before an error line and its hint, by language.
_LABELS = {"vi": ("Lỗi", "Gợi ý"), "en": ("Error", "Hint")}


class AuditorError(Exception):
    """Root of every error the tool reports to the user."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None, en: str | None = None,
                 hint_en: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.en = en
        self.hint_en = hint_en

    def __str__(self) -> str:
        return self.message

    def text(self, lang: str = "vi") -> str:
        """The message in `lang` ("vi" or "en"); Vietnamese when no English was given."""
        return self.en if lang == "en" and self.en else self.message

    def hint_text(self, lang: str = "vi") -> str | None:
        """The hint in `lang`; Vietnamese when no English was given, None when there is none."""
        return self.hint_en if lang == "en" and self.hint_en else self.hint

    def lines(self, lang: str = "vi") -> list[str]:
        """What the CLI prints: "Lỗi: …" and "Gợi ý: …" (or "Error: …" / "Hint: …")."""
        error, hint = _LABELS["en" if lang == "en" else "vi"]
        out = [f"{error}: {self.text(lang)}"]
        tip = self.hint_text(lang)
        if tip:
            out.append(f"{hint}: {tip}")
        return out


class UsageError(AuditorError):
    """Arguments that do not fit together (exit 2)."""


class ConfigError(AuditorError):
    """An invalid value in auditor.toml or a rule set (exit 2)."""


class InputError(AuditorError):
    """An unusable input file: export, calendar, registry (exit 2)."""


class AuditIncomplete(AuditorError):
    """The audit could not complete, e.g. the site was unreachable (exit 3)."""

    exit_code = 3


class HistoryError(ConfigError):
    """The history file cannot be used (exit 2): nothing was crawled or written yet."""


class HistoryNewer(HistoryError):
    """A history written by a newer auditor: refused, never written into."""

    def __init__(self, path: object, unknown: Sequence[str]) -> None:
        names = ", ".join(unknown)
        super().__init__(
            f"{path}: tệp lịch sử do phiên bản auditor mới hơn tạo ({names}); không ghi vào.",
            hint="Cập nhật auditor (pip install -U auditor), hoặc dùng --history TỆP khác.",
            en=f"{path}: the history file was written by a newer auditor ({names}); "
               "not writing into it.",
            hint_en="Upgrade auditor (pip install -U auditor), or use --history with another "
                    "file.")


class HistoryDamaged(HistoryError):
    """A history file SQLite cannot read: named, with what to do."""

    def __init__(self, path: object, detail: object) -> None:
        text = str(detail)
        detail_vi = ("không phải CSDL SQLite" if "not a database" in text
                     else "cấu trúc CSDL bị hỏng" if "malformed" in text
                     else f"SQLite báo: {text}")
        super().__init__(
            f"{path}: tệp lịch sử bị hỏng, không đọc được ({detail_vi}).",
            hint=f"Đổi tên tệp {path} (giữ lại để khôi phục) rồi chạy lại: auditor tạo tệp mới; "
                 "hoặc chép lại bản sao lưu.",
            en=f"{path}: the history file is damaged and cannot be read ({detail}).",
            hint_en=f"Rename {path} (keep it for recovery) and run again: auditor starts a new "
                    "file; or restore a backup.")


class HistoryBusy(HistoryError):
    """Another run holds the history longer than the busy timeout."""

    exit_code = 3

    def __init__(self, path: object) -> None:
        super().__init__(
            f"{path}: một lần kiểm tra khác đang ghi tệp lịch sử; đã chờ mà chưa xong.",
            hint="Chạy lại khi lần kia xong, hoặc dùng --history TỆP khác.",
            en=f"{path}: another run is writing the history file; waited and it is not done.",
            hint_en="Run again when the other run ends, or use --history with another file.")


_OS_REASONS = {
    errno.EACCES: ("không có quyền ghi", "permission denied"),
    errno.EPERM: ("không có quyền ghi", "permission denied"),
    errno.EROFS: ("ổ đĩa chỉ cho đọc", "read-only file system"),
    errno.ENOSPC: ("ổ đĩa đã đầy", "no space left on the disk"),
    errno.EDQUOT: ("đã hết hạn mức dung lượng", "disk quota exceeded"),
    errno.EFBIG: ("tệp vượt giới hạn kích thước cho phép", "file too large"),
    errno.ENOTDIR: ("một phần của đường dẫn là tệp, không phải thư mục",
                    "part of the path is a file, not a folder"),
    errno.EEXIST: ("đã có một tệp trùng tên ở chỗ cần thư mục",
                   "a file is in the place of the folder"),
    errno.ENOENT: ("thư mục không tồn tại", "the folder does not exist"),
    errno.EISDIR: ("đó là một thư mục", "it is a folder"),
    errno.EIO: ("lỗi đọc ghi ổ đĩa", "input/output error"),
}


def os_reason(exc: OSError) -> tuple[str, str]:
    """Why a file operation failed, in Vietnamese and in English (never the OS's English
    in a Vietnamese line)."""
    known = _OS_REASONS.get(exc.errno or -1)
    if known:
        return known
    detail = exc.strerror or type(exc).__name__
    return f"lỗi hệ thống tệp (errno {exc.errno}: {detail})", detail


class InvalidValue(ValueError):
    """A validator's complaint in both languages; pydantic keeps it in ``ctx['error']``."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(vi)
        self.vi = vi
        self.en = en


# The language of the command line being run (set by auditor.cli.main for its duration).
_SPEAKING: list[str] = []


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """While a command runs, :func:`error_lang` with no arguments answers `lang`."""
    _SPEAKING.append(lang)
    try:
        yield
    finally:
        _SPEAKING.pop()


def error_lang(argv: Sequence[str] | None = None,
               environ: Mapping[str, str] | None = None) -> str:
    """The language of error output: "en" for ``--lang en`` / ``--lang=en`` anywhere in
    `argv` (default: the command line auditor.cli.main is running, else this process's
    arguments) or ``AUDITOR_LANG=en``, else "vi"."""
    if argv is None and environ is None and _SPEAKING:
        return _SPEAKING[-1]
    args = list(sys.argv[1:] if argv is None else argv)
    if "--" in args:
        args = args[:args.index("--")]
    for i, arg in enumerate(args):
        value = (args[i + 1] if arg == "--lang" and i + 1 < len(args)
                 else arg.split("=", 1)[1] if arg.startswith("--lang=") else None)
        if value is not None and value.strip().lower() in ("vi", "en"):
            return value.strip().lower()
        # `--lang fr` is refused in the language of AUDITOR_LANG (else Vietnamese)
    env = os.environ if environ is None else environ
    return "en" if env.get("AUDITOR_LANG", "").strip().lower() == "en" else "vi"


class NotChecked(Exception):
    """Raised by a check that cannot run; the engine records `not_checked`."""

    def __init__(self, reason_vi: str, reason_en: str | None = None) -> None:
        super().__init__(reason_vi)
        self.reason_vi = reason_vi
        self.reason_en = reason_en or reason_vi
