"""One exception root; each subclass carries its exit code.

The CLI maps any :class:`AuditorError` to one Vietnamese line (and a hint) and
the exit code below, never a traceback.
"""

from __future__ import annotations


class AuditorError(Exception):
    """Root of every error the tool reports to the user."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(AuditorError):
    """Arguments that do not fit together (exit 2)."""


class ConfigError(AuditorError):
    """An invalid value in auditor.toml or a rule set (exit 2)."""


class InputError(AuditorError):
    """An unusable input file: export, calendar, registry (exit 2)."""


class AuditIncomplete(AuditorError):
    """The audit could not complete, e.g. the site was unreachable (exit 3)."""

    exit_code = 3


class NotChecked(Exception):
    """Raised by a check that cannot run; the engine records `not_checked`."""

    def __init__(self, reason_vi: str, reason_en: str | None = None) -> None:
        super().__init__(reason_vi)
        self.reason_vi = reason_vi
        self.reason_en = reason_en or reason_vi
