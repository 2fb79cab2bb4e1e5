"""The credit line decides its own moves: each method returns the change the store is to write (from the status
it was read in), or nothing when the move does not apply; a move its table forbids cannot even be described."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib.domain import events as ev
from chalicelib.domain.credit_line import CreditLine, CreditLineStatus, LineChange
from chalicelib.domain.errors import InvalidTransitionError, ValidationError
from chalicelib.domain.events import DomainEvent
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod

EVENT = DomainEvent(ev.CREDIT_LINE_FROZEN, "line_1", "test")


def line(status: CreditLineStatus = CreditLineStatus.ACTIVE, limit: int = 10_000, drawn: int = 0) -> CreditLine:
    return CreditLine("line_1", "alice", "app_1", Money.yuan(limit), Money.yuan(limit - drawn), Decimal("0.072"),
                      (12,), (RepaymentMethod.EQUAL_INSTALMENT,), "6222021234567890123",
                      datetime.now(UTC) + timedelta(days=300), "INCLUSIVE_BUSINESS_LOAN", status=status)


def test_a_red_warning_freezes_an_active_line_and_nothing_else() -> None:
    change = line().freeze(EVENT)
    assert change == LineChange("line_1", CreditLineStatus.ACTIVE, CreditLineStatus.FROZEN, EVENT)
    for status in (CreditLineStatus.FROZEN, CreditLineStatus.EXPIRED, CreditLineStatus.CLOSED):
        assert line(status).freeze(EVENT) is None


def test_only_a_frozen_line_is_given_back() -> None:
    change = line(CreditLineStatus.FROZEN).unfreeze(EVENT)
    assert change is not None and (change.expected, change.new) == (CreditLineStatus.FROZEN, CreditLineStatus.ACTIVE)
    assert line(CreditLineStatus.ACTIVE).unfreeze(EVENT) is None
    assert line(CreditLineStatus.CLOSED).unfreeze(EVENT) is None


def test_a_late_loan_freezes_an_active_line_and_leaves_an_expired_one_expired() -> None:
    assert line().fall_overdue(EVENT).new is CreditLineStatus.FROZEN
    expired = line(CreditLineStatus.EXPIRED).fall_overdue(EVENT)
    assert (expired.expected, expired.new) == (CreditLineStatus.EXPIRED, CreditLineStatus.EXPIRED)


def test_a_limit_cut_is_below_the_limit_and_never_below_what_is_drawn() -> None:
    drawn = line(limit=10_000, drawn=4_000)
    cut = drawn.cut_limit(Money.yuan(6_000), EVENT, give_back=False)
    assert cut.reduction_fen == Money.yuan(4_000).fen and cut.new is CreditLineStatus.ACTIVE
    for refused in (Money.yuan(3_999), Money.yuan(10_000), Money.yuan(12_000)):
        with pytest.raises(ValidationError):
            drawn.cut_limit(refused, EVENT, give_back=False)


def test_a_cut_that_settles_the_freezing_warning_gives_the_line_back() -> None:
    frozen = line(CreditLineStatus.FROZEN, drawn=1_000)
    assert frozen.cut_limit(Money.yuan(5_000), EVENT, give_back=True).new is CreditLineStatus.ACTIVE
    assert frozen.cut_limit(Money.yuan(5_000), EVENT, give_back=False).new is CreditLineStatus.FROZEN
    assert line(drawn=1_000).cut_limit(Money.yuan(5_000), EVENT, give_back=True).new is CreditLineStatus.ACTIVE


def test_a_move_the_table_forbids_cannot_be_described() -> None:
    with pytest.raises(InvalidTransitionError):
        LineChange("line_1", CreditLineStatus.CLOSED, CreditLineStatus.ACTIVE, EVENT)
    with pytest.raises(InvalidTransitionError):
        LineChange("line_1", CreditLineStatus.EXPIRED, CreditLineStatus.FROZEN, EVENT)
    with pytest.raises(ValueError):
        LineChange("line_1", CreditLineStatus.ACTIVE, CreditLineStatus.ACTIVE, EVENT, reduction_fen=-1)


def test_a_note_keeps_the_status_it_was_read_in() -> None:
    noted = replace(line(), status=CreditLineStatus.FROZEN).note(EVENT)
    assert (noted.expected, noted.new, noted.reduction_fen) == (CreditLineStatus.FROZEN, CreditLineStatus.FROZEN, 0)
