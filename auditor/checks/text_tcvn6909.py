"""text.tcvn6909 — published text is Unicode (NFC) per TCVN 6909:2001 (Điều 6.4)."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from auditor.checks.interface import AuditContext, Check, Param
from auditor.errors import InputError
from auditor.model import Post
from auditor.results import Finding, Severity
from auditor.vntext.detect import Detection, TextScan, scan
from auditor.vntext.filescan import scan_bytes
from auditor.vntext.markup import HtmlSignal, is_utf8, legacy_fonts, signals
from auditor.vntext.report import TextVerdict, check_field, evidence

_FIELDS = {"title": ("tiêu đề", "title"), "body": ("nội dung", "body"),
           "category": ("chuyên mục", "category")}

# Visible text of a page, read without a parser (every crawled page, so it must be
# cheap): invisible blocks dropped, block tags as line breaks, inline tags removed.
_INVISIBLE = re.compile(r"<(script|style|noscript|template|svg|head)\b[^>]*>.*?</\1\s*>"
                        r"|<!--.*?-->", re.S | re.I)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|li|ul|ol|h[1-6]|br|tr|td|th|table|tbody|thead|tfoot|section|article|nav|"
    r"header|footer|aside|main|option|select|dd|dt|dl|form|body|html|button|label|figure|"
    r"figcaption|blockquote|pre|hr|img|input|span|a|title)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.S | re.I)
# Runs of two or more, or one that is not a plain space (a lone space is left as is:
# replacing each by itself cost half of visible_text).
_SPACES = re.compile(r"[ \t\r\f\v\xa0]{2,}|[\t\r\f\v\xa0]")
_BREAKS = re.compile(r" ?\n[\s\xa0]*")


def visible_text(page_html: str) -> str:
    """The text a visitor sees on the page (its title too), one block a line."""
    title = _TITLE.search(page_html)
    text = _INVISIBLE.sub("\n", page_html)
    text = _TAG.sub("", _BLOCK_TAG.sub("\n", text))
    if "&" in text:
        text = html.unescape(text)
    if title:
        text = html.unescape(_TAG.sub("", title.group(1))) + "\n" + text
    # Runs of spaces to one; blank lines and the spaces around line breaks away.
    return _BREAKS.sub("\n", _SPACES.sub(" ", text)).strip()


_LEGACY_FONT = re.compile(r"\.Vn[A-Za-z0-9\-]|VNI-|VISCII", re.IGNORECASE)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.IGNORECASE)


def _may_signal(page_html: str) -> bool:
    """Could the markup hold a legacy font or a non-UTF-8 charset? (A cheap superset of
    what ``vntext.markup.signals`` finds: only such pages are parsed for it.)"""
    return _may_name_legacy_font(page_html) or any(
        not is_utf8(c) for c in _CHARSET.findall(page_html))


# Characters IGNORECASE matches to an ASCII letter of _LEGACY_FONT (İ ı ſ K); without
# them, the lowered page searched case-sensitively finds the same (in half the time).
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")
_LEGACY_FONT_LOWER = re.compile(r"\.vn[a-z0-9\-]|vni-|viscii")


def _may_name_legacy_font(page_html: str) -> bool:
    """`_LEGACY_FONT.search(page_html) is not None`, faster."""
    if any(c in page_html for c in _FOLDS_TO_ASCII):
        return _LEGACY_FONT.search(page_html) is not None
    return _LEGACY_FONT_LOWER.search(page_html.lower()) is not None


def _key(text: str) -> str:
    return " ".join(text.split())


class TextTcvn6909(Check):
    """Văn bản dùng bộ mã Unicode TCVN 6909:2001 (Điều 6.4, Quy chế kèm QĐ 111/QĐ-THCS).

    "Sử dụng bộ mã ký tự chữ Việt Unicode theo tiêu chuẩn TCVN 6909:2001."
    Titles, bodies and categories of published posts (CMS export and crawl),
    and, when the site was crawled, menu labels, attachment names, page titles,
    legacy fonts in inline styles and stylesheets (.VnTime, .VnArial, VNI-…)
    and non-UTF-8 charset declarations. Text in a legacy encoding (TCVN3/ABC,
    VNI-Windows, VISCII, VIQR, Windows-1258) or UTF-8 misread as Windows-1252
    (mojibake) is a violation; decomposed Unicode (NFD, "Unicode tổ hợp") and
    soft hyphens inside words are warnings. Each finding shows the excerpt, the
    detected encoding with a confidence, and the corrected text; it goes to the
    post's author and department. One finding per post and field.

    Fails: tiêu đề “Th«ng b¸o lÞch thi häc kú I” (TCVN3, gõ bằng phông .VnTime)
    → sửa thành “Thông báo lịch thi học kỳ I”.
    Passes: “Thông báo lịch thi học kỳ I” ở dạng Unicode dựng sẵn (NFC).
    """

    id = "text.tcvn6909"
    title = "Văn bản dùng bộ mã Unicode TCVN 6909:2001"
    title_en = "Text in Unicode (NFC) per TCVN 6909:2001"
    parameters = (
        Param("min_confidence", (int, float), "độ tin cậy tối thiểu để báo một bảng mã cũ (0–1)",
              "minimum confidence to report a legacy encoding (0–1)"),
        Param("excerpt_chars", int, "số ký tự của đoạn trích làm bằng chứng",
              "characters of the excerpt shown as evidence"),
        Param("fields", list, "trường của tin bài được kiểm tra (title, body, category)",
              "post fields checked (title, body, category)"),
    )
    needs = ("posts",)
    report_sheet = "encoding"

    def run(self, ctx: AuditContext, params: Mapping[str, Any]) -> Iterable[Finding]:
        site = ctx.site
        if site is None:
            ctx.require_posts()  # no export and no crawl: not checked, with the reason
        conf = float(params["min_confidence"])
        width = int(params["excerpt_chars"])
        fields = [f for f in params["fields"] if f in _FIELDS]
        site_posts = list(getattr(site, "site_posts", ()) or ())
        posts, shown = _posts_and_shown(ctx.posts or (), site_posts)
        published = [p for p in posts if p.is_published and p.published_at is not None
                     and p.published_at.date() in ctx.span]
        self._flagged: list[str] = []  # texts already reported: not again as page text
        yield from self._post_fields(ctx, published, fields, shown, conf, width)
        if "category" in fields:
            yield from self._categories(published, conf, width)
        if site is not None:
            yield from self._site(ctx, site, site_posts, conf, width)
            yield from self._page_text(site, conf, width)
        yield from self._attachment_files(ctx, site, posts, site_posts, conf, width)

    def _post_fields(self, ctx: AuditContext, published: list[Post], fields: list[str],
                     shown: Mapping[str, Post], conf: float, width: int) -> Iterator[Finding]:
        """The title and body of each post in the period (categories are judged once each)."""
        for post in published:
            for name in fields:
                value = getattr(post, name)
                if not value or name == "category":
                    continue
                verdict = check_field(value, conf)
                on_site = getattr(shown[post.post_id], name) if post.post_id in shown else None
                if not verdict.faulty and on_site and on_site != value:
                    verdict = check_field(on_site, conf)
                if verdict.faulty:
                    self._flagged.append(verdict.scan.text)
                    yield self._post_finding(ctx, post, name, verdict, width)

    def _categories(self, published: list[Post], conf: float, width: int) -> Iterator[Finding]:
        """Each category name of the period's posts, once."""
        for name in sorted({post.category for post in published if post.category}):
            verdict = check_field(name, conf)
            if verdict.faulty:
                yield self._plain(f"category:{name}", f"Chuyên mục “{name}”",
                                  f"Category “{name}”", verdict, "chuyên mục", width)

    # --- findings -------------------------------------------------------------------

    @staticmethod
    def _severity(verdict: TextVerdict) -> Severity:
        # Legacy encodings, fonts and charsets break the regulation (Điều 6.4);
        # NFD and soft hyphens render well but hurt search: warnings.
        return Severity.VIOLATION if verdict.legacy else Severity.WARNING

    @staticmethod
    def _messages(what_vi: str, what_en: str, ev: dict[str, Any]) -> tuple[str, str]:
        if "encoding" not in ev and all("gạch mềm" in x for x in ev.get("signals", [])):
            sig = "; ".join(ev.get("signals", []))
            return (f"{what_vi}: {sig} — nên xóa.", f"{what_en}: soft hyphens inside words.")
        if "encoding" not in ev:  # only markup signals
            sig = "; ".join(ev.get("signals", []))
            return (f"{what_vi}: {sig} — cần dùng phông Unicode và bảng mã UTF-8 "
                    "(TCVN 6909:2001).",
                    f"{what_en}: legacy font or charset in the markup ({sig}); use a Unicode "
                    "font and UTF-8.")
        pct = round(ev["confidence"] * 100)
        if ev["encoding"] in ("nfd", "soft-hyphen"):
            kind = ("Unicode tổ hợp (NFD), cần chuẩn hóa sang dạng dựng sẵn (NFC)"
                    if ev["encoding"] == "nfd" else "có dấu gạch mềm (soft hyphen) trong từ")
            kind_en = ("decomposed Unicode (NFD); normalise to NFC" if ev["encoding"] == "nfd"
                       else "soft hyphens inside words")
            return (f"{what_vi} {kind}: “{ev['excerpt']}” → “{ev['fix']}”.",
                    f"{what_en}: {kind_en}: “{ev['excerpt']}” → “{ev['fix']}”.")
        return (f"{what_vi} là văn bản mã {ev['encoding_name']} (độ tin cậy {pct}%), chưa phải "
                f"Unicode TCVN 6909:2001: “{ev['excerpt']}” → sửa thành “{ev['fix']}”.",
                f"{what_en} is in {ev['encoding_name']} (confidence {pct}%), not Unicode per "
                f"TCVN 6909:2001: “{ev['excerpt']}” → “{ev['fix']}”.")

    def _post_finding(self, ctx: AuditContext, post: Post, field: str, verdict: TextVerdict,
                      width: int, extra: tuple[str, str] | None = None) -> Finding:
        vi, en = extra or _FIELDS[field]
        ev = evidence(verdict, f"bài {post.post_id}, {vi}", width)
        ev.update({"title": post.title, "field": field})
        msg_vi, msg_en = self._messages(f"Bài “{post.title}” — {vi}",
                                        f"Post “{post.title}” — {en}", ev)
        on = post.published_at.astimezone(ctx.tz).date() if post.published_at and \
            post.published_at.tzinfo else (post.published_at.date() if post.published_at
                                           else None)
        author = ctx.directory.person(post.author)
        return self.finding(
            f"post:{post.post_id}:{field}", msg_vi, msg_en, severity=self._severity(verdict),
            department=post.department or ctx.directory.department_of(post.author),
            person=author, on=on, url=post.url, post_id=post.post_id,
            source=post.provenance.source, evidence=ev)

    def _plain(self, subject: str, what_vi: str, what_en: str, verdict: TextVerdict,
               where: str, width: int, url: str | None = None) -> Finding:
        ev = evidence(verdict, where, width)
        msg_vi, msg_en = self._messages(what_vi, what_en, ev)
        return self.finding(subject, msg_vi, msg_en, severity=self._severity(verdict),
                            url=url, source="site", evidence=ev)

    # --- the crawled site ---------------------------------------------------------

    def _site(self, ctx: AuditContext, site: Any, site_posts: list[Any], conf: float,
              width: int) -> Iterator[Finding]:
        yield from self._menu(site, conf, width)
        yield from self._attachment_names(ctx, site_posts, conf, width)
        by_url = {url: sp for sp in site_posts for url in (*sp.urls, sp.url) if url}
        for url, page in sorted(site.pages.items()):
            if not page.ok or not page.text:
                continue
            if page.content_type == "text/css":  # a stylesheet the crawl kept
                yield from self._stylesheet(url, page.text, width)
                continue
            sp = by_url.get(url) or by_url.get(page.final_url)
            finding = self._page(ctx, url, page, sp, conf, width)
            if finding is not None:
                yield finding

    def _menu(self, site: Any, conf: float, width: int) -> Iterator[Finding]:
        for path, item in site.nav_items():
            verdict = check_field(item.title, conf)
            if verdict.faulty:
                self._flagged.append(item.title)
                label = " › ".join(path)
                yield self._plain(f"menu:{label}", f"Mục menu “{label}”", f"Menu item “{label}”",
                                  verdict, "menu", width, item.url)

    def _attachment_names(self, ctx: AuditContext, site_posts: list[Any], conf: float,
                          width: int) -> Iterator[Finding]:
        """The titles and file names of the attachments the site lists under its posts."""
        for sp in site_posts:
            for att in sp.attachments:
                name = unquote(posixpath.basename(urlsplit(att.url).path))
                text = "\n".join(t for t in (att.title, name) if t)
                verdict = check_field(text, conf)
                if verdict.faulty and sp.post.is_published:
                    yield self._post_finding(ctx, sp.post, f"attachment-name:{name}", verdict,
                                             width, (f"tên tệp đính kèm “{name}”",
                                                     f"attachment name “{name}”"))

    def _stylesheet(self, url: str, css: str, width: int) -> Iterator[Finding]:
        found = tuple(HtmlSignal("legacy-font", f, "stylesheet") for f in legacy_fonts(css))
        if found:
            yield self._plain(f"page:{url}", f"Tệp CSS {url}", f"Stylesheet {url}",
                              TextVerdict(TextScan("", (), ""), found),
                              f"tệp {url}", width, url)

    def _page(self, ctx: AuditContext, url: str, page: Any, sp: Any, conf: float,
              width: int) -> Finding | None:
        """A page's legacy fonts, charsets and title, as one finding (on its post if any)."""
        found = _markup_signals(page)
        title_verdict = self._page_title(page.title, sp, conf)
        if not found and not (title_verdict and title_verdict.faulty):
            return None
        verdict = TextVerdict(title_verdict.scan if title_verdict else TextScan("", (), ""),
                              found)
        if sp is not None and sp.post.is_published:
            return self._post_finding(ctx, sp.post, "page", verdict, width,
                                      ("trang bài viết", "article page"))
        return self._plain(f"page:{url}", f"Trang {url}", f"Page {url}", verdict,
                           f"trang {url}", width, url)

    def _page_title(self, title: str | None, sp: Any, conf: float) -> TextVerdict | None:
        """The verdict on a page's <title>, unless it is the post's title with the school's
        name: that is checked as the post's field."""
        if sp is not None and title is not None and sp.post.title and sp.post.title in title:
            return None  # "<post title> - <school>"
        verdict = check_field(title, conf) if title else None
        if verdict and verdict.faulty:
            self._flagged.append(title or "")
        return verdict

    def _page_text(self, site: Any, conf: float, width: int) -> Iterator[Finding]:
        """Every crawled page's visible text (menus, lists, side bars, bodies the profile
        could not locate): one finding per legacy-encoded block, with the first page
        it was seen on and the corrected text."""
        reported = [_key(line) for value in self._flagged
                    for line in visible_text(value).split("\n") if len(line) > 3]
        blob = "\n".join(reported)

        def already(key: str) -> bool:
            """Reported as a post's field, a menu entry or a page title (whole or part)."""
            probe = key.rstrip("….").rstrip()  # a list's summary cut with "…"
            return probe in blob or any(line in key for line in reported)

        blocks: dict[str, tuple[Detection, str, int]] = {}
        for url, page in sorted(site.pages.items()):
            if not page.ok or not page.text or page.content_type not in (
                    "text/html", "application/xhtml+xml"):
                continue
            result = scan(visible_text(page.text), min_confidence=conf)
            for found in result.detections:
                if found.encoding == "soft-hyphen":
                    continue  # judged in the texts themselves, where it can be told apart
                key = _key(found.original)
                first = blocks.get(key)
                if first is None and already(key):
                    continue
                blocks[key] = (found, url, 1) if first is None else (
                    first[0], first[1], first[2] + 1)
        for key, (found, url, pages) in blocks.items():
            verdict = TextVerdict(TextScan(found.original, (found,), found.fixed))
            ev = {**evidence(verdict, f"trang {url}", width), "pages": pages}
            msg_vi, msg_en = self._messages(f"Văn bản trên trang {url}", f"Text on page {url}",
                                            ev)
            if pages > 1:
                msg_vi += f" (cùng đoạn này có trên {pages} trang)"
                msg_en += f" (the same block is on {pages} pages)"
            yield self.finding(f"text:{key[:120]}", msg_vi, msg_en,
                               severity=self._severity(verdict), url=url, source="site",
                               evidence=ev)

    def _attachment_files(self, ctx: AuditContext, site: Any, posts: list[Post],
                          site_posts: list[Any], conf: float, width: int) -> Iterator[Finding]:
        """Attachments whose bytes the audit has (``attachments`` of the context or of
        the crawled site: address or file name → path or bytes): .docx runs in legacy
        fonts, .txt and .html in legacy encodings."""
        files: dict[str, bytes | Path] = {**ctx.attachments}
        if site is not None:
            files.update(site.attachments)
        refused = site.attachments_refused if site is not None else {}
        for url, (why_vi, why_en) in sorted(refused.items()):  # refused: size, time
            name = unquote(posixpath.basename(urlsplit(url).path)) or url
            yield self._unreadable(url, name, why_vi, why_en)
        for key, src in sorted(files.items()):
            name = unquote(posixpath.basename(urlsplit(str(key)).path)) or str(key)
            if not name.lower().endswith((".docx", ".txt", ".html", ".htm")):
                continue
            try:
                data = src if isinstance(src, bytes) else Path(src).read_bytes()
                result = scan_bytes(name, data, min_confidence=conf)
            except InputError as exc:  # one bad document: a notice on it alone
                yield self._unreadable(str(key), name, exc.message, exc.en or exc.message)
                continue
            except OSError as exc:
                yield self._unreadable(str(key), name, str(exc), str(exc))
                continue
            verdict = TextVerdict(result.text_scan, result.signals + tuple(
                HtmlSignal("legacy-font", font, "w:rFonts") for font in result.fonts))
            if not verdict.faulty:
                continue
            owner = _owner(str(key), name, posts, site_posts)
            if owner is not None:
                yield self._post_finding(ctx, owner, f"attachment:{name}", verdict, width,
                                         (f"tệp đính kèm “{name}”", f"attachment “{name}”"))
            else:
                yield self._plain(f"attachment:{key}", f"Tệp đính kèm “{name}”",
                                  f"Attachment “{name}”", verdict, f"tệp {name}", width,
                                  str(key) if str(key).startswith("http") else None)

    def _unreadable(self, key: str, name: str, why_vi: str, why_en: str) -> Finding:
        return self.finding(
            f"attachment-unreadable:{key}",
            f"Không đọc được tệp đính kèm “{name}”: {why_vi}",
            f"Could not read the attachment “{name}”: {why_en}",
            severity=Severity.INFO, source="site",
            url=key if key.startswith("http") else None, evidence={"file": name})


def _posts_and_shown(exported: Iterable[Post], site_posts: list[Any]
                     ) -> tuple[list[Post], dict[str, Post]]:
    """The posts to check (the export's, then those only the site shows) and, for posts
    in both, the site's version by post id."""
    posts = list(exported)
    seen_ids = {p.post_id for p in posts}
    posts += [sp.post for sp in site_posts if sp.post_id not in seen_ids]
    # What the site shows is what is published: when it differs from the export
    # (an import may have normalised it), the site's text is checked too.
    shown = {sp.post_id: sp.post for sp in site_posts if sp.post_id in seen_ids}
    return posts, shown


def _owner(key: str, name: str, posts: list[Post], site_posts: list[Any]) -> Post | None:
    """The published post an attachment belongs to: the site lists it, or the post's
    address or body names the file."""
    for sp in site_posts:
        if any(a.url == key or a.url.endswith("/" + name) for a in sp.attachments):
            return sp.post
    for post in posts:
        if post.is_published and any(name in (text or "") for text in (post.body, post.url)):
            return post
    return None


def _markup_signals(page: Any) -> tuple[HtmlSignal, ...]:
    """Fonts and charsets of the page and its HTTP header; soft hyphens are judged in the
    texts themselves (titles, bodies), which the post findings already cover."""
    found = tuple(x for x in signals(page.text) if x.kind != "soft-hyphen") \
        if _may_signal(page.text) else ()
    header = _header_charset(page.headers)
    if header and not is_utf8(header):
        found += (HtmlSignal("charset", header, "HTTP Content-Type"),)
    return found


def _header_charset(headers: Mapping[str, str]) -> str | None:
    for key, value in headers.items():
        if key.lower() == "content-type" and "charset=" in value.lower():
            return value.lower().split("charset=", 1)[1].split(";")[0].strip().strip("\"'")
    return None

