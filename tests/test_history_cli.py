"""`auditor history` and `auditor disclosure` (report-link, links, import-registry)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from typer.testing import CliRunner

from auditor.cli import main
from auditor.cli.disclosure import app as disclosure_app
from auditor.cli.history import app as history_app
from auditor.history import HistoryStore
from tests._history_support import finding, report

runner = CliRunner()
SCHOOL = "https://thcshoaphuong.haiphong.edu.vn"


def _config(tmp_path: Path) -> Path:
    cfg = tmp_path / "auditor.toml"
    cfg.write_text(
        '[school]\nname = "Trường THCS Hoa Phượng"\n'
        f'url = "{SCHOOL}"\n[history]\npath = "lich-su.sqlite3"\n',
        encoding="utf-8",
    )
    return cfg


def test_history_lists_runs_and_per_rule_trends(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    with HistoryStore.open(tmp_path / "lich-su.sqlite3") as store:
        store.record_run(report(date(2026, 11, 2), [finding("posts.monthly-quota", "m:10"),
                                                     finding("disclosure.reachable", "section")]))
        store.record_run(report(date(2026, 11, 9), [finding("posts.monthly-quota", "m:10")],
                                passed=("disclosure.reachable",)))
        store.record_run(report(date(2026, 11, 9), [], school_url="https://khac.edu.vn"))
    result = runner.invoke(history_app, ["--config", str(cfg)])
    assert result.exit_code == 0, result.output
    assert "Lịch sử kiểm tra: 2 lần" in result.output
    assert "#2  09/11/2026  Trường THCS Hoa Phượng" in result.output
    assert "mới 0, còn tồn tại 1, đã khắc phục 1" in result.output
    assert "disclosure.reachable" in result.output

    result = runner.invoke(history_app, ["--config", str(cfg), "--format", "json", "--all"])
    data = json.loads(result.output)
    assert [r["school"] for r in data["runs"]] == [SCHOOL, SCHOOL, "https://khac.edu.vn"]
    second = data["runs"][1]
    assert (second["new"], second["open"], second["fixed"]) == (0, 1, 1)
    assert {"rule": "disclosure.reachable", "new": 0, "open": 0, "fixed": 1} in second["rules"]

    english = runner.invoke(history_app, ["--config", str(cfg), "--lang", "en", "--limit", "1"])
    assert "Audit history: 1 run " in english.output and "#2" in english.output


def test_report_link_records_and_lists(tmp_path: Path) -> None:
    cfg = _config(tmp_path)
    url = SCHOOL + "/cong-khai/c/2040"
    result = runner.invoke(disclosure_app, ["report-link", url, "--date", "03/11/2026",
                                            "--note", "CV 15/THCS", "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    assert "báo cáo ngày 03/11/2026" in result.output
    with HistoryStore.open(tmp_path / "lich-su.sqlite3") as store:
        [stored] = store.link_reports(SCHOOL)
    assert (stored.url, stored.reported_on, stored.note) == (url, date(2026, 11, 3), "CV 15/THCS")
    listed = runner.invoke(disclosure_app, ["links", "--config", str(cfg)])
    assert f"03/11/2026  {url}  [cli] — CV 15/THCS" in listed.output


def test_report_link_bad_input_is_exit_2_with_one_line(tmp_path: Path, capsys) -> None:
    cfg = _config(tmp_path)
    code = main(["disclosure", "report-link", "cong-khai", "--config", str(cfg)])
    err = capsys.readouterr().err
    assert code == 2 and "không phải là địa chỉ http(s)" in err and "Traceback" not in err
    code = main(["disclosure", "report-link", SCHOOL + "/ck", "--date", "31/02/2026",
                 "--config", str(cfg)])
    assert code == 2 and "--date '31/02/2026'" in capsys.readouterr().err


def _write_registry_xlsx(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["STT", "Trường", "Địa chỉ trang", "Địa chỉ Công khai", "Ngày báo cáo",
                  "Ghi chú"])
    sheet.append([1, "Trường THCS Hoa Phượng", SCHOOL, SCHOOL + "/cong-khai/c/1025",
                  "20/09/2026", "Email"])
    sheet.append([2, "Trường THCS Bạch Đằng", "https://thcsbachdang.haiphong.edu.vn/",
                  "https://thcsbachdang.haiphong.edu.vn/ba-cong-khai/c/77", date(2026, 9, 25),
                  None])
    sheet.append([None] * 6)
    book.save(path)


def test_import_registry_xlsx_and_csv(tmp_path: Path) -> None:
    xlsx = tmp_path / "so-theo-doi.xlsx"
    _write_registry_xlsx(xlsx)
    db = tmp_path / "h.sqlite3"
    result = runner.invoke(disclosure_app, ["import-registry", str(xlsx), "--history", str(db)])
    assert result.exit_code == 0, result.output
    assert "Đã nạp 2 báo cáo mới từ 2 dòng" in result.output
    again = runner.invoke(disclosure_app, ["import-registry", str(xlsx), "--history", str(db)])
    assert "Đã nạp 0 báo cáo mới" in again.output
    with HistoryStore.open(db) as store:
        [bd] = store.link_reports("https://thcsbachdang.haiphong.edu.vn")
        assert bd.reported_on == date(2026, 9, 25)
        assert bd.source == "registry:so-theo-doi.xlsx"

    csv_file = tmp_path / "so.csv"
    csv_file.write_text("ngay bao cao,dia chi trang,DIA CHI CONG KHAI\n"
                        f"2026-10-01,{SCHOOL},{SCHOOL}/ck\n", encoding="utf-8-sig")
    ok = runner.invoke(disclosure_app, ["import-registry", str(csv_file), "--history", str(db)])
    assert "Đã nạp 1 báo cáo mới" in ok.output


def test_registry_errors_name_file_and_row(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "so.csv"
    bad.write_text("Trường,Địa chỉ trang,Địa chỉ Công khai,Ngày báo cáo\n"
                   f"A,{SCHOOL},{SCHOOL}/ck,20/09/2026\n"
                   f"B,{SCHOOL},{SCHOOL}/ck,hôm qua\n", encoding="utf-8")
    code = main(["disclosure", "import-registry", str(bad), "--history",
                 str(tmp_path / "h.sqlite3")])
    out, err = capsys.readouterr()
    # A bad row is a warning naming file, row and value, like a bad export row; the
    # good rows are loaded (issue 15.7).
    assert code == 0 and err == (f"Cảnh báo: {bad}:3: 'Ngày báo cáo' = 'hôm qua' không phải là "
                                 "ngày (cần dạng 24/11/2026). Đã bỏ qua dòng này.\n")
    assert f"Đã nạp 1 báo cáo mới từ 1 dòng của {bad}; bỏ qua 1 dòng lỗi." in out
    missing = tmp_path / "thieu.csv"
    missing.write_text("Trường,Ngày báo cáo\nA,20/09/2026\n", encoding="utf-8")
    assert main(["disclosure", "import-registry", str(missing)]) == 2
    assert "thiếu cột 'Địa chỉ trang', 'Địa chỉ Công khai'" in capsys.readouterr().err


def test_history_path_from_config_override_or_user_data_dir(tmp_path: Path) -> None:
    import platformdirs

    from auditor.config import load_config
    from auditor.history.paths import history_path

    cfg = load_config(_config(tmp_path))
    assert history_path(cfg) == tmp_path.resolve() / "lich-su.sqlite3"
    assert history_path(cfg, tmp_path / "khac.sqlite3") == tmp_path / "khac.sqlite3"
    default = history_path(None)
    assert default.parent == Path(platformdirs.user_data_dir("auditor", appauthor=False))
    assert default.name == "history.sqlite3"
