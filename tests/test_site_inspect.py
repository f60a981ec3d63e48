"""`auditor site inspect`: each field of one page with its source; `--suggest` round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from auditor.cli import main
from tests.loopback import LoopbackServer, Reply
from tests.test_site_unknown_theme import _post

REALWORLD = Path(__file__).resolve().parents[2] / "shared" / "realworld"
needs_realworld = pytest.mark.skipif(
    not REALWORLD.is_dir(),
    reason=f"real platform markup not found at {REALWORLD} (CI has ../shared/realworld)")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["site", "inspect", *args])
    out, err = capsys.readouterr()
    return code, out, err


@needs_realworld
def test_text_output_names_each_field_and_its_source(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no auditor.toml here
    page = REALWORLD / "haiphong-edu" / "hcm_mgbongsen_post_ct_888573.html"
    code, out, err = run(capsys, str(page))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == ("https://mgbongsen.hcm.edu.vn/thuc-don-tuan/thuc-don-tuan-4-thang-9-tu-"
                        "ngay-2192026-den-ngay-2592026/ct/76732/888573")  # its canonical address
    assert "hồ sơ nền tảng haiphong-edu; là tin bài" in lines[1]
    pairs = dict(zip(lines[2::2], lines[3::2], strict=False))
    assert pairs["  Ngày đăng: 2026-09-21T16:36:00+07:00"].strip() == (
        "← article.qi-nhom-ngaydoc > span.color_gray (Thứ hai, 21/9/2026, 16:36 , "
        "Lượt đọc : 73)")
    assert pairs["  Chuyên mục: Thực đơn tuần"].strip() == (
        "← section.bread ul.breadcrumb_list li:last-child a")
    assert pairs["  Tác giả: —"].strip() == "← không tìm thấy"
    assert any(k.startswith("  Mục Công khai: Công khai → https://mgbongsen.hcm.edu.vn/cong-khai"
                            "/c/99522") for k in pairs)
    code, out_en, _ = run(capsys, str(page), "--lang", "en")
    assert "  Published: 2026-09-21T16:36:00+07:00" in out_en.splitlines()


@needs_realworld
def test_json_output_shape(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, str(REALWORLD / "nukeviet" / "detail_rendered.html"),
                       "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"url", "profile", "fields"} and data["profile"] == "nukeviet"
    fields = data["fields"]
    assert set(fields) == {"title", "published", "category", "author", "body", "attachments",
                           "menu", "disclosure"}
    assert all(set(v) == {"value", "source"} for v in fields.values())
    assert fields["published"]["value"] == "2026-11-24T08:15:00+07:00"
    assert fields["author"] == {"value": "Nguyễn Văn A (bịa)",
                                "source": ".news_column [itemprop=author] [itemprop=name]"}
    menu = fields["menu"]["value"]
    assert menu[3]["title"] == "Công khai" and set(menu[3]) == {"title", "url", "children"}
    assert fields["disclosure"]["value"]["url"] == "https://thcsvidu.example.edu.vn/cong-khai/"
    assert len(fields["disclosure"]["value"]["children"]) == 3


def test_a_missing_file_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    code, out, err = run(capsys, str(tmp_path / "khong-co.html"))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "khong-co.html" in err


def test_suggestions_pasted_into_auditor_toml_make_the_page_readable(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from datetime import datetime

    page = _post("Hội thi vẽ tranh", datetime(2026, 10, 7, 9, 30), readable=False)
    config = tmp_path / "auditor.toml"
    config.write_text('[school]\nname = "Trường THCS Hoa Sen"\n', encoding="utf-8")
    with LoopbackServer({"/tin-tuc/hoi-thi-ve-tranh-321.html": Reply(200, page)}) as site:
        url = site.url("/tin-tuc/hoi-thi-ve-tranh-321.html")
        code, before, err = run(capsys, url, "--config", str(config), "--format", "json")
        assert code == 0, err
        fields = json.loads(before)["fields"]
        assert fields["title"]["value"] is None and fields["published"]["value"] is None
        code, out, _ = run(capsys, url, "--config", str(config), "--suggest")
        block = out[out.index("[site.selectors]"):]
        assert "title = " in block and "visible_date = " in block
        config.write_text(config.read_text(encoding="utf-8") + "\n" + block, encoding="utf-8")
        code, after, err = run(capsys, url, "--config", str(config), "--format", "json")
    assert code == 0, err
    data = json.loads(after)
    assert data["is_post"] is True
    assert data["fields"]["title"]["value"] == "Hội thi vẽ tranh"
    assert data["fields"]["published"]["value"] == "2026-10-07T09:30:00+07:00"
    assert data["fields"]["title"]["source"] in block


@needs_realworld
def test_profile_option_reads_the_page_as_that_profile(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    page = str(REALWORLD / "haiphong-edu" / "hcm_mgbongsen_post_ct_888573.html")
    _, out, _ = run(capsys, page, "--profile", "generic", "--format", "json")
    data = json.loads(out)
    assert data["profile"] == "generic"
    fields = data["fields"]
    # The generic path still finds the date printed beside the lone h1, with its time …
    assert fields["published"]["value"] == "2026-09-21T16:36:00+07:00"
    assert fields["published"]["source"].startswith("ngày ngay sau thẻ h1")
    # … but its loose "nav ul" menu is the top bar, and it knows no Công khai entry.
    assert [m["title"] for m in fields["menu"]["value"]] == ["Phường An Phú Đông",
                                                              "Khối Mầm Non"]
    assert fields["disclosure"] == {"value": None, "source": None}


def test_a_page_that_answers_404_is_one_line_and_exit_2(
        capsys: pytest.CaptureFixture[str], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with LoopbackServer({}) as site:
        code, out, err = run(capsys, site.url("/khong-co.html"), "--lang", "en")
    assert code == 2 and out == ""
    assert err.strip() == (f"Error: {site.url('/khong-co.html')}: could not fetch the page "
                           "(HTTP 404).")
