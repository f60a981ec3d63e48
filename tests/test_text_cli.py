"""`auditor text scan` and `auditor text convert`, run through the command line's own
`main` (its one error mapper), with typer's CliRunner giving stdin and taking the output,
on real files (.txt, .html, .docx), stdin and a loopback URL."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from auditor.cli import main
from auditor.vntext import encode, to_bytes
from auditor.vntext.docx import scan_docx
from tests.loopback import LoopbackServer, Reply
from tests.test_errors_english import VIETNAMESE_ONLY

runner = CliRunner()
TITLE = "Thông báo lịch thi học kỳ I của trường"


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    """`auditor text ARGS…`: (exit code, stdout, stderr)."""
    with runner.isolation(input=stdin) as (out, err, _):
        code = main(["text", *args])
        sys.stdout.flush()
        sys.stderr.flush()
        return code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8")


def test_scan_clean_file_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "sach.txt"
    path.write_text("Trường THCS Hoa Phượng © 2026 — Müller, José.\n", encoding="utf-8")
    code, out, _ = run("scan", str(path))
    assert code == 0
    assert "không có gì cần sửa" in out


def test_scan_tcvn3_bytes_reports_encoding_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "cu.txt"
    path.write_bytes(b"Dong 1\n" + to_bytes(TITLE, "tcvn3") + b"\n")
    code, out, _ = run("scan", str(path))
    assert code == 1
    assert "dòng 2 · TCVN3 (ABC, .VnTime) · vi phạm" in out
    assert f"→ “{TITLE}”" in out


def test_scan_and_convert_speak_english_in_english_mode(tmp_path: Path) -> None:
    clean = tmp_path / "sach.txt"
    clean.write_text("Trường THCS Hoa Phượng\n", encoding="utf-8")
    code, out, _ = run("scan", str(clean), "--lang", "en")
    assert code == 0 and out == f"{clean}: text in Unicode TCVN 6909:2001 (NFC), nothing to fix.\n"
    old = tmp_path / "cu.html"
    old.write_bytes(b'<meta charset="windows-1258"><p>tru&shy;o&shy;ng ' + to_bytes(TITLE, "tcvn3"))
    code, out, _ = run("scan", str(old), "--lang", "en")
    assert code == 1
    assert f"{old}: 2 problems" in out
    assert re.search(r"line \d+ · TCVN3 \(ABC, \.VnTime\) · violation · confidence \d+%", out)
    assert re.search(r"HTML markup: declared encoding windows-1258; \d+ soft hyphens \(&shy;\) "
                     r"inside words", out)
    assert "Fix: auditor text convert FILE" in out
    outside_excerpts = "\n".join(ln for ln in out.splitlines() if "“" not in ln)
    assert not VIETNAMESE_ONLY.search(outside_excerpts), out
    code, out, _ = run("convert", str(old), "--lang", "en")
    assert code == 0 and out.startswith(f"Wrote {tmp_path / 'cu.unicode.html'} (precomposed")
    code, out, _ = run("convert", str(old), "--in-place", "--lang", "en")
    assert code == 0 and out.startswith(f"Converted {old} to Unicode")


def test_scan_json(tmp_path: Path) -> None:
    path = tmp_path / "vni.txt"
    path.write_text(encode(TITLE, "vni"), encoding="utf-8")
    code, out, _ = run("scan", str(path), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["clean"] is False
    (found,) = data["findings"]
    assert found["encoding"] == "vni" and found["fix"] == TITLE and found["line"] == 1
    assert found["severity"] == "violation"


def test_scan_stdin() -> None:
    code, out, _ = run("scan", "-", stdin=encode(TITLE, "viqr").encode())
    assert code == 1 and "VIQR" in out and TITLE in out


def test_scan_url_on_loopback() -> None:
    page = (f'<html><head><meta charset="windows-1258"></head><body>'
            f'<p style="font-family:.VnTime">{encode(TITLE, "tcvn3")}</p></body></html>')
    with LoopbackServer({"/tin.html": Reply(body=page)}) as server:
        code, out, _ = run("scan", server.url("/tin.html"))
    assert code == 1
    assert "phông chữ cũ “.VnTime”" in out and "windows-1258" in out
    assert TITLE in out


def test_scan_bad_inputs_exit_2_with_one_vietnamese_line(tmp_path: Path) -> None:
    code, _, err = run("scan", str(tmp_path / "khong-co.txt"))
    assert code == 2
    assert err.strip().splitlines()[0] == f"Lỗi: {tmp_path / 'khong-co.txt'}: không tìm thấy tệp."
    with LoopbackServer({}) as server:
        code, _, err = run("scan", server.url("/mat.html"))
    assert code == 2 and "máy chủ trả mã 404" in err
    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    code, _, err = run("scan", str(bad))
    assert code == 2 and "không đọc được tệp .docx" in err


def test_convert_txt_writes_beside_and_never_overwrites(tmp_path: Path) -> None:
    src = tmp_path / "bao-cao.txt"
    raw = to_bytes(TITLE, "tcvn3")
    src.write_bytes(raw)
    code, out, _ = run("convert", str(src))
    dst = tmp_path / "bao-cao.unicode.txt"
    assert code == 0 and str(dst) in out
    assert dst.read_text(encoding="utf-8") == TITLE
    assert src.read_bytes() == raw  # the original is untouched
    code, _, err = run("convert", str(src))  # a second run must not overwrite
    assert code == 2 and "đã tồn tại" in err
    assert dst.read_text(encoding="utf-8") == TITLE


def test_convert_in_place_keeps_a_backup(tmp_path: Path) -> None:
    src = tmp_path / "thu.txt"
    raw = to_bytes(TITLE, "vni")
    src.write_bytes(raw)
    code, out, _ = run("convert", str(src), "--in-place")
    assert code == 0
    assert src.read_text(encoding="utf-8") == TITLE
    assert (tmp_path / "thu.txt.bak").read_bytes() == raw
    src.write_bytes(raw)
    run("convert", str(src), "--in-place")
    assert (tmp_path / "thu.txt.bak1").read_bytes() == raw  # an older backup is kept too


@pytest.mark.parametrize("enc", ["tcvn3", "vni", "viqr", "viscii", "cp1258"])
def test_convert_from_forced_encoding(tmp_path: Path, enc: str) -> None:
    src = tmp_path / f"{enc}.txt"
    src.write_bytes(to_bytes(TITLE, enc) if enc != "viqr" else encode(TITLE, enc).encode())
    out = tmp_path / "out.txt"
    code, _, _ = run("convert", str(src), "--from", enc, "--output", str(out))
    assert code == 0
    assert out.read_text(encoding="utf-8") == TITLE


def test_convert_html_keeps_markup(tmp_path: Path) -> None:
    src = tmp_path / "trang.html"
    src.write_text('<html><head><meta charset="windows-1252"><style>p{font-family:".VnTime"}'
                   '</style></head><body><h1 style="font-family:.VnTimeH">'
                   + encode("kế hoạch năm học", "tcvn3") + "</h1><p>"
                   + encode("Trường THCS", "tcvn3") + " <b>" + encode("Hoa Phượng", "tcvn3")
                   + "</b></p></body></html>", encoding="utf-8")
    code, _, _ = run("convert", str(src))
    assert code == 0
    html = (tmp_path / "trang.unicode.html").read_text(encoding="utf-8")
    assert "<h1 style=\"font-family:'Times New Roman'\">KẾ HOẠCH NĂM HỌC</h1>" in html
    assert "<p>Trường THCS <b>Hoa Phượng</b></p>" in html
    assert 'charset="utf-8"' in html and ".VnTime" not in html
    code, _, _ = run("scan", str(tmp_path / "trang.unicode.html"))
    assert code == 0


def test_convert_docx_in_vntime(tmp_path: Path) -> None:
    document = docx.Document()
    run_ = document.add_paragraph().add_run(encode(TITLE, "tcvn3"))
    run_.font.name = ".VnTime"
    heading = document.add_paragraph().add_run(encode("THÔNG BÁO", "tcvn3h"))
    heading.font.name = ".VnTimeH"
    src = tmp_path / "cu.docx"
    document.save(str(src))
    code, out, _ = run("scan", str(src))
    assert code == 1 and ".VnTime" in out
    code, _, _ = run("convert", str(src))
    assert code == 0
    converted = (tmp_path / "cu.unicode.docx").read_bytes()
    reopened = docx.Document(io.BytesIO(converted))
    assert [p.text for p in reopened.paragraphs] == [TITLE, "THÔNG BÁO"]
    assert {r.font.name for p in reopened.paragraphs for r in p.runs} == {"Times New Roman"}
    assert scan_docx(converted).clean


def test_convert_rejects_other_files_and_both_output_modes(tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    code, _, err = run("convert", str(pdf))
    assert code == 2 and "chỉ chuyển được tệp .txt, .html hoặc .docx" in err
    txt = tmp_path / "a.txt"
    txt.write_text("x", encoding="utf-8")
    code, _, err = run("convert", str(txt), "--in-place", "--output", str(tmp_path / "b.txt"))
    assert code == 2 and "--in-place" in err
    code, _, err = run("convert", str(tmp_path / "khong.txt"))
    assert code == 2 and "không tìm thấy tệp" in err
