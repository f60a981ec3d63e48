"""The project's own kinds of rule-case input, beyond those auditor.testing builds.

auditor.testing builds ``posts``, ``bulk`` and ``events``; each key here names
another kind of input (a crawled site, the disclosure section, a history) and
its builder, which receives the case table and the time zone and returns
keyword arguments for AuditContext. tests/test_rule_cases.py passes BUILDERS
to the runner.
"""

from __future__ import annotations

from auditor.testing import Builder, build_post, events, posts, when
from tests import disclosure_inputs, site_inputs

__all__ = ["BUILDERS", "build_post", "events", "posts", "when"]

BUILDERS: dict[str, Builder] = {
    "disclosure_site": disclosure_inputs.disclosure_site,
    "history": disclosure_inputs.history,
    "site": site_inputs.site,
}
