"""`auditor text`: find and fix Vietnamese text that is not Unicode (Điều 6.4).

``scan FILE|URL|-`` reports legacy encodings (TCVN3, VNI, VISCII, VIQR,
Windows-1258), mojibake, decomposed Unicode, legacy fonts and charsets;
``convert FILE`` writes the text as NFC UTF-8 beside the original, or over it
with ``--in-place`` after keeping a backup.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from auditor.atomic import write_bytes
from auditor.cli.options import TEXT, FormatOption, Lang, LangOption
from auditor.crawl.client import SiteClient, same_host
from auditor.crawl.settings import CrawlSettings
from auditor.crawl.types import ERROR_REASONS_EN
from auditor.errors import InputError, UsageError
from auditor.render.console import printable
from auditor.textfmt import plural
from auditor.vntext.filescan import FileScan, check_convertible, convert_bytes, scan_bytes
from auditor.vntext.report import excerpt_pair, signal_text

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  help="Văn bản tiếng Việt: tìm và chuyển văn bản mã cũ sang Unicode "
                       "TCVN 6909:2001.")


class From(StrEnum):
    auto = "auto"
    tcvn3 = "tcvn3"
    tcvn3h = "tcvn3h"
    vni = "vni"
    viqr = "viqr"
    viscii = "viscii"
    cp1258 = "cp1258"


def _read_target(target: str, timeout: float = 60.0) -> tuple[str, bytes]:
    if target == "-":
        return "stdin", sys.stdin.buffer.read()
    if target.startswith(("http://", "https://")):
        return _download(target, timeout)
    path = Path(target)
    try:
        return path.name, path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{target}: không tìm thấy tệp.",
                         en=f"{target}: file not found.") from None
    except OSError as exc:
        raise InputError(f"{target}: không đọc được tệp ({exc.strerror}).",
                         en=f"{target}: could not read the file ({exc.strerror}).") from None


def _download(url: str, timeout: float, settings: CrawlSettings | None = None
              ) -> tuple[str, bytes]:
    """One page through the crawler's client: robots.txt, its User-Agent, the byte cap
    (also on a gzip body), redirects only on the page's own host, and `timeout` seconds
    of wall clock in all (issue 13.7)."""
    settings = settings or CrawlSettings(timeout=min(timeout, 20.0),
                                         request_time_limit=timeout, retries=1)
    got = SiteClient.until(settings, timeout).get(url, within=same_host(url), binary=True)
    cap = f"{settings.max_bytes:,}"
    if got.error is not None:
        raise InputError(f"{url}: không tải được ({got.error}).",
                         en=f"{url}: could not download "
                            f"({ERROR_REASONS_EN.get(got.error_code or '', got.error)}).")
    if got.status is not None and got.status >= 400:
        raise InputError(f"{url}: máy chủ trả mã {got.status}.",
                         en=f"{url}: the server answered {got.status}.")
    if got.truncated:
        raise InputError(f"{url}: nội dung lớn hơn giới hạn {cap} byte, không đọc tiếp.",
                         en=f"{url}: the content is larger than the {cap}-byte limit; "
                            "not read further.")
    is_html = got.content_type in ("text/html", "application/xhtml+xml")
    suffix = ".html" if is_html and not url.lower().endswith((".html", ".htm")) else ""
    return url + suffix, got.body or b""


def _as_json(result: FileScan, target: str, width: int) -> dict[str, Any]:
    found = []
    for d in result.text_scan.detections:
        excerpt, fix = excerpt_pair(d.original, d.fixed, width)
        found.append({"line": d.line, "encoding": d.encoding, "encoding_name": d.name,
                      "confidence": d.confidence, "legacy": d.legacy,
                      "severity": "violation" if d.legacy else "warning",
                      "excerpt": excerpt, "fix": fix})
    return {"target": target, "kind": result.kind, "clean": result.clean, "findings": found,
            "signals": signal_text(result.signals), "legacy_fonts": list(result.fonts)}


def _print(result: FileScan, target: str, width: int, en: bool = False) -> None:
    if result.clean:
        typer.echo(f"{target}: text in Unicode TCVN 6909:2001 (NFC), nothing to fix." if en
                   else f"{target}: văn bản đúng Unicode TCVN 6909:2001 (NFC), "
                        "không có gì cần sửa.")
        return
    found = result.text_scan.detections
    count = len(found) + bool(result.signals or result.fonts)
    typer.echo(f"{target}: " + (plural(count, "problem") if en else f"{count} vấn đề"))
    for d in found:
        excerpt, fix = excerpt_pair(d.original, d.fixed, width)
        pct = round(d.confidence * 100)
        if en:
            level = "violation" if d.legacy else "warning"
            typer.echo(f"  line {d.line} · {d.name} · {level} · confidence {pct}%")
        else:
            level = "vi phạm" if d.legacy else "cảnh báo"
            typer.echo(f"  dòng {d.line} · {d.name} · {level} · độ tin cậy {pct}%")
        # The excerpts are the file's own text: no terminal escapes (issue 13.6).
        typer.echo(f"    “{printable(excerpt)}”")
        typer.echo(f"    → “{printable(fix)}”")
    if result.signals:
        typer.echo(("  HTML markup: " if en else "  Mã HTML: ")
                   + printable("; ".join(signal_text(result.signals, en))))
    if result.fonts:
        typer.echo(("  Legacy fonts in the .docx file: " if en
                    else "  Phông chữ cũ trong tệp .docx: ")
                   + printable(", ".join(result.fonts)))
    if any(d.legacy for d in found) or result.fonts:
        typer.echo("  Fix: auditor text convert FILE (writes a Unicode copy next to the "
                   "original)." if en else
                   "  Sửa: auditor text convert TỆP (ghi bản Unicode bên cạnh tệp gốc).")


@app.command("scan")
def scan_cmd(
    target: Annotated[str, typer.Argument(help="Tệp (.txt, .html, .docx), địa chỉ http(s) hoặc "
                                               "- để đọc từ đầu vào chuẩn")],
    output_format: FormatOption = TEXT,
    min_confidence: Annotated[float, typer.Option("--min-confidence", min=0.0, max=1.0,
                                                  help="Độ tin cậy tối thiểu (0–1)")] = 0.6,
    width: Annotated[int, typer.Option("--excerpt", min=20, help="Độ dài đoạn trích")] = 80,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1,
                                           help="Giây tối đa để tải một địa chỉ http(s)")]
    = 60.0,
    lang: LangOption = Lang.vi,
) -> None:
    """Tìm văn bản mã cũ (TCVN3, VNI, VISCII, VIQR, Windows-1258), lỗi phông và Unicode tổ hợp.

    Mã thoát: 0 không có vấn đề, 1 có vấn đề, 2 lỗi đầu vào."""
    name, data = _read_target(target, timeout)
    result = scan_bytes(name, data, min_confidence=min_confidence)
    en = lang is Lang.en
    shown = target if target != "-" else ("(standard input)" if en else "(đầu vào chuẩn)")
    if output_format == "json":
        typer.echo(json.dumps(_as_json(result, shown, width), ensure_ascii=False, indent=2))
    else:
        _print(result, shown, width, en)
    if not result.clean:
        raise typer.Exit(1)


def _backup(path: Path) -> Path:
    candidate = path.with_name(path.name + ".bak")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak{n}")
        n += 1
    return candidate


@app.command("convert")
def convert_cmd(
    file: Annotated[Path, typer.Argument(help="Tệp .txt, .html hoặc .docx")],
    source: Annotated[From, typer.Option("--from", help="Bảng mã nguồn (auto: tự nhận biết)")]
    = From.auto,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Tệp kết quả (không được trùng tệp có sẵn)")]
    = None,
    in_place: Annotated[bool, typer.Option("--in-place",
                                           help="Ghi đè tệp gốc, giữ bản sao lưu .bak")] = False,
    min_confidence: Annotated[float, typer.Option("--min-confidence", min=0.0, max=1.0)] = 0.6,
    lang: LangOption = Lang.vi,
) -> None:
    """Chuyển tệp sang Unicode dựng sẵn (NFC), UTF-8.

    Không bao giờ ghi đè tệp có sẵn, trừ khi dùng --in-place (khi đó giữ bản .bak)."""
    if in_place and output is not None:
        raise UsageError("Chỉ dùng một trong hai: --output hoặc --in-place.",
                         en="Use only one of --output and --in-place.")
    check_convertible(file)
    if not file.is_file():
        raise InputError(f"{file}: không tìm thấy tệp.", en=f"{file}: file not found.")
    data = file.read_bytes()
    converted = convert_bytes(file.name, data, source.value, min_confidence=min_confidence)
    if converted == data:  # nothing to convert: say so, write no copy
        typer.echo(f"{file}: already Unicode (NFC, UTF-8); nothing needed converting, no file "
                   "written." if lang is Lang.en else
                   f"{file}: đã đúng Unicode (NFC, UTF-8), không có gì cần chuyển; không ghi "
                   "tệp nào.")
        return
    if in_place:
        backup = _backup(file)
        write_bytes(backup, data)
        write_bytes(file, converted)
        typer.echo(f"Converted {file} to Unicode (NFC, UTF-8); the original is kept as "
                   f"{backup}." if lang is Lang.en else
                   f"Đã chuyển {file} sang Unicode (NFC, UTF-8); bản gốc lưu tại {backup}.")
        return
    target = output or file.with_name(f"{file.stem}.unicode{file.suffix}")
    if target.exists():
        raise InputError(f"{target}: tệp đã tồn tại, không ghi đè.",
                         hint="Chọn tên khác với --output, hoặc dùng --in-place.",
                         en=f"{target}: the file already exists; not overwriting it.",
                         hint_en="Choose another name with --output, or use --in-place.")
    write_bytes(target, converted)
    typer.echo(f"Wrote {target} (precomposed Unicode NFC, UTF-8)." if lang is Lang.en
               else f"Đã ghi {target} (Unicode dựng sẵn NFC, UTF-8).")
