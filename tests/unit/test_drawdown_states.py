"""A drawdown's lifecycle is the domain's: one table of moves, one method per move, an event for each. The
repository only stores a move (tests/integration: the contract)."""

from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from chalicelib.domain import events as ev
from chalicelib.domain.drawdown import ALLOWED_TRANSITIONS, TERMINAL, Drawdown, DrawdownStatus
from chalicelib.domain.errors import InvalidTransitionError
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod

D = DrawdownStatus


def drawdown(status: DrawdownStatus = D.REQUESTED) -> Drawdown:
    dd = Drawdown.request(drawdown_id="dd_1", customer_id="c1", credit_line_id="line_1", amount=Money.yuan(1_000),
                          term_months=12, repayment_method=RepaymentMethod.EQUAL_INSTALMENT,
                          account_no="6222021234567890123", request_hash="h")
    dd.status = status
    dd.pending_events.clear()
    return dd


# Each move: the method that makes it, the event it records.
MOVES: dict[tuple[DrawdownStatus, DrawdownStatus], tuple[Callable[[Drawdown], None], str]] = {
    (D.AWAITING_APPROVAL, D.REQUESTED): (lambda d: d.approve("olivia", "checked"), ev.DRAWDOWN_APPROVED),
    (D.AWAITING_APPROVAL, D.REJECTED): (lambda d: d.decline("olivia", "court record"), ev.DRAWDOWN_DECLINED),
    (D.REQUESTED, D.RESERVED): (lambda d: d.reserve("system"), ev.LIMIT_RESERVED),
    (D.REQUESTED, D.REJECTED): (lambda d: d.reject("CREDIT_LIMIT_EXCEEDED", "system"), ev.DRAWDOWN_REJECTED),
    (D.RESERVED, D.DISBURSED): (lambda d: d.disbursed("core-1", "system"), ev.FUNDS_DISBURSED),
    (D.RESERVED, D.FAILED): (lambda d: d.release("DisbursementRefusedError", "system"), ev.RESERVATION_RELEASED),
    (D.DISBURSED, D.BOOKED): (lambda d: d.book("loan_1", "system"), ev.LOAN_BOOKED),
}


def test_the_table_and_the_methods_agree() -> None:
    assert set(MOVES) == {(s, t) for s, targets in ALLOWED_TRANSITIONS.items() for t in targets}


@pytest.mark.parametrize(("source", "target"), list(MOVES))
def test_every_move_records_its_event_and_where_it_started(source: D, target: D) -> None:
    dd = drawdown(source)
    method, event = MOVES[(source, target)]
    method(dd)
    assert dd.status is target and dd.moved_from is source
    assert [e.name for e in dd.pending_events] == [event]
    assert dd.pending_events[0].aggregate_id == "dd_1"


@pytest.mark.parametrize(("source", "move"), [(s, m) for s in D for (frm, _), m in MOVES.items() if frm is not s])
def test_a_move_from_any_other_status_is_refused_and_changes_nothing(
        source: D, move: tuple[Callable[[Drawdown], None], str]) -> None:
    dd = drawdown(source)
    with pytest.raises(InvalidTransitionError):
        move[0](dd)
    assert dd.status is source and not dd.pending_events and dd.moved_from is None


def test_every_status_is_reachable_and_every_path_ends() -> None:
    seen, queue = {D.REQUESTED, D.AWAITING_APPROVAL}, deque([D.REQUESTED, D.AWAITING_APPROVAL])
    while queue:
        for nxt in ALLOWED_TRANSITIONS[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    assert seen == set(D)
    assert TERMINAL == {D.BOOKED, D.REJECTED, D.FAILED}


def test_a_request_held_by_a_warning_waits_for_an_officer() -> None:
    held = Drawdown.request(drawdown_id="dd_2", customer_id="c1", credit_line_id="line_1", amount=Money.yuan(500),
                            term_months=12, repayment_method=RepaymentMethod.EQUAL_INSTALMENT,
                            account_no="6222021234567890123", request_hash="h", held_by_warning="warn_1")
    assert held.status is D.AWAITING_APPROVAL
    assert [(e.name, e.data["awaits_approval_for_warning"]) for e in held.pending_events] == [
        (ev.DRAWDOWN_AWAITS_APPROVAL, "warn_1")]
    assert drawdown().pending_events == [] and Drawdown.request(
        drawdown_id="dd_3", customer_id="c1", credit_line_id="line_1", amount=Money.yuan(500), term_months=12,
        repayment_method=RepaymentMethod.EQUAL_INSTALMENT, account_no="6", request_hash="h",
    ).pending_events[0].name == ev.DRAWDOWN_REQUESTED


def test_the_payout_starts_once_and_only_when_reserved() -> None:
    dd = drawdown(D.RESERVED)
    at = datetime(2026, 12, 1, 3, tzinfo=UTC)
    assert dd.start_payout("system", at) and dd.payout_started_at == at
    assert not dd.start_payout("system", at)  # a retry: already started, nothing more to record
    assert [e.name for e in dd.pending_events] == [ev.PAYOUT_STARTED]
    with pytest.raises(InvalidTransitionError):
        drawdown(D.REQUESTED).start_payout("system", at)


def test_a_step_that_failed_for_good_keeps_the_status_and_says_why() -> None:
    dd = drawdown(D.DISBURSED)
    dd.needs_attention("States.Timeout", "system")
    assert dd.status is D.DISBURSED and dd.failure_reason == "States.Timeout"
    assert [e.name for e in dd.pending_events] == [ev.DRAWDOWN_NEEDS_ATTENTION]
