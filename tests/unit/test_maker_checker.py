"""Two different officers for a large line: once a first approval is pending, the maker cannot finish it herself,
whatever she sends next (a lower line under the threshold, a decline); only another officer decides."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import SecondOfficerRequiredError
from chalicelib.domain.money import Money
from chalicelib.services.back_office import review
from chalicelib.services.deps import Dependencies
from chalicelib.services.origination import origination_steps
from tests.fakes.memory import REFER_HISTORY
from tests.unit.test_services import scored


def _awaiting_second_approval(deps: Dependencies) -> str:
    deps.bureau.history = dict(REFER_HISTORY)  # type: ignore[attr-defined]
    app_id = scored(deps, "REFER", requested_yuan=200_000, revenue_yuan=2_000_000)
    origination_steps.await_review(deps, app_id, "token-review")
    proposed = deps.repo.get_application(app_id).decision.credit_limit  # type: ignore[union-attr]
    assert proposed is not None and proposed.fen > deps.settings.dual_approval_above_fen
    review.decide(deps, "olivia", app_id, "APPROVE", "同意", proposed)
    assert deps.repo.get_application(app_id).first_approval is not None
    return app_id


@pytest.mark.parametrize(("outcome", "limit"), [
    ("APPROVE", Money.yuan(100_000)),  # under the two-officer threshold: once decided alone
    ("APPROVE", None),
    ("DECLINE", None),
])
def test_the_maker_cannot_decide_her_own_pending_dual_approval(
        memory_deps: Dependencies, outcome: str, limit: Money | None) -> None:
    app_id = _awaiting_second_approval(memory_deps)
    with pytest.raises(SecondOfficerRequiredError):
        review.decide(memory_deps, "olivia", app_id, outcome, "改为十万元，本人决定", limit)
    app = memory_deps.repo.get_application(app_id)
    assert app.task_token == "token-review" and memory_deps.workflow.resumed == []  # type: ignore[attr-defined]


def test_another_officer_decides_it_and_never_above_the_makers_line(memory_deps: Dependencies) -> None:
    app_id = _awaiting_second_approval(memory_deps)
    maker = memory_deps.repo.get_application(app_id).first_approval
    app = review.decide(memory_deps, "oscar", app_id, "APPROVE", "复核同意", None)
    assert app.decision is not None and app.decision.credit_limit == Money(int(maker["credit_limit_fen"]))  # type: ignore[index]
    assert app.decision.decided_by == "oscar"
