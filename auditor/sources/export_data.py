"""What one CMS export yielded, whichever reader read it (a table or a WordPress WXR)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditor.model import Post
from auditor.sources.headers import ColumnReport
from auditor.sources.problems import RowWarning

__all__ = ["ExportData"]


@dataclass(frozen=True)
class ExportData:
    """What one CMS export yielded: the posts and the rows that could not be used."""

    posts: tuple[Post, ...]
    warnings: tuple[RowWarning, ...]
    file: Path
    columns: ColumnReport | None = None  # None: a WordPress WXR, whose fields are fixed
