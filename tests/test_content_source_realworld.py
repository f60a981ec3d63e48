"""content.source-attribution reads the author and source lines of real portal pages
(../shared/realworld/haiphong-edu: `.qiauthor`, `.qinguontin`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.checks.content_source_attribution import attribution
from auditor.model import Post, PostStatus, Provenance
from auditor.ruleset import load_ruleset

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "realworld" / "haiphong-edu"
PARAMS = load_ruleset().rules["content.source-attribution"].params


def _page(name: str) -> str:
    path = REAL / name
    if not path.is_file():
        pytest.skip(f"{path} is absent (../shared/realworld is not beside the checkout)")
    return path.read_text(encoding="utf-8")


def _post(url: str) -> Post:
    return Post(post_id="1", title="Bài", status=PostStatus.PUBLISHED, url=url,
                provenance=Provenance("site", url=url))


def test_author_and_source_lines_of_a_real_post() -> None:
    html = _page("hcm_ngosilien_post_ct_760311_fragment.html")
    att = attribution(_post("https://thcsngosilien.hcm.edu.vn/x/ct/1/760311"), html, False,
                      PARAMS)
    assert att.source == "THCS Ngô Sĩ Liên"
    assert att.author == "THCS Ngô Sĩ Liên"
    assert att.readable and att.origins == ()  # the school's own post: nothing re-used


def test_the_author_line_is_read_and_the_poster_line_is_not() -> None:
    """Two lines: "Tác giả: …" (the author) and "Người đăng tin: …" (who posted it)."""
    html = _page("hcm_mn11bbinhthanh_post_ct_891308_excerpt.html")
    assert "Người đăng tin:" in html
    att = attribution(_post("https://mn11bbinhthanh.hcm.edu.vn/x/ct/1/891308"), html, False,
                      PARAMS)
    assert att.author is not None and not att.author.startswith("Người đăng tin")
    assert "Tác giả: " + att.author in html


def test_a_source_line_without_an_author_line() -> None:
    html = _page("hcm_mgbongsen_post_ct_888573.html")
    att = attribution(_post("https://mgbongsen.hcm.edu.vn/x/ct/76732/888573"), html, False,
                      PARAMS)
    assert att.source == "Trường Mầm non Bông Sen"
    assert att.author is None
