"""One cap on what the bank lends one borrower across all her lines (a setting, ¥300,000 by default): a new line is
what is left of it, and says so, or none; a drawdown that would take what she owes past it is refused, whatever
her lines still have available."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from chalicelib.domain.credit import EXPOSURE_CAP_REACHED, LIMIT_CAPPED_BY_EXPOSURE, within_exposure
from chalicelib.domain.drawdown_rules import BorrowerExposureMustStayWithinCap, DrawdownRequest
from chalicelib.domain.errors import DrawdownRuleViolatedError
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.services.deps import Dependencies
from chalicelib.services.servicing import drawdowns
from chalicelib.services.servicing.drawdowns import DrawdownCommand
from tests.products import INCLUSIVE_BUSINESS_LOAN
from tests.unit.test_services import ACCOUNT, active_line, booked_loan

CAP = Money.yuan(300_000)


def test_a_new_line_is_what_is_left_of_the_cap_or_none() -> None:
    assert within_exposure(Money.yuan(50_000), Money.yuan(200_000), CAP, INCLUSIVE_BUSINESS_LOAN) == (
        Money.yuan(50_000), None)
    assert within_exposure(Money.yuan(150_000), Money.yuan(200_000), CAP, INCLUSIVE_BUSINESS_LOAN) == (
        Money.yuan(100_000), LIMIT_CAPPED_BY_EXPOSURE)
    assert within_exposure(Money.yuan(50_000), Money.yuan(295_000), CAP, INCLUSIVE_BUSINESS_LOAN) == (
        None, EXPOSURE_CAP_REACHED)  # ¥5,000 left: below the product's smallest line


def test_the_drawdown_rule_counts_what_she_owes_on_every_line() -> None:
    rule = BorrowerExposureMustStayWithinCap()
    req = DrawdownRequest(Money.yuan(50_000), 12, M.EQUAL_INSTALMENT, ACCOUNT,
                          borrower_drawn_fen=Money.yuan(260_000).fen, exposure_cap_fen=CAP.fen)
    message = rule.violated(req, None, INCLUSIVE_BUSINESS_LOAN, datetime.now(UTC))  # type: ignore[arg-type]
    assert message is not None and "¥40,000.00" in message
    assert rule.violated(replace(req, amount=Money.yuan(40_000)), None, INCLUSIVE_BUSINESS_LOAN,  # type: ignore[arg-type]
                         datetime.now(UTC)) is None


def test_a_drawdown_past_the_cap_across_her_lines_is_refused(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    booked_loan(memory_deps, line_id, "key-cap-001", 20_000, M.EQUAL_INSTALMENT)
    memory_deps.settings = memory_deps.settings.model_copy(update={"max_exposure_per_borrower_fen": 2_500_000})
    with pytest.raises(DrawdownRuleViolatedError) as refused:
        drawdowns.request_drawdown(memory_deps, "alice", "key-cap-002",
                                   DrawdownCommand(line_id, Money.yuan(10_000), 12, M.EQUAL_INSTALMENT, ACCOUNT))
    assert refused.value.code == "EXPOSURE_CAP_REACHED"
    assert drawdowns.request_drawdown(memory_deps, "alice", "key-cap-003",
                                      DrawdownCommand(line_id, Money.yuan(5_000), 12, M.EQUAL_INSTALMENT, ACCOUNT))


def test_a_second_line_is_only_what_is_left_of_the_cap_and_a_full_cap_declines(memory_deps: Dependencies) -> None:
    from tests.unit.test_services import scored

    line = memory_deps.repo.get_credit_line(active_line(memory_deps))  # her first line: ¥50,000
    memory_deps.settings = memory_deps.settings.model_copy(
        update={"max_exposure_per_borrower_fen": line.limit.fen + Money.yuan(20_000).fen})
    second = memory_deps.repo.get_application(scored(memory_deps, "APPROVE"))
    assert second.decision is not None and second.decision.credit_limit == Money.yuan(20_000)
    assert second.decision.reason_codes[-1] == LIMIT_CAPPED_BY_EXPOSURE
    memory_deps.settings = memory_deps.settings.model_copy(
        update={"max_exposure_per_borrower_fen": line.limit.fen + Money.yuan(5_000).fen})
    third = memory_deps.repo.get_application(scored(memory_deps, "DECLINE"))
    assert third.decision is not None and third.decision.reason_codes == (EXPOSURE_CAP_REACHED,)
