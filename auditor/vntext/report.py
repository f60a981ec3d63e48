"""What a finding shows of a faulty text: a short excerpt, where it is, and the fix.

Shared by the rule plugin and ``auditor text scan`` so both say the same thing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from auditor.vntext.detect import Detection, TextScan, scan
from auditor.vntext.markup import HtmlSignal, looks_like_html, scan_html


@dataclass(frozen=True)
class TextVerdict:
    """The scan of one field (a title, a body…) boiled down to what a finding needs."""

    scan: TextScan
    signals: tuple[HtmlSignal, ...] = ()

    @property
    def worst(self) -> Detection | None:
        """The first legacy detection, else the first other one."""
        found = self.scan.detections
        return next((d for d in found if d.legacy), found[0] if found else None)

    @property
    def legacy(self) -> bool:
        return any(d.legacy for d in self.scan.detections) or any(
            s.kind in ("legacy-font", "charset") for s in self.signals)

    @property
    def faulty(self) -> bool:
        return bool(self.scan.detections or self.signals)


def check_field(value: str, min_confidence: float) -> TextVerdict:
    """Scan a field; HTML (a post body from the CMS) is read with its fonts."""
    if looks_like_html(value):
        result = scan_html(value, min_confidence=min_confidence)
        # &shy; inside words is told by the text scan itself when it explains it
        # (TCVN3 "ư", or a stray soft hyphen): keep the markup signal otherwise.
        kept = tuple(s for s in result.signals
                     if s.kind != "soft-hyphen" or not result.text_scan.detections)
        return TextVerdict(result.text_scan, kept)
    return TextVerdict(scan(value, min_confidence=min_confidence))


def excerpt_pair(original: str, fixed: str, width: int) -> tuple[str, str]:
    """The same window of the faulty line and of its fix, starting at a word
    shortly before the first difference."""
    prefix = len(os.path.commonprefix([original, fixed]))
    start = max(0, prefix - width // 4)
    if start:
        space = original.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start

    def cut(text: str) -> str:
        piece = text[start:start + width]
        return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")

    return cut(original), cut(fixed)


def signal_text(signals: tuple[HtmlSignal, ...], en: bool = False) -> list[str]:
    out = []
    for s in signals:
        if s.kind == "legacy-font":
            out.append(f"legacy font “{s.detail}” ({s.where})" if en
                       else f"phông chữ cũ “{s.detail}” ({s.where})")
        elif s.kind == "charset":
            out.append(f"declared encoding {s.detail}" if en else f"khai báo bảng mã {s.detail}")
        else:
            out.append(f"{s.detail} soft hyphens (&shy;) inside words" if en
                       else f"{s.detail} dấu gạch mềm (&shy;) trong từ")
    return out


def evidence(verdict: TextVerdict, where: str, width: int) -> dict[str, Any]:
    """The finding's evidence: excerpt, where, encoding, confidence, fix."""
    worst = verdict.worst
    data: dict[str, Any] = {"where": where}
    if worst is not None:
        excerpt, fix = excerpt_pair(worst.original, worst.fixed, width)
        data.update({
            "excerpt": excerpt, "fix": fix, "line": worst.line,
            "encoding": worst.encoding, "encoding_name": worst.name,
            "confidence": worst.confidence,
            "lines": sorted({d.line for d in verdict.scan.detections}),
        })
    if verdict.signals:
        data["signals"] = signal_text(verdict.signals)
    return data
