"""The shape of auditor/cli (issue 17.3): one mounting convention, options declared once,
one error mapper, format choices from the registry. Read from the package itself, so a
command added later is held to the same."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import typer

import auditor
import auditor.cli
from auditor.cli import app
from auditor.cli.root import COMMANDS
from auditor.render.formats import FORMATS, printed_names

PACKAGE = Path(auditor.cli.__file__).parent


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(PACKAGE)]))


def _walk(cmd: object, words: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], object]]:
    found = [(words, cmd)]
    for name, sub in (getattr(cmd, "commands", None) or {}).items():
        found += _walk(sub, (*words, name))
    return found


def test_every_command_module_is_mounted_one_way() -> None:
    mounted = {id(sub) for sub, _ in COMMANDS}
    owners = []
    for name in _modules():
        module = importlib.import_module(f"auditor.cli.{name}")
        sub = getattr(module, "app", None)
        if isinstance(sub, typer.Typer) and sub is not app:  # not the root's, re-exported
            owners.append(name)
            assert id(sub) in mounted, f"auditor/cli/{name}.py has an `app` not in COMMANDS"
    assert len(owners) == len(COMMANDS)
    # Nothing mounts itself some other way (the old `register(app)` convention).
    for name in _modules():
        assert not hasattr(importlib.import_module(f"auditor.cli.{name}"), "register"), name


def test_lang_and_the_shared_options_are_declared_once() -> None:
    package = Path(auditor.__file__).parent
    lang_classes = [str(p.relative_to(package)) for p in package.rglob("*.py")
                    if "class Lang(" in p.read_text(encoding="utf-8")]
    assert lang_classes == ["cli/options.py"]
    for name in _modules():
        if name == "options":
            continue
        text = (PACKAGE / f"{name}.py").read_text(encoding="utf-8")
        for flag in ("--lang", "--config", "--format", "--month", "--as-of", "--history",
                     "--cache", "--quiet", "--quick", "--demo", "--csv-sep", "--fail-on",
                     "--only-new"):
            assert f'typer.Option("{flag}"' not in text.replace("(\n", "("), (
                f"auditor/cli/{name}.py declares {flag} again")


def test_only_the_error_mapper_catches_auditor_errors() -> None:
    catching = []
    for name in _modules():
        tree = ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.ExceptHandler) and node.type is not None
                    and "AuditorError" in ast.unparse(node.type)):
                catching.append(name)
    assert catching == [], f"AuditorError caught outside auditor/cli/exits.py: {catching}"


def test_format_choices_come_from_the_registry() -> None:
    formats = []
    for words, cmd in _walk(typer.main.get_command(app)):
        for param in getattr(cmd, "params", []):
            if "--format" in getattr(param, "opts", ()):
                formats.append(" ".join(words))
                choices = tuple(param.type_descriptor.choices)  # type: ignore[attr-defined]
                assert choices == printed_names(), words
    assert {"check", "batch", "history", "site inspect", "text scan"} <= set(formats)
    report = typer.main.get_command(app).commands["report"]  # type: ignore[attr-defined]
    file_options = [o for p in report.params for o in p.opts if o[2:] in FORMATS]
    assert file_options == [f"--{name}" for name in FORMATS]
