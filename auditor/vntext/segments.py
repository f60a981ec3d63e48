"""Text split in pieces that carry a font (HTML text nodes, .docx runs): scan the
whole, then give each piece its corrected text.

Detection needs whole lines (paragraphs); fixing must keep the markup, so the
corrections found on the joined text are mapped back onto the pieces.
"""

from __future__ import annotations

import os
import unicodedata

from auditor.vntext.detect import Detection, TextScan, apply_edits, scan

Piece = tuple[str, str | None]  # (text, encoding its font implies)


Span = tuple[int, int, str | None]  # (start, end, encoding) in the joined text


def lines_with_fonts(pieces: list[Piece]) -> tuple[str, list[list[Span]]]:
    """The joined text and, per line, its stretches with the legacy font they are set in."""
    text = "".join(t for t, _ in pieces)
    lines: list[list[Span]] = [[]]
    pos = 0
    for t, enc in pieces:
        for i, part in enumerate(t.split("\n")):
            if i:
                pos += 1
                lines.append([])
            if part:
                lines[-1].append((pos, pos + len(part), enc))
            pos += len(part)
    return text, lines


def _font_fix(text: str, spans: list[Span]) -> tuple[str, list[tuple[int, int, str]]] | None:
    """Decode each stretch in a legacy font with its font's table; leave the rest."""
    edits: list[tuple[int, int, str]] = []
    for a, b, enc in spans:
        if not enc or text[a:b].isascii() and enc != "tcvn3h":
            continue
        forced = scan(text[a:b], forced=enc)
        for d in forced.detections:
            edits += [(a + s, a + e, t) for s, e, t in d.edits]
    return (text, edits) if edits else None


def rescan_with_fonts(result: TextScan, lines: list[list[Span]]) -> TextScan:
    """Use the font text is set in: a stretch in .VnTime, .VnTimeH or VNI-Times is
    decoded with that font's table (capitals for .VnTimeH) even when it is too
    short for detection alone, and the other stretches of its line are left as
    they are. Lines without a legacy font keep the detection's answer."""
    text = result.text
    by_line = {d.line: d for d in result.detections}
    out: list[Detection] = []
    start = 0
    for n, line in enumerate(text.split("\n"), start=1):
        spans = lines[n - 1] if n - 1 < len(lines) else []
        found = by_line.get(n)
        fonts = {enc for _, _, enc in spans if enc}
        if fonts and (found is None or found.legacy):
            fixed = _font_fix(text, spans)
            if fixed is not None:
                edits = fixed[1]
                new_line = apply_edits(line, [(a - start, b - start, t) for a, b, t in edits])
                enc = next(iter(fonts)) if len(fonts) == 1 else (found.encoding if found
                                                                 else sorted(fonts)[0])
                conf = max(found.confidence if found else 0.0, 0.9)
                found = Detection(enc, conf, n, start, start + len(line), line, new_line,
                                  tuple(edits))
        if found is not None:
            out.append(found)
        start += len(line) + 1
    fixed_text = apply_edits(text, [e for d in out for e in d.edits])
    composed = "\n".join(
        unicodedata.normalize("NFC", ln) if any(d.line == i and not d.edits for d in out)
        else ln for i, ln in enumerate(fixed_text.split("\n"), start=1))
    return TextScan(text, tuple(out), composed)


def scan_pieces(pieces: list[Piece], *, min_confidence: float = 0.6,
                forced: str | None = None) -> TextScan:
    """Scan the joined pieces; `forced` (the user's --from) overrides detection."""
    text, hints = lines_with_fonts(pieces)
    if forced:
        return scan(text, forced=forced)
    return rescan_with_fonts(scan(text, min_confidence=min_confidence), hints)


def _trim(text: str, edit: tuple[int, int, str]) -> tuple[int, int, str]:
    """Narrow an edit to what it changes: "Ph\u00adîng!" → "Phượng!" keeps the "!"
    where it was (perhaps outside the link the word ends in)."""
    s, e, new = edit
    old = text[s:e]
    prefix = len(os.path.commonprefix([old, new]))
    suffix = len(os.path.commonprefix([old[prefix:][::-1], new[prefix:][::-1]]))
    return s + prefix, e - suffix, new[prefix:len(new) - suffix]


def fix_pieces(pieces: list[Piece], result: TextScan) -> list[str]:
    """Each piece's corrected text. A changed word that spans pieces goes whole into
    the first of them (after trimming what stays the same)."""
    edits = sorted(_trim(result.text, e) for d in result.detections for e in d.edits)
    compose_lines = [(d.start, d.end) for d in result.detections if not d.edits]
    out: list[str] = []
    pos = 0
    for text, _ in pieces:
        a, b = pos, pos + len(text)
        pos = b
        parts, cur = [], a
        for s, e, new in edits:
            if e <= a or s >= b or (s < a and e <= a):
                continue
            if s >= a:  # the edit starts in this piece: it takes the replacement
                parts.append(text[cur - a: s - a])
                parts.append(new)
                cur = min(e, b)
            else:  # started in an earlier piece: drop what it covers here
                parts.append(text[cur - a: max(cur, a) - a])
                cur = max(cur, min(e, b))
        parts.append(text[cur - a:])
        new_text = "".join(parts)
        if any(s < b and a < e for s, e in compose_lines) or result.detections:
            new_text = unicodedata.normalize("NFC", new_text)
        out.append(new_text)
    return out
