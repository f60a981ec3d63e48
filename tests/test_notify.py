"""E-mail after a run, through a real SMTP server (aiosmtpd) on 127.0.0.1.

The message is read back as the server received it: subject, the Vietnamese
summary in the body, and each attachment byte for byte.
"""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from auditor.cli import main
from auditor.resources import demo_dir

AS_OF = "2026-11-26"
PASSWORD = "mật-khẩu-thử"


class Inbox:
    """Keeps every message the server accepted."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        return "250 OK"


def authenticator(server: Any, session: Any, envelope: Any, mechanism: str,
                  auth_data: Any) -> AuthResult:
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == b"thuky"
          and auth_data.password == PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as s:  # aiosmtpd checks readiness by connecting: it needs a port
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    controller = Controller(inbox, hostname="127.0.0.1", port=port,
                            authenticator=authenticator, auth_require_tls=False)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def school(tmp_path: Path, port: int) -> Path:
    folder = tmp_path / "truong"
    folder.mkdir()
    shutil.copy(demo_dir() / "cms-export.csv", folder / "xuat.csv")
    config = folder / "auditor.toml"
    config.write_text(
        '[school]\nname = "Trường THCS Hoa Phượng"\n'
        '[sources]\nexport = "xuat.csv"\n'
        '[history]\npath = "lich-su.sqlite"\n'
        f'[notify]\nto = ["hieutruong@truong.example.vn", "pgd@example.vn"]\n'
        f'sender = "auditor@truong.example.vn"\nhost = "127.0.0.1"\nport = {port}\n'
        'tls = "none"\nuser = "thuky"\npassword_env = "AUDITOR_TEST_SMTP"\n',
        encoding="utf-8")
    return config


def attachments(msg: EmailMessage) -> dict[str, bytes]:
    out = {}
    for part in msg.iter_attachments():
        name = part.get_filename()
        assert name is not None
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        out[name] = payload
    return out


def test_check_mails_the_summary_and_the_reports(tmp_path: Path, smtp: tuple[Inbox, int],
                                                 capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch):
    inbox, port = smtp
    monkeypatch.setenv("AUDITOR_TEST_SMTP", PASSWORD)
    config = school(tmp_path, port)
    out = tmp_path / "bao-cao"
    code = main(["check", "-c", str(config), "--as-of", AS_OF, "--report-dir", str(out),
                 "--quiet"])
    assert code == 1, capsys.readouterr().err
    [msg] = inbox.messages
    assert inbox.envelopes[0].rcpt_tos == ["hieutruong@truong.example.vn", "pgd@example.vn"]
    assert msg["From"] == "auditor@truong.example.vn"
    subject = str(msg["Subject"])
    assert subject.startswith("[auditor] Trường THCS Hoa Phượng: ")
    assert "vi phạm" in subject and "mới (26/11/2026)" in subject
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "Trường THCS Hoa Phượng" in text and "posts.monthly-quota" in text
    assert "Tổng:" in text  # the console's closing line, in Vietnamese
    files = attachments(msg)
    assert sorted(files) == sorted(p.name for p in out.iterdir())
    for name, data in files.items():
        assert data == (out / name).read_bytes(), name

    # --only-new: the same findings again, nothing new, no message.
    code = main(["check", "-c", str(config), "--as-of", AS_OF, "--report-dir", str(out),
                 "--quiet", "--only-new"])
    assert code == 1
    assert len(inbox.messages) == 1
    # Without --only-new every run sends.
    main(["check", "-c", str(config), "--as-of", AS_OF, "--quiet"])
    assert len(inbox.messages) == 2
    assert attachments(inbox.messages[1]) == {}  # no --report-dir: the summary only


def test_a_missing_password_or_a_dead_server_is_one_clear_line(
        tmp_path: Path, smtp: tuple[Inbox, int], capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch):
    inbox, port = smtp
    monkeypatch.delenv("AUDITOR_TEST_SMTP", raising=False)
    config = school(tmp_path, port)
    code = main(["check", "-c", str(config), "--as-of", AS_OF, "--quiet",
                 "--report-dir", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "AUDITOR_TEST_SMTP" in err and "chưa được đặt" in err
    assert len(list((tmp_path / "out").iterdir())) == 3  # the reports were written first
    monkeypatch.setenv("AUDITOR_TEST_SMTP", "sai")
    code = main(["check", "-c", str(config), "--as-of", AS_OF, "--quiet"])
    err = capsys.readouterr().err
    assert code == 3 and "Không gửi được thư qua 127.0.0.1" in err
    assert inbox.messages == []


def test_batch_mails_the_rollup(tmp_path: Path, smtp: tuple[Inbox, int],
                                capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch):
    inbox, port = smtp
    monkeypatch.setenv("AUDITOR_TEST_SMTP", PASSWORD)
    folder = tmp_path / "so"
    folder.mkdir()
    shutil.copy(demo_dir() / "cms-export.csv", folder / "xuat.csv")
    (folder / "ds.toml").write_text(
        '[[school]]\nname = "THCS Một"\nexport = "xuat.csv"\n'
        '[[school]]\nname = "THCS Hai"\nexport = "khong-co.csv"\n'
        f'[notify]\nto = ["thanhtra@so.example.vn"]\nhost = "127.0.0.1"\nport = {port}\n'
        'tls = "none"\nuser = "thuky"\npassword_env = "AUDITOR_TEST_SMTP"\n',
        encoding="utf-8")
    code = main(["batch", str(folder / "ds.toml"), "--as-of", AS_OF, "--quiet",
                 "--history-dir", str(tmp_path / "h"), "--cache-dir", str(tmp_path / "c")])
    assert code == 3
    [msg] = inbox.messages
    assert str(msg["Subject"]).startswith("[auditor] 2 trường: 1 có vi phạm, "
                                          "1 không kiểm tra được")
    body = msg.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "THCS Một" in text and "khong-co.csv" in text
    files = attachments(msg)
    assert sorted(files) == ["tong-hop.html", "tong-hop.xlsx"]
    assert files["tong-hop.xlsx"] == (folder / "bao-cao" / "tong-hop.xlsx").read_bytes()
