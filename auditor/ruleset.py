"""Rule sets (bộ quy tắc): which checks are on, their thresholds and citations.

A rule set is a TOML file in ``rules/``. A school's file may ``extends`` another
(by built-in name or relative path) and override only what differs; tables are
merged key by key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditor.errors import ConfigError
from auditor.resources import rules_dir
from auditor.results import LegalBasis, Severity

DEFAULT_RULESET = "qd111-thcs"


@dataclass(frozen=True)
class RuleConfig:
    id: str
    enabled: bool
    severity: Severity
    title: str
    title_en: str
    basis: LegalBasis
    params: dict[str, Any]


@dataclass(frozen=True)
class RuleSet:
    name: str
    title: str
    files: tuple[Path, ...]
    rules: dict[str, RuleConfig]
    emulation_threshold: int
    emulation_basis: LegalBasis
    data: dict[str, Any] = field(default_factory=dict)  # other top-level tables

    def enabled(self) -> list[RuleConfig]:
        return [r for r in self.rules.values() if r.enabled]


def builtin_rulesets() -> list[str]:
    return sorted(p.stem for p in rules_dir().glob("*.toml"))


def _resolve(ref: str, base: Path | None) -> Path:
    candidate = Path(ref)
    if candidate.suffix != ".toml":
        builtin = rules_dir() / f"{ref}.toml"
        if builtin.is_file():
            return builtin
    if not candidate.is_absolute() and base is not None:
        candidate = base / candidate
    if candidate.is_file():
        return candidate
    raise ConfigError(
        f"Không tìm thấy bộ quy tắc '{ref}'.",
        hint="Bộ quy tắc có sẵn: " + ", ".join(builtin_rulesets()),
        en=f"Rule set '{ref}' not found.",
        hint_en="Built-in rule sets: " + ", ".join(builtin_rulesets()),
    )


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_chain(path: Path, seen: tuple[Path, ...] = ()) -> tuple[dict[str, Any], tuple[Path, ...]]:
    if path in seen:
        raise ConfigError(f"{path}: 'extends' tạo thành vòng lặp.",
                          en=f"{path}: 'extends' forms a loop.")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: không đọc được bộ quy tắc ({exc}).",
                          en=f"{path}: could not read the rule set ({exc}).") from exc
    parent_ref = raw.get("ruleset", {}).get("extends")
    if not parent_ref:
        return raw, (*seen, path)
    parent, files = _read_chain(_resolve(str(parent_ref), path.parent), (*seen, path))
    return _merge(parent, raw), files


def _basis(raw: Any, where: str) -> LegalBasis:
    if not isinstance(raw, dict) or not raw.get("document") or not raw.get("article"):
        raise ConfigError(f"{where}: cần bảng 'basis' có 'document' và 'article'.",
                          en=f"{where}: needs a 'basis' table with 'document' and 'article'.")
    return LegalBasis(str(raw["document"]), str(raw["article"]), raw.get("clause"))


def _rule(rule_id: str, raw: Any, where: str) -> RuleConfig:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: [rules.\"{rule_id}\"] phải là một bảng.",
                          en=f"{where}: [rules.\"{rule_id}\"] must be a table.")
    severity = raw.get("severity", "violation")
    try:
        sev = Severity(severity)
    except ValueError:
        raise ConfigError(
            f"{where}: rules.\"{rule_id}\".severity = '{severity}' không hợp lệ; "
            "cần violation, warning hoặc info.",
            en=f"{where}: rules.\"{rule_id}\".severity = '{severity}' is not valid; "
               "expected violation, warning or info.",
        ) from None
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise ConfigError(f"{where}: rules.\"{rule_id}\".enabled phải là true hoặc false.",
                          en=f"{where}: rules.\"{rule_id}\".enabled must be true or false.")
    for key in ("title", "title_en"):
        if not isinstance(raw.get(key), str):
            raise ConfigError(f"{where}: rules.\"{rule_id}\".{key} phải là một chuỗi.",
                              en=f"{where}: rules.\"{rule_id}\".{key} must be a string.")
    params = raw.get("params", {})
    if not isinstance(params, dict):
        raise ConfigError(f"{where}: rules.\"{rule_id}\".params phải là một bảng.",
                          en=f"{where}: rules.\"{rule_id}\".params must be a table.")
    return RuleConfig(
        id=rule_id,
        enabled=enabled,
        severity=sev,
        title=raw["title"],
        title_en=raw["title_en"],
        basis=_basis(raw.get("basis"), f"{where}: rules.\"{rule_id}\""),
        params=params,
    )


def load_ruleset(ref: str = DEFAULT_RULESET, base: Path | None = None) -> RuleSet:
    """Load a rule set by built-in name or path, following ``extends``."""
    path = _resolve(ref, base)
    raw, files = _read_chain(path)
    where = str(path)
    meta = raw.get("ruleset", {})
    tally = raw.get("tally", {})
    threshold = tally.get("emulation_threshold")
    if not isinstance(threshold, int) or threshold < 1:
        raise ConfigError(f"{where}: tally.emulation_threshold phải là số nguyên dương.",
                          en=f"{where}: tally.emulation_threshold must be a positive integer.")
    rules = {rid: _rule(rid, spec, where) for rid, spec in raw.get("rules", {}).items()}
    others = {k: v for k, v in raw.items() if k not in {"ruleset", "tally", "rules"}}
    return RuleSet(
        name=str(meta.get("name", path.stem)),
        title=str(meta.get("title", path.stem)),
        files=files,
        rules=rules,
        emulation_threshold=threshold,
        emulation_basis=_basis(tally.get("basis"), f"{where}: tally"),
        data=others,
    )
