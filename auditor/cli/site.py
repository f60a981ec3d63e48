"""`auditor site`: look at how the portal's pages are read.

``inspect URL|FILE [--profile P] [--suggest] [--format text|json]`` prints the
fields read from one page (title, date, category, author, body, attachments,
menu, the Công khai entry), each with the selector or strategy that gave it;
``--suggest`` prints ``[site.selectors]`` lines for the fields the profile
missed. A URL is fetched through the crawler's client (robots.txt, User-Agent, byte
cap, redirects on the page's own host only).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from auditor.cli.options import TEXT, ConfigOption, Format, FormatOption, Lang, LangOption
from auditor.errors import InputError

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  help="Trang web của trường: xem từng trang được đọc thế nào.")


_FETCH_SECONDS = 60.0  # one page, robots.txt included


LABELS = {
    "title": ("Tiêu đề", "Title"), "published": ("Ngày đăng", "Published"),
    "category": ("Chuyên mục", "Category"), "author": ("Tác giả", "Author"),
    "body": ("Nội dung", "Body"), "attachments": ("Tệp đính kèm", "Attachments"),
    "menu": ("Menu chính", "Main menu"), "disclosure": ("Mục Công khai", "Công khai entry"),
}


def _fetch(target: str) -> tuple[str, str]:
    """(page text, its address): a file, or one page fetched by the crawler."""
    if not target.startswith(("http://", "https://")):
        path = Path(target)
        try:
            return path.read_text(encoding="utf-8", errors="replace"), path.resolve().as_uri()
        except OSError as exc:
            raise InputError(f"{target}: không đọc được tệp ({exc.strerror or exc}).",
                             en=f"{target}: cannot read the file ({exc.strerror or exc}).",
                             ) from None
    from auditor.crawl import CrawlSettings
    from auditor.crawl.client import SiteClient, same_host
    from auditor.crawl.types import ERROR_REASONS_EN

    settings = CrawlSettings(retries=1)
    got = SiteClient.until(settings, _FETCH_SECONDS).get(target, within=same_host(target))
    if got.error is not None or not got.text or (got.status or 0) >= 400:
        why = got.error or (f"HTTP {got.status}" if got.status else "không có nội dung")
        why_en = (ERROR_REASONS_EN.get(got.error_code or "", got.error) if got.error
                  else f"HTTP {got.status}" if got.status else "no content")
        raise InputError(f"{target}: không tải được trang ({why}).",
                         en=f"{target}: could not fetch the page ({why_en}).")
    return got.text, got.final_url


def _value_text(name: str, value: Any) -> str:
    if value is None or value == []:
        return "—"
    if name == "body":
        text = str(value)
        return text if len(text) <= 160 else text[:157] + "…"
    if name == "attachments":
        return ", ".join(a["url"] for a in value)
    if name == "menu":
        return " | ".join(i["title"] + (f" ({len(i['children'])})" if i["children"] else "")
                          for i in value)
    if name == "disclosure":
        kids = ", ".join(c["title"] for c in value["children"])
        return f"{value['title']} → {value['url']}" + (f" [{kids}]" if kids else "")
    return str(value)


def _text(report: Any, lang: str) -> str:
    en = lang == "en"
    head = (f"{report.url}\n  profile {report.profile}" if en else
            f"{report.url}\n  hồ sơ nền tảng {report.profile}")
    post = ("a post" if report.is_post else "not a post") if en else (
        "là tin bài" if report.is_post else "không phải tin bài")
    lines = [f"{head}; {post}"]
    for name, field in report.fields.items():
        label = LABELS[name][1 if en else 0]
        source = field.source or ("not found" if en else "không tìm thấy")
        lines.append(f"  {label}: {_value_text(name, field.value)}")
        lines.append(f"      ← {source}")
    return "\n".join(lines) + "\n"


@app.command()
def inspect(
    target: Annotated[str, typer.Argument(help="Địa chỉ http(s) của một trang, hoặc tệp .html")],
    profile: Annotated[str | None, typer.Option(
        "--profile", help="Hồ sơ nền tảng (tên hoặc tệp .toml); mặc định: theo auditor.toml, "
                          "hoặc tự nhận ra")] = None,
    suggest: Annotated[bool, typer.Option(
        "--suggest", help="In các dòng [site.selectors] cho trường chưa đọc được")] = False,
    fmt: FormatOption = TEXT,
    config: ConfigOption = None,
    lang: LangOption = Lang.vi,
) -> None:
    """Xem các trường đọc được từ một trang và bộ chọn đã cho ra từng trường."""
    typer.echo(_inspect(target, profile, suggest, fmt, config, lang.value), nl=False)


def _inspect(target: str, profile_ref: str | None, want_suggest: bool, fmt: Format,
             config_path: Path | None, lang: str) -> str:
    from auditor.config import load_config
    from auditor.profiles import load_profile
    from auditor.site.extract import parse_html
    from auditor.site.inspect import choose_profile, inspect_page, page_address
    from auditor.site.load import configured_profile
    from auditor.site.suggest import as_toml, suggest
    from auditor.timeutil import tz

    cfg = load_config(config_path) if config_path is not None else (
        load_config(Path("auditor.toml")) if Path("auditor.toml").is_file() else None)
    zone = tz(cfg.school.timezone) if cfg is not None else tz()
    text, url = _fetch(target)
    soup = parse_html(text)
    if url.startswith("file:"):  # a saved page: read it at the address it was saved from
        url = page_address(soup) or url
    chosen = load_profile(profile_ref, Path.cwd()) if profile_ref else None
    if chosen is None and cfg is not None:
        chosen, _ = configured_profile(cfg)
    chosen, reason = choose_profile(soup, url, chosen)
    if cfg is not None and profile_ref is None and cfg.site.profile == "auto":
        chosen = chosen.with_overrides(cfg.site.selectors, cfg.site.urls,
                                       cfg.site.disclosure_titles)
    report = inspect_page(soup, url, chosen, zone, reason)
    found = suggest(soup, report.missing(), zone) if want_suggest else {}
    if fmt == "json":
        data = report.to_json()
        if want_suggest:
            data["suggest"] = {"site.selectors": {k: [v] for k, v in found.items()}}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    out = _text(report, lang)
    if want_suggest:
        if found:
            note = ("# Paste into auditor.toml, then run `auditor site inspect` again"
                    if lang == "en" else
                    "# Dán vào auditor.toml rồi chạy lại `auditor site inspect` để kiểm tra")
            out += f"\n{note}\n{as_toml(found)}"
        else:
            out += ("\n# Nothing to suggest: no missing field is visible on this page.\n"
                    if lang == "en" else
                    "\n# Không có gợi ý: trang này không cho thấy trường nào còn thiếu.\n")
    return out
