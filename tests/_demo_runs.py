"""Scripted runs of the demo school for the Công khai rules.

A copy of ``fixtures/demo/site`` is edited between runs (an item removed, one
hidden with CSS, one renamed, the section moved), served on 127.0.0.1 by the
demo server, crawled over real HTTP, audited with the day the test chooses,
and recorded in a real history file.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import tempfile
from datetime import date
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from auditor.audit import AuditOptions, Inputs, build_context, build_report
from auditor.checks.disclosure_common import disclosure_snapshot
from auditor.config import Config, load_config
from auditor.crawl import settings_for
from auditor.engine import run_all
from auditor.history import HistoryStore
from auditor.history.recording import record_audit
from auditor.resources import demo_dir
from auditor.results import AuditReport, RuleResult
from auditor.ruleset import load_ruleset
from auditor.site.demo_server import serve_site
from auditor.site.load import load_site

SECTION = "/cong-khai/c/1025"
DISCLOSURE_RULES = ("disclosure.reachable", "disclosure.always-visible",
                    "disclosure.required-items", "disclosure.link-reported")


def demo_config() -> Config:
    return load_config(demo_dir() / "auditor.toml")


def copy_site(dest: Path) -> Path:
    shutil.copytree(demo_dir() / "site", dest)
    return dest


def _page(root: Path, path: str) -> Path:
    return root.joinpath(*[p for p in path.split("/") if p], "index.html")


def _read(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _write(path: Path, soup: BeautifulSoup) -> None:
    path.write_text(str(soup), encoding="utf-8")


def _entry(soup: BeautifulSoup, pattern: str) -> tuple[Tag, Tag]:
    """The list entry (its block and its link) whose title matches ``pattern``."""
    for link in soup.select(".list-news a"):
        if re.search(pattern, link.get_text(), re.I):
            block = link.find_parent("div", class_="news-item")
            assert isinstance(block, Tag)
            return block, link
    raise AssertionError(f"no entry matching {pattern!r} in the section's list")


def item_path(root: Path, pattern: str, section: str = SECTION) -> str:
    _, link = _entry(_read(_page(root, section)), pattern)
    return str(link["href"])


def remove_item(root: Path, pattern: str, section: str = SECTION) -> str:
    """Take the item off the list and delete its page (it then answers 404)."""
    page = _page(root, section)
    soup = _read(page)
    block, link = _entry(soup, pattern)
    href = str(link["href"])
    block.decompose()
    _write(page, soup)
    shutil.rmtree(_page(root, href).parent)
    return href


def hide_item(root: Path, pattern: str, style: str, section: str = SECTION) -> str:
    page = _page(root, section)
    soup = _read(page)
    block, link = _entry(soup, pattern)
    block["style"] = style
    _write(page, soup)
    return str(link["href"])


def unhide_all(root: Path, section: str = SECTION) -> None:
    page = _page(root, section)
    soup = _read(page)
    for block in soup.select(".list-news .news-item"):
        if block.has_attr("style"):
            del block["style"]
    _write(page, soup)


def rename_item(root: Path, pattern: str, new_title: str, section: str = SECTION) -> str:
    page = _page(root, section)
    soup = _read(page)
    _, link = _entry(soup, pattern)
    link.string = new_title
    _write(page, soup)
    return str(link["href"])


def add_item(root: Path, like: str, title: str, href: str, section: str = SECTION) -> None:
    """A new item: a copy of an existing entry and its page, under a new title and address."""
    page = _page(root, section)
    soup = _read(page)
    block, link = _entry(soup, like)
    source = _page(root, str(link["href"]))
    text = source.read_text(encoding="utf-8").replace(link.get_text(), title)
    target = _page(root, href)
    target.parent.mkdir(parents=True)
    target.write_text(text, encoding="utf-8")
    new_block = BeautifulSoup(str(block), "html.parser").div
    assert new_block is not None
    new_link = new_block.find("a")
    assert isinstance(new_link, Tag)
    new_link["href"] = href
    new_link.string = title
    block.insert_after(new_block)
    _write(page, soup)


def move_section(root: Path, old: str, new: str) -> None:
    """The section gets a new address; every menu links there; the old one answers 404."""
    src, dst = _page(root, old).parent, _page(root, new).parent
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(src, dst)
    pattern = re.compile(re.escape(old) + r'(?=["<?])')
    for path in root.rglob("*"):
        if path.suffix in {".html", ".xml"}:
            text = path.read_text(encoding="utf-8")
            if old in text:
                path.write_text(pattern.sub(new, text), encoding="utf-8")


def drop_menu_entry(root: Path, title: str) -> None:
    """Remove the menu entry named ``title`` from every page."""
    for path in root.rglob("*.html"):
        soup = _read(path)
        changed = False
        for link in soup.select("nav.main-menu a"):
            if link.get_text(strip=True) == title:
                item = link.find_parent("li")
                if isinstance(item, Tag):
                    item.decompose()
                    changed = True
        if changed:
            _write(path, soup)


def audit_day(site_root: Path, day: date, history: Path,
              config: Config | None = None) -> tuple[int, AuditReport]:
    """Serve, crawl and audit the site as of ``day``; record the run; return (id, report)."""
    config = config or demo_config()
    official = (config.school.url or "").rstrip("/")
    ruleset = load_ruleset(config.rules.set, config.base_dir)
    ruleset = dataclasses.replace(
        ruleset, rules={k: v for k, v in ruleset.rules.items() if k in DISCLOSURE_RULES})
    with serve_site(site_root, official) as server, tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "crawl.sqlite"
        settings = dataclasses.replace(settings_for(config, server.url), polite=False,
                                       min_delay=0.0, per_host_concurrency=4, cache_path=cache)
        snapshot = load_site(config, cache_path=cache, url=server.url, settings=settings,
                             shown_origin=official)
        opts = AuditOptions(as_of=day)
        ctx = build_context(config, ruleset, opts, Inputs(site=snapshot))
        with HistoryStore.open(history) as store:
            ctx = dataclasses.replace(ctx, history=store)
            report = build_report(ctx, run_all(ctx), [])
            return record_audit(store, report, disclosure_snapshot(ctx))


def result(report: AuditReport, rule: str) -> RuleResult:
    return next(r for r in report.results if r.rule == rule)


def statuses(report: AuditReport) -> dict[str, str]:
    return {r.rule: r.status.value for r in report.results}
