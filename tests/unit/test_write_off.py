"""Write-off (核销) in the domain: only a loss, two different officers (unless a setting allows one below an
amount), off the balance sheet with its memorandum, and recoveries credited afterwards."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from chalicelib.domain.errors import InvalidTransitionError, SecondOfficerRequiredError, ValidationError
from chalicelib.domain.ledger import (
    CLEARING,
    LOAN_LOSS_ALLOWANCE,
    WRITTEN_OFF_LOANS,
    WRITTEN_OFF_LOANS_CONTRA,
    balances,
    check,
    interest_receivable,
    loan_principal,
)
from chalicelib.domain.loan import Loan, LoanReview, LoanStatus, new_loan
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.domain.write_off import WriteOffProposal, WriteOffStatus, recover, write_off

NOW = datetime(2027, 9, 1, 2, 0, tzinfo=UTC)
REASON = "逾期超过360天，多次催收无果，借款人已停业"


def lost(loan_class: str = "LOSS") -> Loan:
    ln = new_loan("loan_1", "dd_1", "line_1", "alice", Money.yuan(50_000), Decimal("0.0720"), 12, M.EQUAL_INSTALMENT,
                  date(2026, 1, 15))
    ln.review = LoanReview(loan_class, "90+", 400)
    return ln


def test_a_current_loan_cannot_be_written_off() -> None:
    for loan_class in ("NORMAL", "SPECIAL_MENTION", "SUBSTANDARD", "DOUBTFUL"):
        with pytest.raises(InvalidTransitionError) as refused:
            WriteOffProposal.propose(lost(loan_class), "olga", REASON, NOW)
        assert refused.value.code == "WRITE_OFF_NOT_ELIGIBLE"


def test_the_proposer_cannot_confirm_her_own_write_off() -> None:
    proposal = WriteOffProposal.propose(lost(), "olga", REASON, NOW)
    with pytest.raises(SecondOfficerRequiredError):
        proposal.confirm("olga", "我确认", NOW, single_officer_max_fen=0)
    proposal.confirm("oscar", "核实无误，同意核销", NOW, single_officer_max_fen=0)
    assert proposal.status is WriteOffStatus.CONFIRMED and proposal.decided_by == "oscar"


def test_one_officer_is_enough_only_below_the_settings_amount() -> None:
    small = WriteOffProposal.propose(lost(), "olga", REASON, NOW)
    assert small.needs_second_officer(0) and small.needs_second_officer(small.amount_fen - 1)
    assert not small.needs_second_officer(small.amount_fen)
    small.confirm("olga", "小额核销，本人确认", NOW, single_officer_max_fen=small.amount_fen)
    assert small.status is WriteOffStatus.CONFIRMED


def test_the_loan_leaves_the_balance_sheet_into_the_memorandum_and_recoveries_come_back() -> None:
    ln = lost()
    proposal = WriteOffProposal.propose(ln, "olga", REASON, NOW)
    proposal.confirm("oscar", "核实无误，同意核销", NOW, 0)
    change = write_off(ln, proposal, Money(12_345), NOW.date(), NOW)
    principal = ln.outstanding_principal.fen  # type: ignore[union-attr]
    assert change.written_off_fen == principal + 12_345 and check(list(change.ledger)) == []
    assert balances(change.ledger) == {
        LOAN_LOSS_ALLOWANCE: principal + 12_345, loan_principal("loan_1"): -principal,
        interest_receivable("loan_1"): -12_345, f"{WRITTEN_OFF_LOANS}:loan_1": principal + 12_345,
        WRITTEN_OFF_LOANS_CONTRA: -(principal + 12_345)}
    ln.status, ln.written_off_fen = LoanStatus.WRITTEN_OFF, change.written_off_fen
    with pytest.raises(ValidationError):
        recover(ln, "rec_1", Money(change.written_off_fen + 1), "officer:olga", NOW)  # never more than owed
    got = recover(ln, "rec_1", Money(100_000), "officer:olga", NOW)
    after = balances([*change.ledger, *got.ledger])
    assert after[CLEARING] == 100_000 and after[LOAN_LOSS_ALLOWANCE] == principal + 12_345 - 100_000
    assert after[f"{WRITTEN_OFF_LOANS}:loan_1"] == principal + 12_345 - 100_000


def test_a_written_off_loan_takes_no_repayment_and_no_second_write_off() -> None:
    ln = lost()
    ln.status = LoanStatus.WRITTEN_OFF
    with pytest.raises(InvalidTransitionError):
        ln.status_after_repaying(Money(100))
    with pytest.raises(InvalidTransitionError):
        WriteOffProposal.propose(ln, "olga", REASON, NOW)
    active = lost()
    with pytest.raises(InvalidTransitionError):
        recover(active, "rec_1", Money(100), "officer:olga", NOW)  # recoveries are for written-off loans
