"""E-mail after an unattended run: the Vietnamese summary in the body, the reports attached.

``[notify]`` in auditor.toml (or in a batch registry .toml) names the SMTP
server; the password comes from the environment variable it names, never from
a file. ``--only-new`` sends only when the run found something new.
"""

from __future__ import annotations

import base64
import io
import mimetypes
import os
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from auditor.config import NotifyConfig
from auditor.errors import AuditIncomplete, ConfigError
from auditor.results import AuditReport, FindingStatus, Severity


def new_findings(report: AuditReport) -> int:
    """Open findings the school's previous run did not have (0 without a history)."""
    return report.comparison.new_count(report.findings) if report.comparison else 0


def report_summary(report: AuditReport, lang: str = "vi") -> str:
    """The console summary as plain text (no colour, lines unwrapped)."""
    from rich.console import Console

    from auditor.render.console import UNWRAPPED, render_console

    buffer = io.StringIO()
    render_console(report, Console(file=buffer, width=UNWRAPPED, no_color=True,
                                   highlight=False), lang)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


def report_subject(report: AuditReport) -> str:
    open_findings = [f for f in report.findings if f.status is FindingStatus.OPEN]
    v = sum(f.severity is Severity.VIOLATION for f in open_findings)
    w = sum(f.severity is Severity.WARNING for f in open_findings)
    return (f"[auditor] {report.school.name}: {v} vi phạm, {w} cảnh báo, "
            f"{new_findings(report)} mới ({report.as_of:%d/%m/%Y})")


def build_message(cfg: NotifyConfig, subject: str, body: str,
                  attachments: Sequence[Path] = ()) -> EmailMessage:
    """The message: `body` as UTF-8 text first, then each file (too large ones named only)."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = cfg.sender or cfg.user or "auditor@localhost"
    msg["To"] = ", ".join(cfg.to)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="auditor.local")
    sent = [p for p in attachments if p.stat().st_size <= cfg.max_attach_bytes]
    skipped = [f"{p.name} ({p.stat().st_size / 1_000_000:.1f} MB)"
               for p in attachments if p not in sent]
    if skipped:
        body += ("\nTệp quá lớn, không đính kèm (xem trong thư mục báo cáo): "
                 + ", ".join(skipped) + "\n")
    msg.set_content(body, charset="utf-8")
    for path in sent:
        kind, _ = mimetypes.guess_type(path.name)
        main, sub = (kind or "application/octet-stream").split("/", 1)
        msg.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
    return msg


def _password(cfg: NotifyConfig) -> str | None:
    if cfg.user is None:
        return None
    value = os.environ.get(cfg.password_env)
    if value is None:
        raise ConfigError(
            f"[notify] user = '{cfg.user}' nhưng biến môi trường {cfg.password_env} "
            "(mật khẩu SMTP) chưa được đặt.",
            hint=f"Đặt {cfg.password_env} trong môi trường của tác vụ định kỳ; mật khẩu "
                 "không ghi trong tệp cấu hình.",
            en=f"[notify] user = '{cfg.user}' but the environment variable "
               f"{cfg.password_env} (the SMTP password) is not set.",
            hint_en=f"Set {cfg.password_env} in the scheduled task's environment; the "
                    "password is never written in the configuration file.")
    return value


def _login(server: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib encodes credentials as ASCII; a Vietnamese password goes as UTF-8 in
    AUTH PLAIN (RFC 4616), which every server that accepts it expects."""
    if (user + password).isascii():
        server.login(user, password)
        return
    server.ehlo_or_helo_if_needed()
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, reply = server.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def send(cfg: NotifyConfig, msg: EmailMessage) -> None:
    """Deliver `msg`; a failure is one clear line (exit 3), the reports already written."""
    password = _password(cfg)
    try:
        if cfg.tls == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout,
                                                    context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
        with server:
            if cfg.tls == "starttls":
                server.starttls(context=ssl.create_default_context())
            if cfg.user is not None and password is not None:
                _login(server, cfg.user, password)
            server.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise AuditIncomplete(
            f"Không gửi được thư qua {cfg.host}:{cfg.port}: {exc}. Các báo cáo đã được ghi.",
            hint="Kiểm tra [notify] host, port, tls, user và mật khẩu.",
            en=f"Could not send the e-mail through {cfg.host}:{cfg.port}: {exc}. "
               "The reports were written.",
            hint_en="Check [notify] host, port, tls, user and the password.") from None


def notify_report(cfg: NotifyConfig, report: AuditReport, files: Sequence[Path],
                  *, only_new: bool = False) -> bool:
    """E-mail one school's run (`auditor check`); False when nothing was sent."""
    if not cfg.to:
        return False
    if only_new and new_findings(report) == 0:
        return False
    send(cfg, build_message(cfg, report_subject(report), report_summary(report), files))
    return True
