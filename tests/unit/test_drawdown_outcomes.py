"""A customer whose money does not come is told why, in words, with an honest next step - and by SMS, since she
was told the drawdown was accepted. Each test is a way a promised payout fails."""

from __future__ import annotations

import pytest

from chalicelib.api.views import drawdown as drawdown_view
from chalicelib.domain.drawdown import Drawdown, DrawdownStatus
from chalicelib.domain.errors import DisbursementRefusedError
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.services import monitoring
from chalicelib.services.deps import Dependencies
from chalicelib.services.servicing import drawdowns
from chalicelib.services.servicing.drawdowns import DrawdownCommand
from tests.fakes.memory import MemoryCoreBanking
from tests.unit.test_post_loan_monitoring import court, tax_drop
from tests.unit.test_services import ACCOUNT, active_line


def _sms(deps: Dependencies) -> list[tuple[str, str]]:
    return [(template, text) for _, _, template, text in deps.notifier.sent]  # type: ignore[attr-defined]


def _asked(deps: Dependencies, line_id: str, yuan: int, key: str) -> Drawdown:
    return drawdowns.request_drawdown(deps, "alice", key, DrawdownCommand(line_id, Money.yuan(yuan), 6,
                                                                            M.EQUAL_PRINCIPAL, ACCOUNT))


def _paid_or_released(deps: Dependencies, dd: Drawdown) -> Drawdown:
    drawdowns.reserve_limit(deps, dd.drawdown_id)
    try:
        drawdowns.disburse(deps, dd.drawdown_id)
    except DisbursementRefusedError:  # the workflow's Catch: ReleaseReservation
        drawdowns.release_reservation(deps, dd.drawdown_id, {"Error": "DisbursementRefusedError"})
    return deps.repo.get_drawdown(dd.drawdown_id)


def test_an_account_the_core_refuses_sends_the_customer_to_the_bank_not_to_draw_again(
        memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    memory_deps.core_banking = MemoryCoreBanking(refuse=True)
    failed = _paid_or_released(memory_deps, _asked(memory_deps, line_id, 10_000, "key-refused-01"))
    shown = drawdown_view(failed)
    assert (shown.status, shown.failure_reason, shown.next_action) == ("FAILED", "PAYOUT_ACCOUNT_REFUSED",
                                                                        "CONTACT_BANK")
    assert "Error" not in str(shown.failure_reason) and "收款账户未能入账" in shown.message_zh
    template, text = _sms(memory_deps)[-1]
    assert template == "DRAWDOWN_NOT_PAID" and "¥10,000.00" in text and "额度已恢复" in text


def test_a_line_frozen_between_acceptance_and_payout_points_to_its_notice(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    dd = _asked(memory_deps, line_id, 10_000, "key-frozen-001")
    drawdowns.reserve_limit(memory_deps, dd.drawdown_id)
    monitoring.evaluate(memory_deps, line_id, court())  # RED: frozen before the payout starts
    with pytest.raises(DisbursementRefusedError):
        drawdowns.disburse(memory_deps, dd.drawdown_id)
    drawdowns.release_reservation(memory_deps, dd.drawdown_id, {"Error": "DisbursementRefusedError"})
    shown = drawdown_view(memory_deps.repo.get_drawdown(dd.drawdown_id))
    assert (shown.failure_reason, shown.next_action) == ("LINE_NOT_ACTIVE_AT_PAYOUT", "READ_NOTICE")
    assert _sms(memory_deps)[-1][0] == "DRAWDOWN_NOT_PAID"


def test_two_drawdowns_that_each_fit_but_not_together_tell_the_second_to_ask_for_less(
        memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)  # ¥50,000
    first, second = (_asked(memory_deps, line_id, 30_000, f"key-race-000{i}") for i in (1, 2))  # both accepted: 202
    _paid_or_released(memory_deps, first)
    drawdowns.reserve_limit(memory_deps, second.drawdown_id)
    shown = drawdown_view(memory_deps.repo.get_drawdown(second.drawdown_id))
    assert (shown.status, shown.failure_reason, shown.next_action) == ("REJECTED", "CREDIT_LIMIT_EXCEEDED",
                                                                        "DRAW_AGAIN")
    assert "可用额度已不足" in shown.message_zh
    assert _sms(memory_deps)[-1][0] == "DRAWDOWN_NOT_PAID"


def test_a_held_drawdown_an_officer_declines_is_told_by_sms(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    monitoring.evaluate(memory_deps, line_id, tax_drop())  # ORANGE: drawdowns wait for an officer
    held = _asked(memory_deps, line_id, 10_000, "key-held-0001")
    waiting = drawdown_view(held)
    assert waiting.next_action == "WAIT_FOR_BANK_REVIEW" and "人工审核" in waiting.message_zh
    drawdowns.decide_awaiting(memory_deps, "olivia", held.drawdown_id, False, "经营下滑，暂缓放款")
    shown = drawdown_view(memory_deps.repo.get_drawdown(held.drawdown_id))
    assert (shown.next_action, _sms(memory_deps)[-1][0]) == ("CONTACT_BANK", "DRAWDOWN_NOT_PAID")
    assert "未获通过" in shown.message_zh


def test_every_status_says_something_to_the_customer(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    dd = _asked(memory_deps, line_id, 10_000, "key-all-00001")
    for status in DrawdownStatus:
        dd.status = status
        shown = drawdown_view(dd)
        assert shown.message_zh and shown.next_action
    booked = _paid_or_released(memory_deps, _asked(memory_deps, line_id, 10_000, "key-all-00002"))
    drawdowns.book_loan(memory_deps, booked.drawdown_id)
    assert drawdown_view(memory_deps.repo.get_drawdown(booked.drawdown_id)).next_action == "VIEW_LOAN"
