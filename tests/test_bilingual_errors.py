"""Every command's error paths in both languages (issue 15.5): Vietnamese output holds no
English words, English output no Vietnamese letters, outside quoted values and paths.

The commands are read from the command line itself (so a command added later is covered
by the framework paths at once); each gets the framework's paths — an unknown option, a
refused `--lang fr`, a missing required argument or option, an option without its value,
a bad choice, a bad number — and the paths of its own (missing files, bad dates, a damaged
history…). The test prints how many commands and paths it ran.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer

from auditor.cli import app, main
from tests.test_errors_english import VIETNAMESE_ONLY

# English words a Vietnamese line must not hold (outside quotes, paths and --options).
ENGLISH = frozenset("""
a an and are argument arguments available cannot could did does error expected extra file
folder found got help hint input invalid is mean missing must no not of one option options
or possible required requires run should such take than the to try unexpected usage use
valid value values with
""".split())  # noqa: SIM905 (a word list reads better so)
SKIP = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|\S*[/\\]\S*|--?[\w-]+|\S+\.(?:toml|csv|xlsx|"
                  r"ics|sqlite3?|txt|json|html|docx)\b|https?://\S+|\b[\w-]+(?:\.[\w-]+)+\b")


def unquoted(text: str) -> str:
    return SKIP.sub(" ", text)


@dataclass(frozen=True)
class Path_:
    command: str
    argv: tuple[str, ...]
    why: str


def commands() -> Iterator[tuple[tuple[str, ...], typer.core.TyperCommand]]:
    """Every leaf command of `auditor`, with the words that call it."""
    root = typer.main.get_command(app)

    def walk(cmd: object, words: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], object]]:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in sorted(subs.items()):
                yield from walk(sub, (*words, name))
        elif words:
            yield words, cmd
    yield from walk(root, ())  # type: ignore[misc]


def framework_paths() -> list[Path_]:
    out = []
    for words, cmd in commands():
        name = " ".join(words)
        params = list(getattr(cmd, "params", []))
        out.append(Path_(name, (*words, "--khong-co-tuy-chon"), "unknown option"))
        if any("--lang" in p.opts for p in params):
            out.append(Path_(name, (*words, "--lang", "fr"), "--lang fr refused"))
        if not any(p.param_type_name == "argument" for p in params):
            out.append(Path_(name, (*words, "thua-doi-so"), "unexpected extra argument"))
        if any(p.required for p in params):
            out.append(Path_(name, words, "missing required argument or option"))
        valued = [p for p in params if p.opts and p.opts[0].startswith("--")
                  and not getattr(p, "is_flag", False) and p.opts[0] != "--lang"]
        if valued:
            out.append(Path_(name, (*words, valued[0].opts[0]), "option without its value"))
        for p in valued:
            kind = getattr(p, "bare_type", None)
            if isinstance(kind, type) and issubclass(kind, enum.Enum):
                out.append(Path_(name, (*words, p.opts[0], "xml"), f"bad choice {p.opts[0]}"))
                break
        for p in valued:
            if getattr(p, "bare_type", None) in (int, float):
                out.append(Path_(name, (*words, p.opts[0], "abc"), f"bad number {p.opts[0]}"))
                break
    return out


def own_paths(tmp: Path) -> list[Path_]:
    """Paths of each command's own checks, on files made in `tmp`."""
    damaged = tmp / "hong.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    bad_toml = tmp / "sai.toml"
    bad_toml.write_text('[school]\nname = "Truong"\nkind = "XYZ"\n', encoding="utf-8")
    typo = tmp / "go-nham.toml"
    typo.write_text('[schol]\nname = "Truong"\n', encoding="utf-8")
    exists = tmp / "co-roi.toml"
    exists.write_text("", encoding="utf-8")
    registry = tmp / "so.csv"
    registry.write_text("Ten truong,Dia chi trang,Dia chi Cong khai,Ngay bao cao\n"
                        "A,https://a.edu.vn,https://a.edu.vn/ck,hom qua\n", encoding="utf-8")
    missing = str(tmp / "khong-co.xlsx")
    history = str(tmp / "h.sqlite3")
    paths = [
        ("check", ("check", "--export", missing, "--history", history), "export not found"),
        ("check", ("check", "--config", str(tmp / "khong-co.toml")), "config not found"),
        ("check", ("check", "--config", str(bad_toml)), "config value not allowed"),
        ("check", ("check", "--config", str(typo)), "unknown config table"),
        ("check", ("check", "--events", missing, "--month", "2026-13"), "bad month"),
        ("check", ("check", "--events", missing, "--from", "hom-qua"), "bad date"),
        ("check", ("check", "--events", missing, "--only", "posts.khong-co"), "unknown rule"),
        ("check", ("check", "--export", missing, "--history", str(damaged)), "damaged history"),
        ("check", ("check", "--export", missing, "--report-dir", str(exists)),
         "a file in place of the report folder"),
        ("report", ("report", "--month", "10/2026", "--demo", "--history", history),
         "bad month"),
        ("report", ("report", "--month", "2026-10", "--config", str(bad_toml)), "bad config"),
        ("history", ("history", "--history", str(damaged)), "damaged history"),
        ("history", ("history", "--config", str(typo)), "unknown config table"),
        ("rules explain", ("rules", "explain", "posts.khong-co"), "unknown rule"),
        ("rules list", ("rules", "list", "--ruleset", "khong-co"), "unknown rule set"),
        ("init", ("init", str(exists)), "file exists"),
        ("text convert", ("text", "convert", str(tmp / "khong-co.txt")), "file not found"),
        ("text convert", ("text", "convert", str(tmp / "a.pdf")), "not a text file"),
        ("text scan", ("text", "scan", str(tmp / "khong-co.txt")), "file not found"),
        ("disclosure report-link", ("disclosure", "report-link", "ftp://x", "--school",
                                    "https://a.edu.vn", "--history", history), "bad url"),
        ("disclosure report-link", ("disclosure", "report-link", "https://a.edu.vn/ck",
                                    "--school", "https://a.edu.vn", "--date", "hom qua",
                                    "--history", history), "bad date"),
        ("disclosure links", ("disclosure", "links", "--history", history), "which school"),
        ("disclosure import-registry", ("disclosure", "import-registry", str(registry),
                                        "--history", history), "bad registry rows"),
        ("disclosure import-registry", ("disclosure", "import-registry", missing,
                                        "--history", history), "registry not found"),
    ]
    return [Path_(c, a, w) for c, a, w in paths]


def _run(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


def test_every_command_error_path_in_both_languages(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no ./auditor.toml: each path is what it says
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    paths = framework_paths() + own_paths(tmp_path)
    problems = []
    for path in paths:
        for lang in ("vi", "en"):
            if lang == "en":
                monkeypatch.setenv("AUDITOR_LANG", "en")
            else:
                monkeypatch.delenv("AUDITOR_LANG", raising=False)
            code, text = _run(capsys, path.argv)
            where = f"[{lang}] auditor {' '.join(path.argv)} ({path.why})"
            lines = [ln for ln in text.splitlines() if ln.strip()]
            if code == 0 or "Traceback" in text or not lines:
                problems.append(f"{where}: exit {code}, no error line:\n{text}")
                continue
            if lang == "vi":
                words = {w.lower() for w in re.findall(r"[^\W\d_]+", unquoted(text))
                         if w.isascii()}  # whole words: "địa" is not "a"
                leaked = sorted(words & ENGLISH)
                if leaked or "Error:" in text:
                    problems.append(f"{where}: English {leaked} in:\n{text}")
            else:
                if VIETNAMESE_ONLY.search(unquoted(text)) or "Lỗi" in text:
                    problems.append(f"{where}: Vietnamese in:\n{text}")
    count = len({p.command for p in paths})
    print(f"bilingual error paths: {count} commands, {len(paths)} paths, "
          f"{2 * len(paths)} runs")
    assert count >= 11 and len(paths) >= 60
    assert not problems, "\n\n".join(problems)
