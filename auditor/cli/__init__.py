"""The command line: parses, calls the library, maps errors to exit codes.

No business logic lives here (STYLE.md §1). ``auditor.cli.main`` is the console entry
point (``python -m auditor`` too); ``auditor.cli.app`` the root command. Where things are:

- :mod:`~auditor.cli.root`: the root command and the table that mounts every command module;
- :mod:`~auditor.cli.options`: the options commands share (``--lang``, ``--config``,
  ``--format``, ``--month``, ``--as-of`` …), declared once;
- :mod:`~auditor.cli.exits`: the one error mapper (one line, the hint, the exit code);
- :mod:`~auditor.cli.entry`: ``main``, signals;
- :mod:`~auditor.cli.messages` and :mod:`~auditor.cli.help`: the framework's words and the
  help texts in the user's language;
- one module per command or group: check, starter (init), report, batch, rules, text,
  history, disclosure, site.
"""

from auditor.cli.entry import main
from auditor.cli.root import app

__all__ = ["app", "main"]
