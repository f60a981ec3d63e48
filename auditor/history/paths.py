"""Where the history file is, for a configuration (and a command-line override)."""

from __future__ import annotations

from pathlib import Path

from auditor.config import Config, load_config
from auditor.history.records import school_key
from auditor.history.store import HistoryStore, default_path


def history_path(config: Config | None, override: Path | None = None) -> Path:
    """--history wins; then ``[history] path`` (relative to auditor.toml); then the default."""
    if override is not None:
        return override
    if config is not None and config.history.path:
        resolved = config.resolve(config.history.path)
        if resolved is not None:
            return resolved
    return default_path()


def optional_config(path: Path | None) -> Config | None:
    """The given auditor.toml, else ./auditor.toml when present, else None."""
    if path is not None:
        return load_config(path)
    default = Path("auditor.toml")
    return load_config(default) if default.is_file() else None


def open_history(config: Config | None, override: Path | None = None) -> HistoryStore:
    return HistoryStore.open(history_path(config, override))


def config_school(config: Config) -> str:
    """The key the history files this school's runs under (see ``report_school``)."""
    return school_key(config.school.url, config.school.name)
