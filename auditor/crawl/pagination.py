"""Pagination: is a link the same list's next (or any other) page?

A news list is read to its end within ``max_pages``: its further pages keep
the depth of its first page, so that a sliding window of page links (1 … 10,
then 2 … 11, …) does not run into ``max_depth`` after a few hundred pages.
The shapes are those school portals print: ``?page=N`` (and ``trang``, ``p``,
``paged``…), ``/page/N/`` (WordPress), ``/page-N/`` (NukeViet), ``/trang-N``,
``/trang/N``, and the haiphong-edu list ``/<cat>/c/<catId>/<N>``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from auditor.crawl.urls import PAGE_PARAMS

_PAGE_SUFFIX = re.compile(r"/(?:page|trang)(?:[-/_]?)(\d{1,6})/?$", re.IGNORECASE)
_HAIPHONG_LIST_PAGE = re.compile(r"^(/[^/]+/c/\d+)/(\d{1,6})/?$", re.IGNORECASE)


@lru_cache(maxsize=65536)  # each list page is asked about once per link to it
def list_page(url: str) -> tuple[str, int | None]:
    """(the list's identity without its page number, the page number or None).

    ``/tin-tuc/page-3/`` → (``host/tin-tuc``, 3); ``/tin-tuc/`` → (``host/tin-tuc``, None).
    """
    parts = urlsplit(url)
    page: int | None = None
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        rest = []
        for key, value in pairs:
            if key.lower() in PAGE_PARAMS and value.isdigit():
                page = int(value)
            else:
                rest.append((key, value))
        if page is not None:
            query = urlencode(rest)
    path = parts.path or "/"
    if page is None:
        suffix = _PAGE_SUFFIX.search(path)
        listing = None if suffix else _HAIPHONG_LIST_PAGE.match(path)
        if suffix:
            page, path = int(suffix[1]), path[:suffix.start()]
        elif listing:
            page, path = int(listing[2]), listing[1]
    path = path.rstrip("/") or "/"
    return urlunsplit(("", parts.netloc.lower(), path, query, "")), page


def is_pagination(source: str, target: str) -> bool:
    """`target` is another page of the list `source` is a page of (page 1 included)."""
    if source == target:
        return False
    key, page = list_page(target)
    if page is None:
        # A link back to the unnumbered first page, from a numbered one.
        source_key, source_page = list_page(source)
        return source_page is not None and source_key == key
    return list_page(source)[0] == key
