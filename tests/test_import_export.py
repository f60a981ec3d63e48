"""CMS export import: dates, yes/no cells, headers, statuses, options and errors."""

from __future__ import annotations

import json
import unicodedata
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from auditor.errors import ConfigError, InputError
from auditor.model import PostStatus
from auditor.sources.dates import BoolError, DateError, parse_bool, parse_datetime, parse_when
from auditor.sources.export import load_export, parse_status
from auditor.sources.problems import RowWarning
from auditor.sources.tabular import header_key
from auditor.sources.textfile import decode_bytes, sniff_delimiter

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "import"


def at(y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, tzinfo=TZ)


@pytest.mark.parametrize(
    ("text", "expected", "has_time"),
    [
        ("24/11/2026", at(2026, 11, 24), False),
        ("4/1/2026", at(2026, 1, 4), False),  # day first: 4 January
        ("24-11-2026 08:15", at(2026, 11, 24, 8, 15), True),
        ("24.11.2026", at(2026, 11, 24), False),
        ("24/11/26 2:30 CH", at(2026, 11, 24, 14, 30), True),
        ("2026-11-24T08:15", at(2026, 11, 24, 8, 15), True),
        ("2026-11-24T08:15+07:00", at(2026, 11, 24, 8, 15), True),
        ("2026-11-24T01:15:00Z", at(2026, 11, 24, 8, 15), True),
        ("2026-11-24", at(2026, 11, 24), False),
        ("Thứ Hai, 24/11/2026 08:15", at(2026, 11, 24, 8, 15), True),
        ("CN, 29/11/2026", at(2026, 11, 29), False),
        ("08h15 ngày 24/11/2026", at(2026, 11, 24, 8, 15), True),
        ("ngày 24 tháng 11 năm 2026", at(2026, 11, 24), False),
        ("Ngày 05 tháng 10 năm 2020", at(2020, 10, 5), False),
        ("46350.35", at(2026, 11, 24, 8, 24), True),
        ("46350", at(2026, 11, 24), False),
    ],
)
def test_dates_as_staff_type_them(text: str, expected: datetime, has_time: bool) -> None:
    assert parse_when(text, TZ) == (expected, has_time)


def test_date_cells_and_serial_numbers_from_excel() -> None:
    assert parse_when(datetime(2026, 11, 24, 8, 15), TZ) == (at(2026, 11, 24, 8, 15), True)
    assert parse_when(datetime(2026, 11, 24), TZ) == (at(2026, 11, 24), False)
    assert parse_when(date(2026, 11, 24), TZ) == (at(2026, 11, 24), False)
    assert parse_datetime(46350.35, TZ) == at(2026, 11, 24, 8, 24)
    assert parse_datetime(46350, TZ) == at(2026, 11, 24)
    assert parse_datetime(None, TZ) is None
    assert parse_datetime("   ", TZ) is None
    # Another zone from the config is honoured for naive values.
    assert parse_datetime("24/11/2026 08:00", ZoneInfo("UTC")) == at(2026, 11, 24, 15, 0)


@pytest.mark.parametrize(
    "text", ["32/11/2026", "24/13/2026", "31/02/2026", "hôm qua", "24/11/2026 hoặc 25/11",
             "abc 24/11/2026", "13", "1023", True]
)
def test_what_is_not_a_date(text: object) -> None:
    with pytest.raises(DateError):
        parse_when(text, TZ)


@pytest.mark.parametrize("text", ["x", "X", "có", "Co", "yes", "Y", "1", "true", "TRUE", "✓",
                                  "✔", 1, True])
def test_yes(text: object) -> None:
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["", "  ", None, "không", "Khong", "no", "0", "false", 0, False])
def test_no(text: object) -> None:
    assert parse_bool(text) is False


def test_neither_yes_nor_no() -> None:
    with pytest.raises(BoolError):
        parse_bool("có lẽ")


@pytest.mark.parametrize(
    ("a", "b"),
    [("Tiêu đề", "TIEU DE"), ("Ngày đăng", "ngay_dang"), ("Đề xuất PGD", "de xuat pgd"),
     ("Ngày đăng (dd/mm/yyyy)", "Ngày  đăng*"), ("Published at", "published_at")],
)
def test_header_keys_ignore_accents_case_and_spacing(a: str, b: str) -> None:
    assert header_key(a) == header_key(b)


@pytest.mark.parametrize(
    ("word", "status"),
    [("Đã đăng", PostStatus.PUBLISHED), ("đăng", PostStatus.PUBLISHED),
     ("published", PostStatus.PUBLISHED), ("Xuất bản", PostStatus.PUBLISHED),
     ("công khai", PostStatus.PUBLISHED), ("Chờ duyệt", PostStatus.PENDING),
     ("đã gửi", PostStatus.PENDING), ("pending", PostStatus.PENDING),
     ("Nháp", PostStatus.DRAFT), ("draft", PostStatus.DRAFT), ("Ẩn", PostStatus.HIDDEN),
     ("hidden", PostStatus.HIDDEN), ("Đã gỡ", PostStatus.DELETED), ("gỡ", PostStatus.DELETED),
     ("Đã xoá", PostStatus.DELETED), ("đã xóa", PostStatus.DELETED),
     ("deleted", PostStatus.DELETED), ("trash", PostStatus.DELETED), ("đang xem", None)],
)
def test_statuses(word: str, status: PostStatus | None) -> None:
    assert parse_status(word) is status


def test_the_corpus_posts_carry_every_field() -> None:
    data = load_export(CORPUS / "posts" / "posts-utf8.csv", tz=TZ)
    posts = {p.post_id: p for p in data.posts}
    first = posts["101"]
    assert first.title == "Lễ khai giảng năm học 2026-2027"
    assert first.status is PostStatus.PUBLISHED
    assert first.department == "Tổ Ngữ văn"
    assert first.author == "Lê Thị Hoa"
    assert first.submitted_by == "Lê Thị Hoa"
    assert first.approved_by == "Phạm Minh Tâm"
    assert first.approved_at == at(2026, 9, 5, 11, 0)
    assert first.published_at == at(2026, 9, 5, 11, 15)
    assert first.published_by == "Đỗ Văn Khoa"
    assert first.event_id == "ev-khai-giang"
    assert first.proposed_to_authority is True
    assert posts["105"].status is PostStatus.PENDING
    assert posts["109"].status is PostStatus.DRAFT
    assert posts["107"].status is PostStatus.DELETED
    assert posts["107"].taken_down_at == at(2026, 9, 3)
    assert posts["103"].source_name == "Phòng GD&ĐT"
    assert posts["104"].body == "Dòng 1 của nội dung\nDòng 2; có dấu chấm phẩy, và dấu phẩy."
    # A CSV cell that starts with "=" is text, not a formula.
    assert posts["110"].body == "=Đây là dữ liệu, không phải công thức"
    assert sum(p.proposed_to_authority for p in data.posts) == 5
    assert sum(p.is_published for p in data.posts) == 7
    # Row numbers are lines of the file: post 104's body spans two lines.
    assert posts["101"].provenance.row == 2
    assert posts["104"].provenance.row == 5
    assert posts["105"].provenance.row == 7
    assert posts["101"].provenance.label() == "posts-utf8.csv:2"


def test_legacy_encodings_come_out_as_nfc() -> None:
    raw = (CORPUS / "posts" / "posts-cp1258.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    posts = load_export(CORPUS / "posts" / "posts-cp1258.csv", tz=TZ).posts
    title = posts[0].title
    assert title == "Lễ khai giảng năm học 2026-2027"
    assert unicodedata.is_normalized("NFC", title) and len(title) == 31  # precomposed


def test_utf16_without_bom_is_detected_both_ways(tmp_path: Path) -> None:
    text = "Mã\tTiêu đề\tNgày đăng\r\n1\tHội thi\t24/11/2026\r\n"
    for enc in ("utf-16-le", "utf-16-be"):
        path = tmp_path / f"{enc}.csv"
        path.write_bytes(text.encode(enc))
        assert decode_bytes(path, path.read_bytes()) == text
        post = load_export(path, tz=TZ).posts[0]
        assert (post.title, post.published_at) == ("Hội thi", at(2026, 11, 24))


def test_bytes_no_encoding_can_read_far_into_the_file(tmp_path: Path) -> None:
    """The encoding is judged on the first 64 KB; a bad byte after that still gives a
    clear InputError, not a decoding traceback."""
    rows = "".join(f"{i},Tin số {i},01/11/2026\r\n" for i in range(5000))
    data = ("Mã,Tiêu đề,Ngày đăng\r\n" + rows).encode("cp1258", errors="replace")
    path = tmp_path / "hong.csv"
    path.write_bytes(data + b"5001,\x81\x8d,01/11/2026\r\n")
    assert len(data) > 70_000
    with pytest.raises(InputError) as caught:
        load_export(path, tz=TZ)
    assert str(caught.value).startswith("hong.csv: ") and "Windows-1258" in str(caught.value)


def test_delimiter_sniffing() -> None:
    assert sniff_delimiter(["a;b;c", "1;2,5;3"]) == ";"
    assert sniff_delimiter(["a\tb\tc", "1\t2, 3\t4"]) == "\t"
    assert sniff_delimiter(['a,b,"c;d"', "1,2,3"]) == ","


def test_excel_sep_line_names_the_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "sep.csv"
    path.write_text("sep=|\nMã|Tiêu đề|Ngày đăng\n1|Tin, có; dấu|01/11/2026\n", encoding="utf-8")
    post = load_export(path, tz=TZ).posts[0]
    assert (post.title, post.provenance.row) == ("Tin, có; dấu", 3)


def test_explicit_column_mapping_wins_over_synonyms(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("ID,Tiêu đề,Ngày đăng,Ngày lên trang\n7,A,01/11/2026,05/11/2026 09:00\n",
                    encoding="utf-8")
    post = load_export(path, tz=TZ, columns={"published_at": "Ngày lên trang"}).posts[0]
    assert post.published_at == at(2026, 11, 5, 9, 0)


def test_explicit_mapping_to_a_missing_column_names_file_and_column(tmp_path: Path) -> None:
    path = tmp_path / "xuat-cms.csv"
    path.write_text("Mã,Tiêu đề,Ngày đăng\n1,A,01/11/2026\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_export(path, tz=TZ, columns={"approved_by": "Người ký"})
    assert "xuat-cms.csv" in str(caught.value) and "Người ký" in str(caught.value)
    with pytest.raises(ConfigError) as bad_field:
        load_export(path, tz=TZ, columns={"nguoi_ky": "Người ký"})
    assert "nguoi_ky" in str(bad_field.value)


def test_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_export(tmp_path / "khong-co.csv", tz=TZ)
    assert str(caught.value).startswith("khong-co.csv:")
    with pytest.raises(InputError):
        load_export(tmp_path, tz=TZ)


def _workbook(path: Path, rows: list[list[object]], sheet: str = "Sheet") -> None:
    wb = Workbook()
    wb.active.title = sheet
    for r in rows:
        wb.active.append(r)
    wb.create_sheet("Ghi chú").append(["không phải dữ liệu"])
    wb.save(path)


def test_xlsx_sheet_choice_and_title_rows(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    _workbook(path, [["DANH SÁCH"], [], ["Mã", "Tiêu đề", "Ngày đăng", "Đề xuất PGD"],
                     [1023, "A", datetime(2026, 11, 2, 7, 5), "✓"],
                     [1024.0, "B", 46328.5, None]], sheet="Tin")
    posts = load_export(path, tz=TZ, sheet="Tin").posts
    assert [p.post_id for p in posts] == ["1023", "1024"]
    assert posts[0].published_at == at(2026, 11, 2, 7, 5)
    assert posts[1].published_at == at(2026, 11, 2, 12, 0)
    assert posts[0].proposed_to_authority and not posts[1].proposed_to_authority
    assert posts[0].provenance.row == 4
    with pytest.raises(InputError) as caught:
        load_export(path, tz=TZ, sheet="Không có")
    assert "x.xlsx" in str(caught.value) and "Không có" in str(caught.value)


def test_status_and_date_rules(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "Mã,Tiêu đề,Ngày đăng,Trạng thái\n"
        "1,Có ngày không trạng thái,01/11/2026,\n"
        "2,Đã đăng mà thiếu ngày,,Đã đăng\n"
        "3,Không gì cả,,\n"
        "4,Lạ,02/11/2026,xem xét\n",
        encoding="utf-8",
    )
    data = load_export(path, tz=TZ)
    by_id = {p.post_id: p for p in data.posts}
    assert by_id["1"].status is PostStatus.PUBLISHED and by_id["1"].is_published
    assert by_id["2"].status is PostStatus.PUBLISHED and not by_id["2"].is_published
    assert by_id["3"].status is PostStatus.UNKNOWN
    assert by_id["4"].status is PostStatus.UNKNOWN
    labels = [w.label().split(" — ")[0] for w in data.warnings]
    assert labels == ["s.csv:3:Ngày đăng", "s.csv:4:Trạng thái", "s.csv:5:Trạng thái"]


def test_json_list_with_nested_values(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"items": [
        {"id": 5, "title": "A", "published": "2026-11-01T08:00:00+07:00",
         "categories": ["Tin tức", "Sự kiện"], "proposed": True},
    ]}), encoding="utf-8")
    post = load_export(path, tz=TZ).posts[0]
    assert (post.post_id, post.category, post.proposed_to_authority) == (
        "5", "Tin tức, Sự kiện", True)


def test_wordpress_wxr(tmp_path: Path) -> None:
    path = tmp_path / "wordpress.xml"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>THCS Demo</title>
<item><title>Lễ khai giảng</title><link>https://thcs-demo.edu.vn/le-khai-giang/</link>
<dc:creator>hoa.lt</dc:creator><content:encoded><![CDATA[<p>Nội dung</p>]]></content:encoded>
<wp:post_id>11</wp:post_id><wp:post_date>2026-09-05 11:15:00</wp:post_date>
<wp:post_date_gmt>2026-09-05 04:15:00</wp:post_date_gmt><wp:status>publish</wp:status>
<wp:post_type>post</wp:post_type><category domain="category" nicename="tin">Tin tức</category>
</item>
<item><title>Giới thiệu</title><wp:post_id>2</wp:post_id><wp:status>publish</wp:status>
<wp:post_type>page</wp:post_type></item>
<item><title>Nháp</title><wp:post_id>12</wp:post_id><wp:status>draft</wp:status>
<wp:post_date>0000-00-00 00:00:00</wp:post_date><wp:post_type>post</wp:post_type></item>
<item><title>Lạ</title><wp:post_id>13</wp:post_id><wp:status>weird</wp:status>
<wp:post_type>post</wp:post_type></item>
</channel></rss>""", encoding="utf-8")
    data = load_export(path, tz=TZ)
    assert [p.post_id for p in data.posts] == ["11", "12", "13"]
    first = data.posts[0]
    assert first.published_at == at(2026, 9, 5, 11, 15)
    assert (first.status, first.author, first.category) == (
        PostStatus.PUBLISHED, "hoa.lt", "Tin tức")
    assert data.posts[1].status is PostStatus.DRAFT
    assert [w.column for w in data.warnings] == ["wp:status"]
    bad = tmp_path / "bad.xml"
    bad.write_text("<rss><channel>", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_export(bad, tz=TZ)
    assert str(caught.value).startswith("bad.xml:")


def test_row_warning_label() -> None:
    w = RowWarning("x.csv", 7, "Ngày đăng", "không hiểu ngày", "bad date")
    assert w.label() == "x.csv:7:Ngày đăng — không hiểu ngày"
    assert RowWarning("x.csv", 7, None, "dòng lỗi", "bad row").label() == "x.csv:7 — dòng lỗi"
