"""Worked accounting examples: the legs of every transaction sum to zero; corrections are reversals."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.errors import FloatMoneyError
from chalicelib.domain.ledger import (
    CLEARING,
    DEFAULT_INTEREST_INCOME,
    INTEREST_INCOME,
    LedgerTransaction,
    Leg,
    UnbalancedTransactionError,
    balances,
    check,
    disbursement,
    interest_accrual,
    interest_receivable,
    loan_principal,
    repayment,
)
from chalicelib.domain.money import Money


def test_a_loan_paid_out_and_repaid_early_leaves_only_the_interest_earned() -> None:
    accrual = interest_accrual("acc_1", "loan_1", Money(1_250))
    assert accrual is not None
    book = [disbursement("dd_1", "loan_1", Money.yuan(10_000)), accrual,
            repayment("rp_1", "loan_1", Money.yuan(10_000), Money(1_250))]
    assert balances(book) == {loan_principal("loan_1"): 0, interest_receivable("loan_1"): 0, CLEARING: 1_250,
                              INTEREST_INCOME: -1_250}
    assert check(book) == []


def test_interest_is_income_when_accrued_and_a_receivable_until_collected() -> None:
    accrual = interest_accrual("acc_2", "loan_2", Money(300), default_interest=Money(45))
    assert accrual is not None and accrual.kind == "INTEREST_ACCRUAL"
    assert balances([accrual]) == {interest_receivable("loan_2"): 345, INTEREST_INCOME: -300,
                                   DEFAULT_INTEREST_INCOME: -45}
    assert interest_accrual("acc_3", "loan_2", Money(0)) is None  # nothing earned: no zero legs


def test_unbalanced_or_float_transactions_are_refused() -> None:
    with pytest.raises(UnbalancedTransactionError):
        LedgerTransaction("X", "r", (Leg("A", debit=Money(100)), Leg("B", credit=Money(99))))
    with pytest.raises(UnbalancedTransactionError):
        Leg("A", debit=Money(1), credit=Money(1))
    with pytest.raises(FloatMoneyError):
        Leg("A", debit=100.0)  # type: ignore[arg-type]


@given(st.lists(st.tuples(st.integers(1, 10**9), st.integers(0, 10**7)), max_size=30))
def test_any_sequence_of_loans_and_repayments_balances(flows: list[tuple[int, int]]) -> None:
    book = []
    for i, (principal, interest) in enumerate(flows):
        book.append(disbursement(f"dd_{i}", f"loan_{i}", Money(principal)))
        book.append(repayment(f"rp_{i}", f"loan_{i}", Money(principal), Money(interest)))
    assert check(book) == []
    assert all(balances(book).get(loan_principal(f"loan_{i}"), 0) == 0 for i in range(len(flows)))
