"""Site profiles (hồ sơ nền tảng): how to read one portal platform, as TOML.

A profile in ``rules/profiles/<name>.toml`` says which URLs are articles, lists
and documents, and which CSS selectors find an article's title, dates,
category, author, body, attachments and the navigation menu. Profiles extend
``generic``: their selectors are tried first, then generic's. A school may put
its own selectors and URL patterns in ``auditor.toml`` (``[site.selectors]``,
``[site.urls]``); they are tried before the profile's.

Selector syntax: ``CSS`` [``@attribute``] [`` =~ regex``] — the text (or the
attribute) of the first element that matches, and when a regex is given, its
first group.

Profiles are data, read by two layers: the crawler keys URLs by their shapes
(:mod:`auditor.crawl.urls`), the site layer reads pages with their selectors. So
this module sits below both, beside :mod:`auditor.ruleset`, and imports only
the utilities.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from auditor.errors import ConfigError
from auditor.resources import rules_dir

FIELDS = (
    "title", "visible_date", "meta_date", "category", "author", "body", "attachments",
    "menu", "list_links", "pagination", "post_id", "disclosure_items",
)
URL_KINDS = ("article", "list", "document", "skip", "likely_post")


def _builtin_names() -> tuple[str, ...]:
    """Every ``rules/profiles/*.toml``, by name, ``generic`` last."""
    names = sorted(p.stem for p in (rules_dir() / "profiles").glob("*.toml"))
    return (*[n for n in names if n != "generic"], "generic")


BUILTIN_PROFILES = _builtin_names()


@dataclass(frozen=True)
class Selector:
    """One selector entry: CSS, optional attribute, optional regex."""

    css: str
    attr: str | None = None
    regex: re.Pattern[str] | None = None
    raw: str = ""

    @classmethod
    def parse(cls, raw: str, where: str) -> Selector:
        text, _, pattern = raw.partition(" =~ ")
        css, attr = text.strip(), None
        m = re.fullmatch(r"(.*?)@([\w:\-]+)", css)
        if m:
            css, attr = m[1].strip(), m[2]
        try:
            regex = re.compile(pattern.strip()) if pattern.strip() else None
        except re.error as exc:
            raise ConfigError(f"{where}: biểu thức chính quy sai trong '{raw}' ({exc}).",
                              en=f"{where}: invalid regular expression in '{raw}' ({exc})."
                              ) from None
        if not css:
            raise ConfigError(f"{where}: bộ chọn rỗng '{raw}'.",
                              en=f"{where}: empty selector '{raw}'.")
        return cls(css, attr, regex, raw)


@dataclass(frozen=True)
class Profile:
    """How to read one platform's pages."""

    name: str
    title: str
    title_en: str = ""
    generator: tuple[re.Pattern[str], ...] = ()
    hosts: tuple[re.Pattern[str], ...] = ()
    url_patterns: tuple[re.Pattern[str], ...] = ()
    markers: tuple[str, ...] = ()
    urls: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    content_signals: bool = True
    selectors: Mapping[str, tuple[Selector, ...]] = field(default_factory=dict)
    disclosure_titles: tuple[str, ...] = ()
    attachment_extensions: frozenset[str] = frozenset()
    # File links without an extension (NukeViet ``…html?download=1&id=N``).
    attachment_patterns: tuple[re.Pattern[str], ...] = ()
    # CSS selectors of markup only a post page carries (WordPress ``body.single-post``).
    post_markers: tuple[str, ...] = ()
    # The generic fall-backs (JSON-LD, ``<time>``, the library path) when the profile's
    # selectors find nothing; off for a platform profile (precision over recall).
    generic_fallbacks: bool = True
    # One post answers under several URLs and its post id names it (haiphong-edu: ct,
    # ctmb, ctfull); `canonical` is the one URL path kept, from the article's groups.
    post_id_keys: bool = False
    canonical: str = ""
    source: str = ""

    def select(self, name: str) -> tuple[Selector, ...]:
        return self.selectors.get(name, ())

    def url_kind(self, path_and_query: str) -> tuple[str | None, dict[str, str]]:
        """("skip"|"document"|"list"|"article"|None, named groups) for a URL path."""
        for kind in ("skip", "document", "list", "article"):
            for pattern in self.urls.get(kind, ()):
                m = pattern.search(path_and_query)
                if m:
                    return kind, {k: v for k, v in m.groupdict().items() if v is not None}
        return None, {}

    def with_overrides(self, selectors: Mapping[str, Sequence[str]] | None = None,
                       urls: Mapping[str, Sequence[str]] | None = None,
                       disclosure_titles: Sequence[str] = ()) -> Profile:
        """The school's own selectors and URL patterns, tried before the profile's."""
        where = "auditor.toml [site]"
        new_sel = dict(self.selectors)
        for name, values in (selectors or {}).items():
            _known(name, FIELDS, f"{where}.selectors")
            mine = tuple(Selector.parse(v, f"{where}.selectors.{name}") for v in _strings(values))
            new_sel[name] = mine + self.selectors.get(name, ())
        new_urls = dict(self.urls)
        for kind, values in (urls or {}).items():
            _known(kind, URL_KINDS, f"{where}.urls")
            mine_p = tuple(_regex(v, f"{where}.urls.{kind}") for v in _strings(values))
            new_urls[kind] = mine_p + self.urls.get(kind, ())
        return Profile(
            **{**self.__dict__, "selectors": new_sel, "urls": new_urls,
               "disclosure_titles": (*disclosure_titles, *self.disclosure_titles)}
        )


def _known(name: str, allowed: Sequence[str], where: str) -> None:
    if name not in allowed:
        raise ConfigError(f"{where}: khoá '{name}' không được hỗ trợ; cần một trong: "
                          + ", ".join(allowed),
                          en=f"{where}: key '{name}' is not supported; expected one of: "
                             + ", ".join(allowed))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConfigError(f"cần một chuỗi hoặc danh sách chuỗi, không phải {value!r}.",
                      en=f"expected a string or a list of strings, not {value!r}.")


def _regex(raw: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(raw)
    except re.error as exc:
        raise ConfigError(f"{where}: biểu thức chính quy sai '{raw}' ({exc}).",
                          en=f"{where}: invalid regular expression '{raw}' ({exc}).") from None


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"Không tìm thấy hồ sơ nền tảng '{path}'.",
            hint="Hồ sơ có sẵn: " + ", ".join(BUILTIN_PROFILES),
            en=f"Platform profile '{path}' not found.",
            hint_en="Built-in profiles: " + ", ".join(BUILTIN_PROFILES),
        ) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: không đọc được hồ sơ nền tảng ({exc}).",
                          en=f"{path}: could not read the platform profile ({exc}).") from None


def _path_of(ref: str, base: Path | None) -> Path:
    if ref.endswith(".toml"):
        path = Path(ref).expanduser()
        return path if path.is_absolute() or base is None else base / path
    return rules_dir() / "profiles" / f"{ref}.toml"


def _merged(ref: str, base: Path | None, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    """The profile's raw tables with its parent's lists appended after its own."""
    if ref in seen:
        raise ConfigError(f"Hồ sơ nền tảng '{ref}': 'extends' tạo thành vòng lặp.",
                          en=f"Platform profile '{ref}': 'extends' forms a loop.")
    path = _path_of(ref, base)
    raw = _read(path)
    raw.setdefault("profile", {})["source"] = str(path)
    parent_ref = raw["profile"].get("extends")
    if not parent_ref:
        return raw
    parent = _merged(str(parent_ref), path.parent, (*seen, ref))
    if raw["profile"].get("inherit_selectors", True) is False:
        parent = {**parent, "selectors": {}}
    for table in ("urls", "selectors", "disclosure", "attachments"):
        mine, theirs = raw.get(table, {}), parent.get(table, {})
        merged = dict(theirs)
        for key, value in mine.items():
            if isinstance(value, list) and isinstance(theirs.get(key), list) and key not in (
                "article", "list", "document", "feeds", "sitemaps", "post_markers"
            ):
                merged[key] = value + [v for v in theirs[key] if v not in value]
            else:
                merged[key] = value
        raw[table] = merged
    return raw


def _build(raw: dict[str, Any], where: str) -> Profile:
    meta, detect = raw.get("profile", {}), raw.get("detect", {})
    urls, sel = raw.get("urls", {}), raw.get("selectors", {})
    for name in sel:
        _known(name, FIELDS, f"{where} [selectors]")
    return Profile(
        name=str(meta.get("name") or Path(where).stem),
        title=str(meta.get("title", "")),
        title_en=str(meta.get("title_en", "")),
        generator=tuple(_regex(p, where) for p in detect.get("generator", [])),
        hosts=tuple(_regex(p, where) for p in detect.get("hosts", [])),
        url_patterns=tuple(_regex(p, where) for p in detect.get("url_patterns", [])),
        markers=tuple(detect.get("markers", [])),
        urls={k: tuple(_regex(p, f"{where} urls.{k}") for p in urls.get(k, []))
              for k in URL_KINDS},
        feeds=tuple(urls.get("feeds", [])),
        sitemaps=tuple(urls.get("sitemaps", [])),
        content_signals=bool(urls.get("content_signals", True)),
        selectors={k: tuple(Selector.parse(v, f"{where} selectors.{k}") for v in _strings(vs))
                   for k, vs in sel.items()},
        disclosure_titles=tuple(raw.get("disclosure", {}).get("menu_titles", [])),
        attachment_extensions=frozenset(
            e.lower().lstrip(".") for e in raw.get("attachments", {}).get("extensions", [])
        ),
        attachment_patterns=tuple(
            _regex(p, f"{where} attachments") for p in raw.get("attachments", {}).get(
                "url_patterns", [])),
        post_markers=tuple(urls.get("post_markers", [])),
        generic_fallbacks=bool(meta.get("generic_fallbacks", True)),
        post_id_keys=bool(urls.get("post_id_keys", False)),
        canonical=str(urls.get("canonical", "")),
        source=str(meta.get("source", where)),
    )


@cache
def _load_cached(ref: str, base: str | None) -> Profile:
    raw = _merged(ref, Path(base) if base else None)
    return _build(raw, raw["profile"]["source"])


def load_profile(ref: str, base: Path | None = None) -> Profile:
    """A built-in profile by name, or a profile file (``*.toml``, relative to `base`)."""
    return _load_cached(ref, str(base) if base else None)


def builtin_profiles() -> list[Profile]:
    """Every built-in profile, most specific first and ``generic`` last."""
    return [load_profile(name) for name in BUILTIN_PROFILES]


# --- URL shapes for the crawler and the checks (the profiles are the only place that
# knows a platform's URL shapes; crawl/urls.py and checks/disclosure_common.py ask here).

def _compiled_shapes(kinds: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    out: list[tuple[re.Pattern[str], str]] = []
    for profile in builtin_profiles():
        if profile.post_id_keys:
            for kind in kinds:
                out += [(rx, profile.canonical if kind == "article" else "")
                        for rx in profile.urls.get(kind, ())]
    return tuple(out)


@cache
def _keyed(kinds: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return _compiled_shapes(kinds)


def keyed_post_id(path: str, kinds: tuple[str, ...] = ("article",)) -> str | None:
    """The post id of a URL path on a platform whose post ids name posts, else None."""
    for pattern, _ in _keyed(kinds):
        found = pattern.match(path)
        if found and found.groupdict().get("post_id"):
            return found["post_id"]
    return None


def canonical_post_path(path: str) -> str:
    """The one path of a post that answers under several (``/ctmb/`` → ``/ct/``)."""
    for pattern, template in _keyed(("article",)):
        found = pattern.match(path)
        if found and template:
            try:
                return template.format(**found.groupdict())
            except (KeyError, IndexError):
                return path
    return path


@cache
def _paged_lists() -> tuple[re.Pattern[str], ...]:
    return tuple(rx for profile in builtin_profiles() if profile.post_id_keys
                 for rx in profile.urls.get("list", ()) if "pager" in rx.groupindex)


def list_identity(path: str) -> str | None:
    """A paginated list's path without its page number (``/tin-tuc/c/12/3`` →
    ``/tin-tuc/c/12``), for the list shapes of the platforms whose post ids name
    posts (a ``pager`` group in the profile's list pattern); None otherwise."""
    for pattern in _paged_lists():
        found = pattern.match(path)
        if found:
            if found.start("pager") >= 0:
                path = path[:found.start("pager")] + path[found.end("pager"):]
            return path.rstrip("/") or "/"
    return None
