"""URL canonicalisation, scope and crawler-trap shapes.

One page must have one key however it is linked: fragments, query order,
tracking parameters and session ids do not make a new page. On the
haiphong-edu platform one post answers under /ct/, /ctmb/ and /ctfull/
(DOMAIN.md): they are one post, keyed by its post id.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from auditor.profiles import canonical_post_path, keyed_post_id, list_identity

# Query parameters that never change what a page shows.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "mc_cid", "mc_eid",
    "_ga", "_gl", "igshid", "zarsrc", "zarsi", "ref_src", "spm",
})
SESSION_PARAMS = frozenset({
    "phpsessid", "jsessionid", "sid", "sessionid", "session_id", "sessid", "aspsessionid",
    "cfid", "cftoken",
})
_SESSION_PATH = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
_ASPNET_COOKIELESS = re.compile(r"/\((?:[A-Z]\([^)]*\))+\)", re.IGNORECASE)

# A platform's URL shapes (haiphong-edu: /<cat>/<slug>/ct|ctmb|ctfull/<catId>/<postId>, lists
# /<cat>/c/<catId>/<page>) are known by its profile only (rules/profiles/*.toml).

PAGE_PARAMS = frozenset({"page", "p", "paged", "trang", "pageindex", "pagenumber", "pg",
                         "start", "offset", "currentpage"})
_WP_PAGE = re.compile(r"/page/\d+/?$", re.IGNORECASE)
_DATE_IN_PATH = re.compile(r"(?:^|/)(?:19|20)\d{2}[-/](?:0?[1-9]|1[0-2])(?:$|[-/])")
_DATE_VALUE = re.compile(
    r"^(?:19|20)\d{2}(?:[-/]\d{1,2}){0,2}$|^\d{1,2}[-/]\d{1,2}[-/](?:19|20)\d{2}$"
)
CALENDAR_PARAMS = frozenset({"year", "month", "day", "date", "week", "nam", "thang", "ngay",
                             "tuan", "y", "m", "d", "ym", "cal", "time"})
_DIGITS = re.compile(r"\d+")


def _clean_path(path: str) -> str:
    path = _SESSION_PATH.sub("", path)
    path = _ASPNET_COOKIELESS.sub("", path)
    if not path:
        return "/"
    trailing = path.endswith("/")
    normal = posixpath.normpath(path)
    if normal.startswith("//"):
        normal = "/" + normal.lstrip("/")
    if trailing and normal != "/":
        normal += "/"
    # Re-quote so that %7E and ~, or raw Vietnamese and %-escapes, give one key.
    return quote(unquote(normal), safe="/:@!$&'()*+,;=-._~")


def _keep_param(name: str) -> bool:
    low = name.lower()
    return not (low.startswith("utm_") or low in TRACKING_PARAMS or low in SESSION_PARAMS)


def canonicalize(url: str, base: str | None = None) -> str | None:
    """The canonical form of `url` (resolved against `base`), or None if it is not http(s)."""
    url = url.strip()
    if not url:
        return None
    if base is not None:
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return None
    if port and port != {"http": 80, "https": 443}[scheme]:
        host = f"{host}:{port}"
    path = _clean_path(parts.path)
    path = canonical_post_path(path)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if _keep_param(k)]
    query = urlencode(sorted(pairs), quote_via=quote, safe="/:@!$'()*+,;-._~")
    return urlunsplit((scheme, host, path, query, ""))


def post_id(url: str) -> str | None:
    """The post id of an article URL on a platform whose ids name posts, or None."""
    return keyed_post_id(urlsplit(url).path)


def dedup_key(url: str) -> str:
    """Two URLs with one key are one page (haiphong-edu: one post id, whatever the slug)."""
    parts = urlsplit(url)
    pid = post_id(url)
    return f"{parts.netloc}#post:{pid}" if pid else url


def listing_key(url: str) -> str | None:
    """The identity of a paginated list (the URL without its page number), or None."""
    parts = urlsplit(url)
    listed = list_identity(parts.path)
    if listed:
        return f"{parts.netloc}{listed}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    paged = [k for k, v in pairs if k.lower() in PAGE_PARAMS and v.isdigit()]
    if paged or _WP_PAGE.search(parts.path):
        rest = [(k, v) for k, v in pairs if k.lower() not in PAGE_PARAMS]
        path = _WP_PAGE.sub("/", parts.path)
        return urlunsplit(("", parts.netloc, path, urlencode(rest), ""))
    return None


def url_shape(url: str) -> tuple[str, bool]:
    """(shape, calendar?): the URL with digit runs masked, and whether it carries a date.

    Many URLs of one shape are pagination or a calendar; beyond a bound they are
    a crawler trap (an endless "next month" link), not content.
    """
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    calendar = bool(_DATE_IN_PATH.search(parts.path)) or any(
        (k.lower() in CALENDAR_PARAMS and _DIGITS.fullmatch(v or "x")) or _DATE_VALUE.match(v)
        for k, v in pairs
    )
    # Post slugs differ per post, so an article's shape is unique; only URLs that
    # differ by numbers alone (page=7, /2026/11/) share a shape.
    path = _DIGITS.sub("#", parts.path)
    query = "&".join(sorted(f"{k}={_DIGITS.sub('#', v)}" for k, v in pairs))
    return f"{parts.netloc}{path}?{query}", calendar


def looks_like_trap(url: str, max_length: int) -> bool:
    """URLs no real page has: very long, or one path segment repeated over and over."""
    if len(url) > max_length:
        return True
    segments = [s for s in urlsplit(url).path.split("/") if s]
    return any(segments.count(s) > 3 for s in set(segments))


def with_www_twins(hosts: frozenset[str]) -> frozenset[str]:
    """`hosts` plus each one's www. twin: a school's address often redirects to it.

    Being in scope only means the crawl follows it; site.official-domain still
    sees the redirect in the page's redirect chain (Điều 2).
    """
    out = set(hosts)
    for host in hosts:
        name = host.split(":", 1)[0]
        if not name or name.replace(".", "").isdigit() or "." not in name:
            continue  # an IP address or a single-label name has no www. twin
        out.add(host[4:] if host.startswith("www.") else "www." + host)
    return frozenset(out)


def in_scope(url: str, hosts: frozenset[str]) -> bool:
    parts = urlsplit(url)
    netloc = parts.netloc.lower()
    return netloc in hosts or (parts.hostname or "") in hosts
