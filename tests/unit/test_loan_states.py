"""A loan's one move, decided by the domain: it closes exactly when its last fen of principal is repaid."""

import pytest

from chalicelib.domain.errors import InvalidTransitionError, ValidationError
from chalicelib.domain.loan import ALLOWED_TRANSITIONS, LoanStatus, loan_next_action
from chalicelib.domain.money import Money
from tests.unit.test_early_repayment import loan


def test_a_loan_closes_only_when_all_its_principal_is_repaid() -> None:
    active = loan(amount=10_000)
    assert active.status_after_repaying(Money.yuan(9_999)) is LoanStatus.ACTIVE
    assert active.status_after_repaying(Money.yuan(10_000)) is LoanStatus.CLOSED
    assert ALLOWED_TRANSITIONS[LoanStatus.ACTIVE] == {LoanStatus.CLOSED, LoanStatus.WRITTEN_OFF}
    assert not ALLOWED_TRANSITIONS[LoanStatus.CLOSED] and not ALLOWED_TRANSITIONS[LoanStatus.WRITTEN_OFF]


@pytest.mark.parametrize("fen", [0, -1, 1_000_001])
def test_nothing_or_more_than_is_owed_is_not_a_repayment(fen: int) -> None:
    with pytest.raises(ValidationError):
        loan(amount=10_000).status_after_repaying(Money(fen))


def test_a_closed_loan_takes_no_repayment() -> None:
    closed = loan(amount=10_000)
    closed.status = LoanStatus.CLOSED
    with pytest.raises(InvalidTransitionError):
        closed.status_after_repaying(Money(1))
    assert loan_next_action(LoanStatus.CLOSED, 0) == "NONE" and set(ALLOWED_TRANSITIONS) == set(LoanStatus)
