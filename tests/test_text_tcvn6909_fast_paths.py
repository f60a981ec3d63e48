"""The page scanner's fast paths find exactly what the plain regular expressions find."""

from __future__ import annotations

import re

import pytest

from auditor.checks import text_tcvn6909 as rule

SAMPLES = [
    "<p style='font-family:.VnTime'>x</p>", "<span style=\"font-family: VNI-Times\">",
    "<font face='VISCII'>", "<a href='https://thcs.haiphong.edu.vn/'>Trang chủ</a>",
    "font: .vnarial", ".VN-", ".Vn/", "vni", "Vıscıı", "VİSCII", ".Vſx", ".vnK", "",
    "Trường THCS Hoa Phượng — Ngày Nhà giáo Việt Nam 20/11",
]


@pytest.mark.parametrize("page", SAMPLES)
def test_legacy_font_fast_path_agrees_with_the_regex(page: str) -> None:
    assert rule._may_name_legacy_font(page) == (rule._LEGACY_FONT.search(page) is not None)


@pytest.mark.parametrize("text", ["a  b", "a b", "a\tb", "a \xa0\t b", " x ", "\xa0", "a\vb\fc"])
def test_space_runs_collapse_as_before(text: str) -> None:
    assert rule._SPACES.sub(" ", text) == re.sub(r"[ \t\r\f\v\xa0]+", " ", text)
