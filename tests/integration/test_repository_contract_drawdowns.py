"""The repository contract for drawdowns and the line's money, asked of the in-memory fake and of DynamoDB alike:
the reservation is decided by the database's condition (never by the caller's read), a move is stored only from
the status it started from, compensation and payout start happen once. The fake once reserved on a line past
its validity and refused without saying what is available; these tests failed on it first."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain import events as ev
from chalicelib.domain.credit_line import CreditLineStatus
from chalicelib.domain.drawdown import Drawdown, DrawdownStatus
from chalicelib.domain.errors import (
    ConcurrentModificationError,
    CreditLimitExceededError,
    CreditLineNotActiveError,
    NotFoundError,
)
from chalicelib.domain.events import DomainEvent
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod
from tests.integration.builders import active_line, freeze, key, requested_drawdown, reserve
from tests.unit.test_application_states import new_app


def expired_line(repo: Any) -> Any:
    line = active_line(repo, 10_000)
    app = new_app()  # a second line, activated already past its end (as a line is once its validity runs out)
    repo.add_application(app)
    app = repo.get_application(app.application_id)
    expired = replace(line, credit_line_id=f"line_{uuid.uuid4().hex}", application_id=app.application_id,
                      valid_until=datetime.now(UTC) - timedelta(minutes=1), version=0)
    repo.activate_credit_line(app, expired, DomainEvent(ev.CREDIT_LINE_ACTIVATED, expired.credit_line_id, "test"))
    return expired


def test_reservations_never_overdraw_the_line(repo: Any) -> None:
    line = active_line(repo, 10_000)
    reserved = 0
    for _ in range(5):
        dd = requested_drawdown(repo, line, 3_000)
        try:
            reserve(repo, dd)
            reserved += 1
        except CreditLimitExceededError as err:
            assert err.details == {"available_fen": 100_000}  # refused with what is available
    assert reserved == 3
    assert repo.get_credit_line(line.credit_line_id).available == Money.yuan(1_000)


def test_a_line_past_its_validity_reserves_nothing(repo: Any) -> None:
    line = expired_line(repo)
    dd = requested_drawdown(repo, line, 1_000)
    with pytest.raises(CreditLineNotActiveError):
        reserve(repo, dd)
    assert repo.get_credit_line(line.credit_line_id).available == line.limit
    assert repo.get_drawdown(dd.drawdown_id).status is DrawdownStatus.REQUESTED


def test_a_frozen_line_reserves_nothing(repo: Any) -> None:
    line = active_line(repo)
    freeze(repo, line.credit_line_id)
    with pytest.raises(CreditLineNotActiveError):
        reserve(repo, requested_drawdown(repo, line, 1_000))
    assert repo.get_credit_line(line.credit_line_id).available == line.limit


def test_a_move_is_stored_only_from_the_status_it_started_from(repo: Any) -> None:
    """Two workers read the same REQUESTED drawdown and both reserve: one reservation, the line debited once,
    one LimitReserved in either history; the second is told the drawdown moved meanwhile."""
    line = active_line(repo)
    dd = requested_drawdown(repo, line, 1_000)
    late = repo.get_drawdown(dd.drawdown_id)
    reserve(repo, dd)
    with pytest.raises(ConcurrentModificationError):
        reserve(repo, late)
    assert repo.get_credit_line(line.credit_line_id).available == Money.yuan(9_000)
    assert [e["event"] for e in repo.audit_trail(dd.drawdown_id)] == [ev.DRAWDOWN_REQUESTED, ev.LIMIT_RESERVED]
    assert [e["event"] for e in repo.audit_trail(line.credit_line_id)].count(ev.LIMIT_RESERVED) == 1


def test_a_move_the_domain_never_made_is_not_stored(repo: Any) -> None:
    line = active_line(repo)
    dd = requested_drawdown(repo, line, 1_000)
    forged = repo.get_drawdown(dd.drawdown_id)
    forged.status = DrawdownStatus.RESERVED  # set by hand, not by Drawdown.reserve: no move, no event
    with pytest.raises(ValueError, match="no move"):
        repo.reserve_limit(forged)
    assert repo.get_credit_line(line.credit_line_id).available == line.limit


def test_an_idempotency_key_returns_the_first_drawdown(repo: Any) -> None:
    line = active_line(repo)
    idem = key()
    first = requested_drawdown(repo, line, 1_000, idem)
    again = Drawdown.request(drawdown_id=f"dd_{key()}", credit_line_id=line.credit_line_id, customer_id="c1",
                             amount=Money.yuan(2_000), term_months=12,
                             repayment_method=RepaymentMethod.EQUAL_INSTALMENT, account_no=line.payout_account_no,
                             request_hash="different")
    stored = repo.add_drawdown(again, f"key-{idem}")
    assert (stored.drawdown_id, stored.request_hash) == (first.drawdown_id, first.request_hash)
    with pytest.raises(NotFoundError):
        repo.get_drawdown(again.drawdown_id)
    assert repo.drawdown_for_key("c1", f"key-{idem}").drawdown_id == first.drawdown_id
    assert repo.drawdown_for_key("someone-else", f"key-{idem}") is None  # a key is the customer's own
    assert repo.drawdown_for_key("c1", "key-never-used") is None


def test_a_release_happens_once_and_restores_the_line(repo: Any) -> None:
    line = active_line(repo)
    dd = requested_drawdown(repo, line, 4_000)
    reserve(repo, dd)
    late = repo.get_drawdown(dd.drawdown_id)  # a second worker read it reserved too
    dd.release("DisbursementRefusedError", "test")
    late.release("DisbursementRefusedError", "test")
    assert repo.release_reservation(dd)
    assert not repo.release_reservation(late)
    assert repo.get_credit_line(line.credit_line_id).available == Money.yuan(10_000)
    stored = repo.get_drawdown(dd.drawdown_id)
    assert (stored.status, stored.failure_reason) == (DrawdownStatus.FAILED, "DisbursementRefusedError")
    assert [e["event"] for e in repo.audit_trail(line.credit_line_id)].count(ev.RESERVATION_RELEASED) == 1


def test_a_line_with_a_reservation_cannot_be_closed_even_if_the_caller_read_it_unused(repo: Any) -> None:
    line = active_line(repo, 10_000)
    read_before = repo.get_credit_line(line.credit_line_id)  # unused when read...
    dd = requested_drawdown(repo, line, 1_000)
    reserve(repo, dd)  # ...then a drawdown reserves
    assert not repo.close_credit_line(read_before, DomainEvent(ev.CREDIT_LINE_CLOSED, line.credit_line_id, "test"))
    assert repo.get_credit_line(line.credit_line_id).status is CreditLineStatus.ACTIVE
    dd.release("test", "test")
    assert repo.release_reservation(dd)
    assert repo.close_credit_line(read_before, DomainEvent(ev.CREDIT_LINE_CLOSED, line.credit_line_id, "test"))
    assert repo.get_credit_line(line.credit_line_id).status is CreditLineStatus.CLOSED
    assert not repo.close_credit_line(read_before, DomainEvent(ev.CREDIT_LINE_CLOSED, line.credit_line_id, "test"))


def test_a_payout_is_claimed_only_while_the_line_is_active_and_once(repo: Any) -> None:
    line = active_line(repo)
    dd = requested_drawdown(repo, line, 1_000)
    reserve(repo, dd)
    dd.start_payout("test", datetime.now(UTC))
    repo.claim_payout(dd)
    started = repo.get_drawdown(dd.drawdown_id).payout_started_at
    assert started is not None
    again = repo.get_drawdown(dd.drawdown_id)
    assert not again.start_payout("test", datetime.now(UTC))  # a retried step: already started
    repo.claim_payout(again)
    assert repo.get_drawdown(dd.drawdown_id).payout_started_at == started
    assert [e["event"] for e in repo.audit_trail(dd.drawdown_id)].count(ev.PAYOUT_STARTED) == 1
    other = requested_drawdown(repo, line, 1_000)
    reserve(repo, other)
    freeze(repo, line.credit_line_id)
    other.start_payout("test", datetime.now(UTC))
    with pytest.raises(CreditLineNotActiveError):
        repo.claim_payout(other)
    assert repo.get_drawdown(other.drawdown_id).payout_started_at is None
    assert ev.PAYOUT_STARTED not in [e["event"] for e in repo.audit_trail(other.drawdown_id)]


def test_a_stale_copy_of_a_drawdown_is_not_saved(repo: Any) -> None:
    line = active_line(repo)
    dd = requested_drawdown(repo, line, 1_000)
    reserve(repo, dd)
    mine, theirs = repo.get_drawdown(dd.drawdown_id), repo.get_drawdown(dd.drawdown_id)
    theirs.needs_attention("States.Timeout", "test")
    repo.save_drawdown(theirs)
    mine.disbursed("core-1", "test")
    with pytest.raises(ConcurrentModificationError):
        repo.save_drawdown(mine)
    stored = repo.get_drawdown(dd.drawdown_id)
    assert (stored.status, stored.failure_reason) == (DrawdownStatus.RESERVED, "States.Timeout")
    assert ev.FUNDS_DISBURSED not in [e["event"] for e in repo.audit_trail(dd.drawdown_id)]


def test_drawdowns_held_for_an_officer_are_listed_until_decided(repo: Any) -> None:
    line = active_line(repo)
    idem = key()
    dd = Drawdown.request(drawdown_id=f"dd_{idem}", credit_line_id=line.credit_line_id, customer_id="c1",
                          amount=Money.yuan(100), term_months=12, repayment_method=RepaymentMethod.EQUAL_INSTALMENT,
                          account_no=line.payout_account_no, request_hash=f"h-{idem}", held_by_warning="warn_x")
    repo.add_drawdown(dd, f"key-{idem}")
    assert dd.drawdown_id in {d.drawdown_id for d in repo.drawdowns_awaiting_approval()}
    held = repo.get_drawdown(dd.drawdown_id)
    held.approve("olivia", "checked the shop")
    repo.save_drawdown(held)
    assert dd.drawdown_id not in {d.drawdown_id for d in repo.drawdowns_awaiting_approval()}
    assert [e["event"] for e in repo.audit_trail(dd.drawdown_id)] == [ev.DRAWDOWN_AWAITS_APPROVAL,
                                                                       ev.DRAWDOWN_APPROVED]
