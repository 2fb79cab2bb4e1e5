"""Worked accounting examples: the legs of every transaction sum to zero; corrections are reversals."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.errors import FloatMoneyError
from chalicelib.domain.ledger import (
    CLEARING,
    INTEREST_INCOME,
    LedgerTransaction,
    Leg,
    UnbalancedTransactionError,
    balances,
    check,
    disbursement,
    loan_principal,
    repayment,
)
from chalicelib.domain.money import Money


def test_a_loan_paid_out_and_repaid_early_leaves_only_the_interest_earned() -> None:
    book = [disbursement("dd_1", "loan_1", Money.yuan(10_000)),
            repayment("rp_1", "loan_1", Money.yuan(10_000), Money(1_250))]
    assert balances(book) == {loan_principal("loan_1"): 0, CLEARING: 1_250, INTEREST_INCOME: -1_250}
    assert check(book) == []


def test_unbalanced_or_float_transactions_are_refused() -> None:
    with pytest.raises(UnbalancedTransactionError):
        LedgerTransaction("X", "r", (Leg("A", debit=Money(100)), Leg("B", credit=Money(99))))
    with pytest.raises(UnbalancedTransactionError):
        Leg("A", debit=Money(1), credit=Money(1))
    with pytest.raises(FloatMoneyError):
        Leg("A", debit=100.0)  # type: ignore[arg-type]


def test_a_correction_is_a_reversal_that_names_the_original() -> None:
    original = disbursement("dd_2", "loan_2", Money.yuan(5_000))
    reversal = original.reversal()
    assert reversal.reverses == original.transaction_id and reversal.kind == "REVERSAL"
    assert set(balances([original, reversal]).values()) == {0}


@given(st.lists(st.tuples(st.integers(1, 10**9), st.integers(0, 10**7)), max_size=30))
def test_any_sequence_of_loans_and_repayments_balances(flows: list[tuple[int, int]]) -> None:
    book = []
    for i, (principal, interest) in enumerate(flows):
        book.append(disbursement(f"dd_{i}", f"loan_{i}", Money(principal)))
        book.append(repayment(f"rp_{i}", f"loan_{i}", Money(principal), Money(interest)))
    assert check(book) == []
    assert all(balances(book).get(loan_principal(f"loan_{i}"), 0) == 0 for i in range(len(flows)))
