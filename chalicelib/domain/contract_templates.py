"""Which template words a new agreement, and every template a signed contract may carry.

A new template is a new version beside the old ones: a contract is never re-worded after it was generated (its
PDF and its words are stored write-once when the offer is accepted), so an old version stays here only for
previews and tests; what a customer signed is read back from the store, not regenerated."""

from __future__ import annotations

from collections.abc import Callable

from .contract import V1, Agreement, AgreementFacts, agreement_v1
from .contract_v2 import V2, agreement_v2

TEMPLATES: dict[str, Callable[[AgreementFacts], Agreement]] = {V1: agreement_v1, V2: agreement_v2}
CURRENT_TEMPLATE = V2


def agreement_for(facts: AgreementFacts, version: str = CURRENT_TEMPLATE) -> Agreement:
    try:
        template = TEMPLATES[version]
    except KeyError:
        raise ValueError(f"no contract template {version}") from None
    return template(facts)
