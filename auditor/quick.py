"""`--quick`: the twice-daily check of Điều 12.2, without a full crawl.

The home page, the newest posts linked from it, the Công khai page and the spam
signals on what was read. Which rules run and how far the crawl goes are in the
rule set's ``[quick]`` table; the posting rules need every post and are not run.

A quick run is compared with the school's history (what is new since the last
full check) but not recorded in it: a partial look must not make any finding
look "fixed", nor the next full check's findings look "new".
"""

from __future__ import annotations

import dataclasses

from auditor.config import Config
from auditor.errors import ConfigError
from auditor.history.store import HistoryStore
from auditor.results import AuditReport
from auditor.ruleset import RuleSet


def _quick_table(ruleset: RuleSet) -> dict[str, object]:
    table = ruleset.data.get("quick")
    if not isinstance(table, dict) or not isinstance(table.get("rules"), list):
        raise ConfigError(f"Bộ quy tắc '{ruleset.name}' không có bảng [quick] với danh sách "
                          "rules, nên không kiểm tra nhanh được.",
                          en=f"Rule set '{ruleset.name}' has no [quick] table with a rules "
                             "list, so --quick cannot run.")
    return table


def quick_ruleset(ruleset: RuleSet) -> RuleSet:
    """The rule set with only the [quick] rules enabled."""
    listed = _quick_table(ruleset)["rules"]
    wanted = {r for r in listed if isinstance(r, str)} if isinstance(listed, list) else set()
    rules = {rid: dataclasses.replace(rule, enabled=rule.enabled and rid in wanted)
             for rid, rule in ruleset.rules.items()}
    return dataclasses.replace(ruleset, rules=rules)


def quick_config(config: Config, ruleset: RuleSet) -> Config:
    """The configuration with the crawl cut to the [quick] limits."""
    table = _quick_table(ruleset)
    limits: dict[str, object] = {}
    for key, floor in (("max_pages", 1), ("max_depth", 0), ("max_documents", 0)):
        value = table.get(key)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < floor:
            raise ConfigError(f"Bộ quy tắc '{ruleset.name}': quick.{key} = {value!r} phải là "
                              f"số nguyên ≥ {floor}.",
                              en=f"Rule set '{ruleset.name}': quick.{key} = {value!r} must be "
                                 f"an integer ≥ {floor}.")
        current = getattr(config.crawl, key)
        limits[key] = min(current, value)
    # The sitemap names every post, and its entries would crowd out the home page's own
    # links (the menu, the newest posts, the Công khai page) under the page cap.
    limits["sitemaps"] = bool(table.get("sitemaps", False))
    return config.model_copy(update={"crawl": config.crawl.model_copy(update=limits)})


def compare_only(store: HistoryStore, report: AuditReport) -> AuditReport:
    """The report annotated from the history (new / open); nothing written. Nothing is
    called "fixed": a quick run reads a few pages, so a finding on a page it did not read
    (or of a rule it did not run) is unseen, not gone."""
    from auditor.history.compare import annotate

    annotated = annotate(store, report)
    if annotated.comparison is None:
        return annotated
    return dataclasses.replace(annotated,
                               comparison=dataclasses.replace(annotated.comparison, fixed=()))
