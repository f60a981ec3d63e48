"""Signs of injected gambling spam in one page's HTML (Điều 17, khoản 1.đ và khoản 3).

A gambling word on its own is not a sign: schools publish "phòng chống cá
độ bóng đá" and lottery news legitimately (DOMAIN.md). A word counts only
with one of

- hiding: the word or a link sits in an element hidden from visitors;
- a link: the word is in a link to another host (its text, host or path);
- a brand: a gambling brand name (kuwin, 98win…) in the page's text.

Independent of words: links to other hosts hidden by the element's own inline
style, meta-refresh and script redirects to other hosts (and scripts that
redirect only visitors arriving from a search engine), and page URLs that
carry gambling words while not fitting the platform's URL scheme.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from auditor.spam.hiding import Hiding, HidingReader, HidingRules
from auditor.spam.terms import TermSet, bare_host, excerpt, host_allowed

KINDS = {  # kind → (Vietnamese, English)
    "hidden_link": ("liên kết ẩn", "hidden link"),
    "hidden_text": ("nội dung cờ bạc bị ẩn", "hidden gambling text"),
    "spam_link": ("liên kết tới trang cờ bạc", "link to a gambling site"),
    "brand": ("tên nhà cái cờ bạc", "gambling brand name"),
    "meta_refresh": ("chuyển hướng bằng meta refresh", "meta-refresh redirect"),
    "js_redirect": ("chuyển hướng bằng mã JavaScript", "script redirect"),
    "spam_url": ("trang có địa chỉ chứa từ cờ bạc", "page address with gambling words"),
    "sitemap_url": ("địa chỉ lạ trong sitemap", "sitemap address off the platform's scheme"),
    "cloaking": ("nội dung khác nhau cho Googlebot và người xem", "cloaking"),
}
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "meta", "link"})
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.I)
_JS_TARGET = re.compile(
    r"(?:location(?:\.href)?\s*=\s*|location\.(?:replace|assign)\(\s*|"
    r"window\.open\(\s*|(?:top|self|window|document)\.location\s*=\s*)['\"]([^'\"]+)['\"]",
    re.I)
_REFERRER = re.compile(r"document\.referrer", re.I)
_SEARCH_ENGINES = re.compile(r"google|bing|coccoc|yahoo|yandex", re.I)
_ABSOLUTE = re.compile(r"""(?:href|src)\s*=\s*["']?(?:https?:)?//([^/"'\s>?#]+)""")
_HIDING_MARKUP = re.compile(r"style\s*=|\shidden[\s>=]")


@dataclass(frozen=True)
class Signal:
    """One sign of spam on one page."""

    kind: str  # a key of KINDS
    url: str  # the page
    excerpt: str  # the offending text or markup, shortened
    key: str  # groups the same injection across pages (a target, a text digest)
    terms: tuple[str, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return KINDS[self.kind][0]

    @property
    def label_en(self) -> str:
        return KINDS[self.kind][1]


@dataclass(frozen=True)
class ScanOptions:
    """What a scan needs from the rule set and the configuration."""

    terms: TermSet
    own_hosts: tuple[str, ...]  # the school's hosts ("*.x" for any sub-domain of x)
    hiding: HidingRules
    excerpt_chars: int = 200
    # Hosts a link or redirect may go to without gambling words and not be a sign
    # (social networks, the authority's services); words still count there.
    quiet_hosts: tuple[str, ...] = ()

    def foreign(self, url: str) -> bool:
        """On another host than the school's."""
        host = bare_host(url)
        return bool(host) and not host_allowed(host, self.own_hosts)

    def suspicious(self, url: str) -> bool:
        """On another host, and not one of the quiet hosts."""
        return self.foreign(url) and not host_allowed(bare_host(url), self.quiet_hosts)


def digest(text: str) -> str:
    return hashlib.sha1(" ".join(text.split()).casefold().encode()).hexdigest()[:10]


def _text(tag: Tag) -> str:
    return unicodedata.normalize("NFC", " ".join(tag.get_text(" ", strip=True).split()))


def _targets(tag: Tag, base: str) -> list[tuple[str, str]]:
    """(absolute URL, link text) of the links and frames inside `tag` (itself included)."""
    found = [tag] if tag.name in ("a", "iframe") else []
    found += tag.find_all(["a", "iframe"])
    out = []
    for node in found:
        raw = node.get("href") if node.name == "a" else node.get("src")
        href = str(raw or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        out.append((urljoin(base, href), _text(node)))
    return out


def _hidden_roots(soup: BeautifulSoup, reader: HidingReader) -> list[tuple[Tag, Hiding]]:
    """The outermost hidden elements of the body (their descendants are part of them).

    An explicit stack, not recursion: a hacked page may nest elements 100,000
    deep to make a recursive walk fail (issue 13.5). Document order is kept.
    """
    roots: list[tuple[Tag, Hiding]] = []
    body = soup.body or soup
    stack: list[Tag] = _tag_children(body)
    while stack:
        node = stack.pop()
        hiding = reader.own(node)
        if hiding is not None:
            roots.append((node, hiding))
        else:
            stack += _tag_children(node)
    return roots


def _tag_children(node: Tag) -> list[Tag]:
    """The element children worth reading, last first (a stack pops the first child first)."""
    return [c for c in reversed(node.contents) if isinstance(c, Tag) and c.name not in _SKIP]


def _markup(tag: Tag, limit: int) -> str:
    raw = " ".join(str(tag).split())
    return raw if len(raw) <= limit else raw[:limit] + "…"


def _hidden(url: str, soup: BeautifulSoup, opts: ScanOptions,
            reader: HidingReader) -> tuple[list[Signal], set[int]]:
    signals: list[Signal] = []
    seen: set[int] = set()
    for root, hiding in _hidden_roots(soup, reader):
        seen.add(id(root))
        seen.update(id(t) for t in root.find_all(True))
        text = _text(root)
        targets = _targets(root, url)
        words = list(opts.terms.words(text))
        for target, _label in targets:
            words += [w for w in opts.terms.in_url(target) if w not in words]
        foreign = [t for t, _ in targets if opts.suspicious(t)]
        if not words and not (hiding.inline and foreign):
            continue  # a collapsed menu or a hidden internal item: not spam
        kind = "hidden_link" if targets else "hidden_text"
        hosts = sorted({bare_host(t) for t, _ in targets if opts.foreign(t)})
        key = ",".join(hosts) or digest(text)
        signals.append(Signal(
            kind, url, _markup(root, opts.excerpt_chars), f"{kind}:{key}", tuple(words),
            {"hidden_by": hiding.reason, "links": [t for t, _ in targets][:10],
             "text": text[:opts.excerpt_chars]}))
    return signals, seen


def _links(url: str, soup: BeautifulSoup, opts: ScanOptions, skip: set[int]) -> list[Signal]:
    out: list[Signal] = []
    for a in soup.find_all(["a", "iframe"]):
        if id(a) in skip:
            continue
        href = str((a.get("href") if a.name == "a" else a.get("src")) or "").strip()
        if not href.startswith(("http:", "https:", "//")):
            continue  # relative: on the site itself
        target = urljoin(url, href)
        if not opts.foreign(target):
            continue
        label = _text(a)
        words = list(opts.terms.in_url(target))
        words += [w for w in opts.terms.words(label) if w not in words]
        if words:
            out.append(Signal("spam_link", url, _markup(a, opts.excerpt_chars),
                              f"spam_link:{bare_host(target)}", tuple(words),
                              {"target": target, "text": label}))
    return out


def _brands(url: str, soup: BeautifulSoup, opts: ScanOptions, skip: set[int]) -> list[Signal]:
    body = soup.body or soup
    parts = []
    for node in body.find_all(string=True):
        parent = node.parent
        if parent is None or parent.name in _SKIP or id(parent) in skip:
            continue
        parts.append(str(node))
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    text = unicodedata.normalize("NFC", " ".join(" ".join([title, *parts]).split()))
    hits = opts.terms.hits(text, ("brand",))
    if not hits:
        return []
    words = tuple(dict.fromkeys(h.term.text for h in hits))
    first = hits[0]
    return [Signal("brand", url, excerpt(text, first.start, first.end, opts.excerpt_chars),
                   f"brand:{url}", words, {"occurrences": len(hits)})]


def _redirects(url: str, soup: BeautifulSoup, opts: ScanOptions) -> list[Signal]:
    out: list[Signal] = []
    for meta in soup.find_all("meta"):
        if str(meta.get("http-equiv") or "").lower() != "refresh":
            continue
        m = _REFRESH_URL.search(str(meta.get("content") or ""))
        if m and opts.suspicious(urljoin(url, m[1].strip())):
            target = urljoin(url, m[1].strip())
            out.append(Signal("meta_refresh", url, _markup(meta, opts.excerpt_chars),
                              f"meta_refresh:{bare_host(target)}", opts.terms.in_url(target),
                              {"target": target}))
    for script in soup.find_all("script"):
        code = script.string or script.get_text() or ""
        targets = [urljoin(url, t) for t in _JS_TARGET.findall(code)]
        foreign = [t for t in targets if opts.suspicious(t)]
        conditional = bool(_REFERRER.search(code) and _SEARCH_ENGINES.search(code)
                           and "location" in code)
        if not foreign and not conditional:
            continue
        snippet = " ".join(code.split())
        key = ",".join(sorted({bare_host(t) for t in foreign})) or digest(snippet)
        out.append(Signal("js_redirect", url, snippet[:opts.excerpt_chars],
                          f"js_redirect:{key}", tuple(w for t in foreign
                                                      for w in opts.terms.in_url(t)),
                          {"targets": foreign, "only_from_search_engines": conditional}))
    return out


def _worth_parsing(html: str, opts: ScanOptions) -> bool:
    """Could the page give any signal? Most pages have no gambling word, no hidden link to
    another host and no redirect: they are not parsed at all."""
    if opts.terms.words(unicodedata.normalize("NFC", html)):
        return True
    lowered = html.lower()
    if "refresh" in lowered or "location" in lowered:
        return True
    foreign = [h for h in _ABSOLUTE.findall(lowered) if opts.foreign(f"http://{h}/")]
    if any(h.rsplit(".", 1)[-1].split(":")[0] in opts.terms.tlds for h in foreign):
        return True
    return bool(foreign) and bool(_HIDING_MARKUP.search(lowered))


def page_signals(url: str, html: str, opts: ScanOptions,
                 fits_platform: Callable[[str], bool] | None = None) -> list[Signal]:
    """Every sign of spam in one page. `fits_platform(url)`: the URL fits the platform's scheme."""
    found = url_signals([url], opts, fits_platform, kind="spam_url")
    if not _worth_parsing(html, opts):
        return found
    soup = BeautifulSoup(html, "lxml")
    reader = HidingReader(soup, opts.hiding)
    hidden, skip = _hidden(url, soup, opts, reader)
    return [*hidden, *_links(url, soup, opts, skip), *_brands(url, soup, opts, skip),
            *_redirects(url, soup, opts), *found]


def url_signals(urls: Sequence[str], opts: ScanOptions,
                fits_platform: Callable[[str], bool] | None, *, kind: str,
                source: str | None = None) -> list[Signal]:
    """Addresses that carry gambling words (a brand anywhere; other words off the scheme)."""
    out = []
    for url in urls:
        words = opts.terms.in_url(url)
        if not words:
            continue
        brands = opts.terms.brands(url)
        fits = fits_platform(url) if fits_platform else True
        if brands or not fits or opts.foreign(url):
            out.append(Signal(kind, source or url, url, f"{kind}:{url}", words,
                              {"address": url, "fits_platform": fits}))
    return out


def sitemap_signals(sitemap_url: str, entries: Sequence[str], opts: ScanOptions,
                    fits_platform: Callable[[str], bool] | None) -> list[Signal]:
    """Sitemap entries on another host, or carrying gambling words off the platform's scheme."""
    out = url_signals(entries, opts, fits_platform, kind="sitemap_url", source=sitemap_url)
    flagged = {s.detail["address"] for s in out}
    for entry in entries:
        if entry not in flagged and opts.suspicious(entry):
            out.append(Signal("sitemap_url", sitemap_url, entry, f"sitemap_url:{bare_host(entry)}",
                              (), {"address": entry, "foreign_host": True}))
    return out
