"""Vietnamese text per TCVN 6909:2001 (Điều 6.4): find legacy encodings, mojibake and
decomposed text, and convert them to NFC Unicode.

Public API:

- :func:`scan` (``scan(text, *, min_confidence=0.6, forced=None) -> TextScan``)
- :func:`fix` (``fix(text, encoding="auto") -> str``)
- :func:`encode` / :func:`decode` for ``tcvn3``, ``tcvn3h``, ``vni``, ``viscii``,
  ``viqr``, ``cp1258``
"""

from auditor.vntext.codecs import ENCODINGS, NAMES, decode, encode, from_bytes, to_bytes
from auditor.vntext.detect import Detection, TextScan, fix, scan
from auditor.vntext.judge import unmojibake

__all__ = ["ENCODINGS", "NAMES", "Detection", "TextScan", "decode", "encode", "fix",
           "from_bytes", "scan", "to_bytes", "unmojibake"]
