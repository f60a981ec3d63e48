"""Discovers check plugins through the ``auditor.checks`` entry-point group and
checks their metadata in one place."""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from auditor.checks.interface import Check
from auditor.errors import ConfigError

GROUP = "auditor.checks"


def _validate(name: str, cls: object) -> type[Check]:
    if not (isinstance(cls, type) and issubclass(cls, Check)):
        raise ConfigError(f"Plugin '{name}' không phải là một lớp Check.",
                          en=f"Plugin '{name}' is not a Check class.")
    for attr in ("id", "title", "title_en"):
        if not isinstance(getattr(cls, attr, None), str):
            raise ConfigError(f"Plugin '{name}' thiếu thuộc tính '{attr}'.",
                              en=f"Plugin '{name}' lacks the attribute '{attr}'.")
    if cls.id != name:
        raise ConfigError(f"Plugin '{name}' khai báo id '{cls.id}' khác tên đăng ký.",
                          en=f"Plugin '{name}' declares id '{cls.id}', which differs from the "
                             "name it is registered under.")
    if not cls.doc():
        raise ConfigError(f"Plugin '{name}' thiếu docstring mô tả quy tắc.",
                          en=f"Plugin '{name}' lacks a docstring describing the rule.")
    return cls


@cache
def available_checks() -> dict[str, type[Check]]:
    """Every registered check by rule id."""
    found: dict[str, type[Check]] = {}
    for ep in entry_points(group=GROUP):
        try:
            loaded = ep.load()
        except Exception as exc:  # a broken third-party plugin must not stop the audit
            raise ConfigError(f"Không nạp được plugin kiểm tra '{ep.name}': {exc}",
                              en=f"Could not load the check plugin '{ep.name}': {exc}") from exc
        found[ep.name] = _validate(ep.name, loaded)
    return dict(sorted(found.items()))
