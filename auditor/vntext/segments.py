"""Text split in pieces that carry a font (HTML text nodes, .docx runs): scan the
whole, then give each piece its corrected text.

Detection needs whole lines (paragraphs); fixing must keep the markup, so the
corrections found on the joined text are mapped back onto the pieces.
"""

from __future__ import annotations

import unicodedata

from auditor.vntext.detect import Detection, TextScan, scan

Piece = tuple[str, str | None]  # (text, encoding its font implies)


def lines_with_fonts(pieces: list[Piece]) -> tuple[str, list[set[str]]]:
    """The joined text and, per line, the legacy fonts its text is set in."""
    text = "".join(t for t, _ in pieces)
    hints: list[set[str]] = [set()]
    for t, enc in pieces:
        for i, part in enumerate(t.split("\n")):
            if i:
                hints.append(set())
            if enc and part.strip():
                hints[-1].add(enc)
    return text, hints


def rescan_with_fonts(result: TextScan, hints: list[set[str]]) -> TextScan:
    """Use the font a line is set in: .VnTimeH text decodes to capitals, and a line
    in one legacy font is decoded with that font's table even when it is too short
    for detection alone. Other lines keep the detection's answer."""
    lines = result.text.split("\n")
    fixed = result.fixed.split("\n")
    by_line = {d.line: d for d in result.detections}
    out: list[Detection] = []
    start = 0
    for n, line in enumerate(lines, start=1):
        fonts = hints[n - 1] if n - 1 < len(hints) else set()
        found = by_line.get(n)
        enc = next(iter(fonts)) if len(fonts) == 1 else None
        legacy_or_none = found is None or found.encoding in ("tcvn3", "vni", "viscii")
        if enc and legacy_or_none and not line.isascii():
            forced = scan(line, forced=enc)
            if forced.detections:
                d = forced.detections[0]
                conf = max(found.confidence if found else 0.0, 0.9)
                found = Detection(enc, conf, n, start, start + len(line), line, d.fixed,
                                  tuple((start + a, start + b, t) for a, b, t in d.edits))
                fixed[n - 1] = d.fixed
        if found is not None:
            out.append(found)
        start += len(line) + 1
    return TextScan(result.text, tuple(out), "\n".join(fixed))


def scan_pieces(pieces: list[Piece], *, min_confidence: float = 0.6,
                forced: str | None = None) -> TextScan:
    """Scan the joined pieces; `forced` (the user's --from) overrides detection."""
    text, hints = lines_with_fonts(pieces)
    if forced:
        return scan(text, forced=forced)
    return rescan_with_fonts(scan(text, min_confidence=min_confidence), hints)


def fix_pieces(pieces: list[Piece], result: TextScan) -> list[str]:
    """Each piece's corrected text. A word that spans pieces goes whole into the first."""
    edits = sorted(e for d in result.detections for e in d.edits)
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
