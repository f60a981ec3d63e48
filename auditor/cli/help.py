"""Help texts in the user's language, applied when a help screen is formatted.

The commands carry their Vietnamese help in their docstrings and `help=`; English mode
(`--lang en`, AUDITOR_LANG=en) takes the texts below instead, keyed by command path
("text scan") and option ("--month"; "check --month" for one command's own wording).
A few framework options (typer's completion options) have no Vietnamese of their own,
so Vietnamese mode takes theirs from :data:`OPTION_HELP_VI`.
"""

from __future__ import annotations

from auditor.render.formats import FORMATS, printed_names

COMMAND_HELP_EN: dict[str, str] = {
    "": "Audits a school's web portal against its portal regulation (QĐ 111/QĐ-THCS).",
    "batch": "Check many schools from a list; build a summary table (Excel, HTML, JSON).\n\n"
             "'auditor batch merge A/tong-hop.json B/tong-hop.json --report-dir OUT' merges "
             "the summary tables of several machines.",
    "check": "Check the web site, the CMS export and the work calendar against the ruleset.",
    "disclosure": "The Disclosure section: record the addresses reported to the "
                  "supervising authority.",
    "disclosure import-registry":
        "Load the supervising authority's register: school, Disclosure address, date "
        "reported.\n\nA bad row (a date that is not one, an address that is not http(s)) "
        "is a warning naming the file and row, and is left out; the others are loaded.",
    "disclosure links": "List the reports of the Disclosure section's address.",
    "disclosure report-link": "Record that the Disclosure section's address was given to "
                              "the supervising authority (Article 13.1.c).",
    "history": "The history of checks: new, persisting and fixed findings.",
    "init": "Write a sample auditor.toml configuration file, with comments.",
    "report": "Build the monthly report (Excel, HTML, CSV) from the history, or check again "
              "when there is none.",
    "rules": "The ruleset: list and explain.",
    "rules explain": "Explain a rule: what it checks, its legal basis, parameters, examples.",
    "rules list": "List the rules of the ruleset in use.",
    "site": "The school's web site: see how each page is read.",
    "site inspect": "Show the fields read from one page and the selector that gave each.",
    "text": "Vietnamese text: find legacy-encoded text and convert it to Unicode "
            "TCVN 6909:2001.",
    "text convert": "Convert a file to precomposed Unicode (NFC), UTF-8.\n\nNever overwrites "
                    "an existing file, unless --in-place is given (a .bak copy is then kept).",
    "text scan": "Find legacy-encoded text (TCVN3, VNI, VISCII, VIQR, Windows-1258), legacy "
                 "fonts and decomposed Unicode.\n\nExit codes: 0 no problem, 1 problems "
                 "found, 2 input error.",
    "version": "Print the version.",
}

# Option help by option name, for every command that has it...
OPTION_HELP_EN: dict[str, str] = {
    "--version": "Print the version and exit.",
    "--config": "auditor.toml file",
    "--lang": "Language: vi or en",
    "--history": "History file (SQLite)",
    "--cache": "Crawl cache file",
    "--month": "Month: 2026-11 or 11/2026",
    "--as-of": "Take this date as today",
    "--format": " or ".join(printed_names()),
    "--report-dir": "Report folder",
    "--quick": "Quick check (Article 12.2)",
    "--quiet": "Print nothing but errors",
    "--only-new": "Send mail only when there are new findings",
    "--fail-on": "Exit 1 from this severity up: violation, warning or never",
    "--csv-sep": "CSV separator: ',' or ';' (Vietnamese Excel)",
    "--demo": "Check the bundled sample school",
    "--school": "The school's site address",
    "--ruleset": "Ruleset",
    "--min-confidence": "Minimum confidence (0-1)",
}

# ...and where one command words it its own way ("command --option", or an argument's name).
COMMAND_OPTION_HELP_EN: dict[str, str] = {
    "batch paths": "List of schools (.csv, .xlsx, .toml); or 'merge' then tong-hop.json files",
    "batch --report-dir": "Report folder (default: bao-cao next to the list)",
    "batch --concurrency": "How many web sites to check at once (default 8)",
    "batch --history-dir": "One history file per school in this folder",
    "batch --cache-dir": "One crawl cache per school in this folder",
    "batch --notify-config": ".toml file with a [notify] table (mail)",
    "check --site": "Web site address",
    "check --export": "CMS export file",
    "check --events": "Work calendar",
    "check --from": "From date",
    "check --to": "To date",
    "check --offline": "Use the previous crawl",
    "check --output": "Write to a file",
    "check --only": "Run only this rule",
    "disclosure import-registry registry": "Register file, .csv or .xlsx",
    "disclosure report-link url": "The Disclosure section's address as reported",
    "disclosure report-link --date": "Date reported (default: today)",
    "disclosure report-link --note": "Note: dispatch number, e-mail…",
    "history --all": "Every school in the file",
    "history --limit": "How many latest runs",
    "init path": "File to write",
    "init --force": "Overwrite if it exists",
    "report --rerun": "Check again, without the history",
    "rules explain rule_id": "Rule id, e.g. posts.monthly-quota",
    "site inspect target": "http(s) address of one page, or an .html file",
    "site inspect --profile": "Platform profile (name or .toml file); default: from "
                              "auditor.toml, or recognised",
    "site inspect --suggest": "Print [site.selectors] lines for the fields not read",
    "text convert file": ".txt, .html or .docx file",
    "text convert --from": "Source encoding (auto: recognise)",
    "text convert --output": "Output file (must not be an existing file)",
    "text convert --in-place": "Overwrite the original file, keeping a .bak copy",
    "text scan target": "File (.txt, .html, .docx), http(s) address, or - to read "
                        "standard input",
    "text scan --excerpt": "Excerpt length",
    "text scan --timeout": "Most seconds to fetch an http(s) address",
}

# Options the framework adds with English help only, and options some command leaves
# without help (the same words as where they have it).
OPTION_HELP_VI: dict[str, str] = {
    "--fail-on": "Thoát mã 1 từ mức này trở lên: violation, warning hoặc never",
    "--config": "Tệp auditor.toml",
    "--ruleset": "Bộ quy tắc",
    "--min-confidence": "Độ tin cậy tối thiểu (0–1)",
    "--install-completion": "Cài gợi ý tự hoàn thành lệnh cho trình lệnh (shell) đang dùng.",
    "--show-completion": "In mã tự hoàn thành lệnh của trình lệnh (shell) đang dùng, để "
                         "chép hoặc tuỳ chỉnh cách cài.",
}


def command_help(path: str, lang: str) -> str | None:
    """The help of the command at `path` ("text scan"; "" for auditor) in `lang`, or None
    to keep its own (Vietnamese) text."""
    return COMMAND_HELP_EN.get(path) if lang == "en" else None


def option_help(path: str, name: str, lang: str) -> str | None:
    """The help of option or argument `name` ("--month", "target") of command `path`."""
    if lang != "en":
        return OPTION_HELP_VI.get(name)
    return (COMMAND_OPTION_HELP_EN.get(f"{path} {name}".strip()) or OPTION_HELP_EN.get(name)
            or _file_option_help(path, name))


def _file_option_help(path: str, name: str) -> str | None:
    """`auditor report --NAME FILE`, one per registered report format."""
    fmt = FORMATS.get(name.removeprefix("--")) if path == "report" else None
    return None if fmt is None else f"Write the {fmt.description_en} here"
