"""Every help screen in both languages (issue 15.5): `--help` in English mode holds no
Vietnamese letters, in Vietnamese mode no English words and the command's own text.

The commands are read from the command line itself (tests/test_bilingual_errors.py walks
it the same way), groups and the root included, so a command added later is covered.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import pytest
import typer

from auditor.cli import app, main
from auditor.cli.help import command_help, option_help
from tests.test_bilingual_errors import ENGLISH, unquoted

# Vietnamese kept in English help, on purpose: the regulation's own number.
ALLOWED_IN_ENGLISH = ("QĐ 111/QĐ-THCS",)
# Parameters whose help the framework writes and localises itself.
FRAMEWORK = {"--help"}


def every_command() -> Iterator[tuple[tuple[str, ...], object]]:
    """Every command of `auditor` (root, groups and leaves), with the words that call it."""
    def walk(cmd: object, words: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], object]]:
        yield words, cmd
        for name, sub in sorted((getattr(cmd, "commands", None) or {}).items()):
            yield from walk(sub, (*words, name))
    yield from walk(typer.main.get_command(app), ())


def vietnamese_letters(text: str) -> list[str]:
    """Letters with Vietnamese diacritics (any accent or đ) in `text`."""
    return sorted({ch for ch in text if ch.isalpha() and not ch.isascii()
                   and (ch in "đĐ" or len(unicodedata.normalize("NFD", ch)) > 1)})


def _help(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    capsys.readouterr()
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, f"auditor {' '.join(argv)}: exit {code}\n{out}{err}"
    return out + err


def _name(param: object) -> str:
    longs = [o for o in getattr(param, "opts", ()) if o.startswith("--")]
    return longs[0] if longs else str(getattr(param, "name", ""))


def test_every_command_and_option_has_english_help() -> None:
    missing = []
    for words, cmd in every_command():
        path = " ".join(words)
        if not command_help(path, "en"):
            missing.append(f"command '{path}'")
        for param in getattr(cmd, "params", []):
            name = _name(param)
            if name in FRAMEWORK or not getattr(param, "help", None):
                continue
            if vietnamese_letters(str(param.help)) and not option_help(path, name, "en"):
                missing.append(f"'{path} {name}'")
    assert not missing, "no English help for: " + ", ".join(missing)


def test_help_of_every_command_in_english(capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    problems = []
    runs = 0
    for words, cmd in every_command():
        leaf = not getattr(cmd, "commands", None)
        ways = [("env", [*words, "--help"])]
        if leaf and words:
            ways.append(("--lang", [*words, "--help", "--lang", "en"]))
        for how, argv in ways:
            if how == "env":
                monkeypatch.setenv("AUDITOR_LANG", "en")
            else:
                monkeypatch.delenv("AUDITOR_LANG", raising=False)
            text = _help(capsys, argv)
            runs += 1
            shown = text
            for allowed in ALLOWED_IN_ENGLISH:
                shown = shown.replace(allowed, "")
            found = vietnamese_letters(shown)
            if found or not text.startswith("Usage: auditor"):
                problems.append(f"[{how}] auditor {' '.join(argv)}: {found}\n{text}")
    print(f"English help screens: {runs}")
    assert runs >= 25
    assert not problems, "\n\n".join(problems)


def test_help_of_every_command_in_vietnamese(capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUDITOR_LANG", raising=False)
    problems = []
    for words, cmd in every_command():
        text = _help(capsys, [*words, "--help"])
        # Metavars (<vi|en>, {target}) and bounds ([x>=1]) are values, not words.
        words_text = re.sub(r"<[^>]*>|\{[^}]*\}|\[x[^\]]*\]|\b[A-Z_]{2,}\b", " ", text)
        # An argument's name (`file`, `target`) is an identifier, like an option's --name.
        for param in getattr(cmd, "params", []):
            if getattr(param, "param_type_name", "") == "argument":
                words_text = re.sub(rf"(?m)^\s+{param.name}\b", " ", words_text)
        english = sorted({w.lower() for w in re.findall(r"[^\W\d_]+", unquoted(words_text))
                          if w.isascii()} & ENGLISH)
        own = (getattr(cmd, "help", None) or "").split("\n")[0][:30]
        if english or not text.startswith("Cách dùng: auditor") or own not in text:
            problems.append(f"auditor {' '.join(words)}: English {english}\n{text}")
        if not vietnamese_letters(text.split("\n", 2)[2]):  # the text after the usage line
            problems.append(f"auditor {' '.join(words)}: no Vietnamese\n{text}")
    assert not problems, "\n\n".join(problems)


def test_help_texts_are_restored_after_an_english_screen(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """English help is swapped in for one screen only: Vietnamese comes back after it."""
    monkeypatch.setenv("AUDITOR_LANG", "en")
    assert "Check the web site" in _help(capsys, ["check", "--help"])
    monkeypatch.delenv("AUDITOR_LANG")
    again = _help(capsys, ["check", "--help"])
    assert "Kiểm tra trang web" in again and "Check the web site" not in again
    assert "Địa chỉ trang web" in again
