"""The command line's own messages in the user's language, for every command.

Typer (and the click it carries) writes its usage errors in English with no
translation hook, so :func:`usage_error` rewrites them: "Missing option
'--month'." becomes "Thiếu tuỳ chọn '--month'." in Vietnamese mode, and the
pydantic prefix "Value error, " goes in both. Any command — present or added
later — gets this through ``auditor.cli.main``. Help screens get Vietnamese
headings the same way (:func:`localise_help`).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["usage_error", "localise_help", "help_in"]

Rewrite = Callable[[re.Match[str]], str]


def _quoted(values: str) -> str:
    return values.replace(" or ", " hoặc ")


# (pattern on click's English, Vietnamese). Whole-message patterns, tried in order.
_VI: tuple[tuple[str, str | Rewrite], ...] = (
    (r"No such option: (?P<o>\S+) \(Possible options: (?P<p>.+)\)",
     lambda m: f"Không có tuỳ chọn {m['o']} (có thể là: {m['p']})."),
    (r"No such option: (?P<o>\S+)\s*Did you mean (?P<p>.+)\?",
     lambda m: f"Không có tuỳ chọn {m['o']}; ý bạn là {m['p']}?"),
    (r"No such option: (?P<o>\S+)", lambda m: f"Không có tuỳ chọn {m['o']}."),
    (r"No such command (?P<c>.+)\.", lambda m: f"Không có lệnh {m['c']}."),
    (r"Missing command\.", "Thiếu lệnh."),
    (r"Missing option (?P<o>.+?)\.(?: (?P<rest>.*))?",
     lambda m: f"Thiếu tuỳ chọn {m['o']}."),
    (r"Missing argument (?P<a>.+?)\.(?: (?P<rest>.*))?",
     lambda m: f"Thiếu đối số {m['a']}."),
    (r"Missing parameter: (?P<a>.+)", lambda m: f"Thiếu tham số {m['a']}."),
    (r"Option (?P<o>'[^']+') requires an argument\.",
     lambda m: f"Tuỳ chọn {m['o']} cần một giá trị."),
    (r"Option (?P<o>'[^']+') requires (?P<n>\d+) arguments\.",
     lambda m: f"Tuỳ chọn {m['o']} cần {m['n']} giá trị."),
    (r"Option (?P<o>'[^']+') does not take a value\.",
     lambda m: f"Tuỳ chọn {m['o']} không nhận giá trị."),
    (r"Argument (?P<a>'[^']+') takes (?P<n>\d+) values\.",
     lambda m: f"Đối số {m['a']} cần {m['n']} giá trị."),
    (r"Got unexpected extra argument(?:s|\(s\))? \((?P<a>.*)\)",
     lambda m: f"Thừa đối số: {m['a']}."),
    (r"Invalid value for (?P<o>'[^']+')(?: \(env var: (?P<e>'[^']+')\))?: (?P<msg>.*)",
     lambda m: f"Giá trị không hợp lệ cho {m['o']}"
               + (f" (biến môi trường {m['e']})" if m["e"] else "")
               + f": {_value(m['msg'])}"),
    (r"Invalid value: (?P<msg>.*)", lambda m: f"Giá trị không hợp lệ: {_value(m['msg'])}"),
)

# What was wrong with a value (after "Invalid value for '--x': ").
_VALUE_VI: tuple[tuple[str, str | Rewrite], ...] = (
    (r"(?P<v>'[^']*') is not one of (?P<c>.+?)\.?",
     lambda m: f"{m['v']} không phải một trong {_quoted(m['c'])}."),
    (r"Input should be greater than or equal to (?P<n>\S+)",
     lambda m: f"cần lớn hơn hoặc bằng {m['n']}."),
    (r"Input should be less than or equal to (?P<n>\S+)",
     lambda m: f"cần nhỏ hơn hoặc bằng {m['n']}."),
    (r"Input should be greater than (?P<n>\S+)", lambda m: f"cần lớn hơn {m['n']}."),
    (r"Input should be less than (?P<n>\S+)", lambda m: f"cần nhỏ hơn {m['n']}."),
    (r"Input should be a valid integer.*", "cần một số nguyên."),
    (r"Input should be a valid number.*", "cần một số."),
    (r"Input should be a valid boolean.*", "cần true hoặc false."),
    (r"Value (?P<v>'[^']*') is not a valid (?P<t>\w+)\.",
     lambda m: f"{m['v']} không phải giá trị hợp lệ ({m['t']})."),
    (r"(?P<what>File|Directory|Path) (?P<p>'[^']*') does not exist\.",
     lambda m: f"{m['p']} không tồn tại."),
    (r"(?P<what>File|Directory|Path) (?P<p>'[^']*') is a directory\.",
     lambda m: f"{m['p']} là thư mục."),
    (r"(?P<what>File|Directory|Path) (?P<p>'[^']*') is a file\.",
     lambda m: f"{m['p']} là tệp, không phải thư mục."),
    (r"(?P<what>File|Directory|Path) (?P<p>'[^']*') is not readable\.",
     lambda m: f"không đọc được {m['p']}."),
    (r"(?P<what>File|Directory|Path) (?P<p>'[^']*') is not writable\.",
     lambda m: f"không ghi được {m['p']}."),
)

_HEADINGS_VI = {"Usage:": "Cách dùng:", "Options": "Tuỳ chọn", "Commands": "Lệnh",
                "Arguments": "Đối số"}
_HELP_VI = {"Show this message and exit.": "In hướng dẫn này rồi thoát.",
            "[required]": "[bắt buộc]", "[default: ": "[mặc định: ", "; default:": "; mặc định:",
            "[env var:": "[biến môi trường:", "[OPTIONS]": "[TUỲ CHỌN]",
            "COMMAND [ARGS]": "LỆNH [ĐỐI SỐ]", "{SCHOOLS}": "{DANH_SÁCH_TRƯỜNG}",
            "<str>": "<chuỗi>", "<path>": "<đường dẫn>", "<int range>": "<số nguyên>",
            "<int>": "<số nguyên>", "<float range>": "<số>", "<float>": "<số>",
            "<list[Path]>": "<các đường dẫn>", "<text>": "<chuỗi>"}


def _apply(rules: tuple[tuple[str, str | Rewrite], ...], text: str) -> str | None:
    for pattern, out in rules:
        found = re.fullmatch(pattern, text.strip(), flags=re.DOTALL)
        if found:
            return out if isinstance(out, str) else out(found)
    return None


def _value(message: str) -> str:
    message = message.removeprefix("Value error, ")
    return _apply(_VALUE_VI, message) or message


def usage_error(message: str, lang: str) -> str:
    """click's message (`format_message()`) in `lang`: Vietnamese unless "en"."""
    message = message.replace("Value error, ", "")
    if lang == "en":
        return message
    return _apply(_VI, message) or f"Dòng lệnh không hợp lệ: {message}"


def localise_help(text: str, lang: str) -> str:
    """A help screen's framework words (Usage, Options, …) in Vietnamese mode."""
    if lang == "en":
        return text
    for english, vietnamese in {**_HEADINGS_VI, **_HELP_VI}.items():
        text = text.replace(english, vietnamese)
    return text


@contextlib.contextmanager
def help_in(lang: str) -> Iterator[None]:
    """While a command runs, help screens it prints (--help) use `lang`'s headings."""
    try:  # typer >= 0.20 carries its own click
        from typer._click import formatting  # type: ignore[import-not-found, unused-ignore]
    except ImportError:  # pragma: no cover - an older typer on plain click
        from click import formatting  # type: ignore[import-not-found, no-redef, unused-ignore]

    original = formatting.HelpFormatter.getvalue
    command = _click_command_class()
    original_help = command.get_help

    def getvalue(self: formatting.HelpFormatter) -> str:
        return localise_help(original(self), lang)

    def get_help(self: Any, ctx: Any) -> str:
        with _helps_in(self, ctx, lang):
            return str(original_help(self, ctx))

    formatting.HelpFormatter.getvalue = getvalue  # type: ignore[method-assign]
    command.get_help = get_help
    try:
        yield
    finally:
        formatting.HelpFormatter.getvalue = original  # type: ignore[method-assign]
        command.get_help = original_help


def _click_command_class() -> Any:
    try:  # the click that typer uses (typer >= 0.20 carries its own)
        from typer._click import core  # type: ignore[import-not-found, unused-ignore]
    except ImportError:  # pragma: no cover - an older typer on plain click
        from click import core  # type: ignore[import-not-found, no-redef, unused-ignore]
    return core.Command


def _param_name(param: Any) -> str:
    longs = [o for o in getattr(param, "opts", ()) if o.startswith("--")]
    return longs[0] if longs else str(param.name)


@contextlib.contextmanager
def _helps_in(command: Any, ctx: Any, lang: str) -> Iterator[None]:
    """For one help screen: `command`'s text, its options' and its sub-commands' short
    texts in `lang` (auditor.cli.help), put back afterwards."""
    from auditor.cli.help import command_help, option_help

    path = str(getattr(ctx, "command_path", "")).split(" ", 1)[1:]
    here = path[0] if path else ""
    saved: list[tuple[Any, str, Any]] = []

    def swap(obj: Any, attr: str, text: str | None) -> None:
        if text is not None:
            saved.append((obj, attr, getattr(obj, attr, None)))
            setattr(obj, attr, text)

    swap(command, "help", command_help(here, lang))
    for param in getattr(command, "params", ()):
        swap(param, "help", option_help(here, _param_name(param), lang))
    for name, sub in (getattr(command, "commands", None) or {}).items():
        text = command_help(f"{here} {name}".strip(), lang)
        swap(sub, "help", text)
        if text is not None:
            swap(sub, "short_help", None if sub.short_help is None else text)
    try:
        yield
    finally:
        for obj, attr, value in reversed(saved):
            setattr(obj, attr, value)
