"""The repository contract for loans after payout: repayments (once, over the balance read, restoring the line),
the one claim between collection and booking, interest accrued once per instalment, lateness that freezes the
line unless a collection won, and the ledger - asked of the in-memory fake and of DynamoDB alike."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from chalicelib.domain import events as ev
from chalicelib.domain import ledger
from chalicelib.domain.credit_line import CreditLineStatus, LineChange
from chalicelib.domain.events import DomainEvent
from chalicelib.domain.loan import LoanStatus, RepaymentClaim
from chalicelib.domain.money import Money
from chalicelib.domain.repayment import customer_repayment_scope
from tests.integration.builders import active_line, booked_loan, key

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def record(loan: Any, principal_fen: int, idem: str) -> dict[str, Any]:
    return {"kind": "EARLY_REPAYMENT", "scope": customer_repayment_scope(loan.customer_id), "idempotency_key": idem,
            "repayment_id": f"rep_{idem}", "loan_id": loan.loan_id, "principal_fen": principal_fen,
            "interest_fen": 0, "total_fen": principal_fen, "core_reference": f"core-{idem}"}


def repay(repo: Any, loan: Any, principal_fen: int, idem: str) -> bool:
    rec = record(loan, principal_fen, idem)
    return repo.apply_repayment(  # type: ignore[no-any-return]
        loan, rec, [ledger.repayment(rec["repayment_id"], loan.loan_id, Money(principal_fen), Money(0))],
        DomainEvent(ev.LOAN_REPAID, loan.loan_id, "test", {"principal_fen": principal_fen}),
        loan.status_after_repaying(Money(principal_fen)))


def test_a_repayment_applies_once_over_the_balance_read_and_restores_the_line(repo: Any) -> None:
    line = active_line(repo, 10_000)
    loan = booked_loan(repo, line, 1_000)
    idem = key()
    assert repay(repo, loan, 40_000, idem)
    assert not repay(repo, loan, 40_000, idem)  # the same repayment again: its record exists
    assert not repay(repo, loan, 10_000, key())  # another one over the balance read before: stale
    after = repo.get_loan(loan.loan_id)
    assert (after.outstanding_principal, after.status) == (Money(60_000), LoanStatus.ACTIVE)
    assert repo.get_credit_line(line.credit_line_id).available == Money.yuan(9_400)
    assert repo.get_repayment(customer_repayment_scope("c1"), idem)["principal_fen"] == 40_000
    assert repo.get_repayment(customer_repayment_scope("someone-else"), idem) is None
    assert ev.LOAN_REPAID in [e["event"] for e in repo.audit_trail(line.credit_line_id)]


def test_the_status_the_domain_decided_is_stored_and_a_closed_loan_leaves_the_active_list(repo: Any) -> None:
    line = active_line(repo, 10_000)
    loan = booked_loan(repo, line, 1_000)
    assert loan.loan_id in {x.loan_id for x in repo.active_loans()}
    assert repay(repo, loan, 100_000, key())
    closed = repo.get_loan(loan.loan_id)
    assert (closed.outstanding_principal, closed.status) == (Money(0), LoanStatus.CLOSED)
    assert loan.loan_id not in {x.loan_id for x in repo.active_loans()}
    assert repo.get_credit_line(line.credit_line_id).available == line.limit


def test_one_claim_at_a_time_and_only_over_the_balance_read(repo: Any) -> None:
    loan = booked_loan(repo, active_line(repo))
    first = RepaymentClaim(f"rep_{key()}", AT, {"principal_fen": 1})
    assert repo.claim_repayment(loan, first)
    assert not repo.claim_repayment(loan, RepaymentClaim(f"rep_{key()}", AT, {}))  # another device: refused
    assert repo.get_loan(loan.loan_id).claim.repayment_id == first.repayment_id
    repo.release_repayment_claim(loan, "rep_not_this_one")  # someone else's release changes nothing
    assert repo.get_loan(loan.loan_id).claim is not None
    repo.release_repayment_claim(loan, first.repayment_id)
    assert repo.get_loan(loan.loan_id).claim is None
    assert repay(repo, loan, 10_000, key())
    assert not repo.claim_repayment(loan, RepaymentClaim(f"rep_{key()}", AT, {}))  # quoted on the old balance


def test_interest_is_accrued_once_per_instalment_in_order(repo: Any) -> None:
    line = active_line(repo)
    loan = booked_loan(repo, line)
    txn = ledger.interest_accrual(f"acc_{key()}", loan.loan_id, Money(600))
    assert not repo.accrue_interest(loan, 2, None)  # not before the first
    assert repo.accrue_interest(loan, 1, txn)
    assert not repo.accrue_interest(loan, 1, txn)  # once
    assert repo.get_loan(loan.loan_id).accrued_through == 1
    kinds = [t.kind for t in repo.ledger_of(line.credit_line_id)]
    assert kinds == ["DISBURSEMENT", "INTEREST_ACCRUAL"]
    assert {t.transaction_id for t in repo.ledger_of(line.credit_line_id)} <= {
        t.transaction_id for t in repo.all_ledger_transactions()}


def test_a_late_loan_freezes_its_line_unless_a_collection_won(repo: Any) -> None:
    line = active_line(repo)
    loan = booked_loan(repo, line)
    since = loan.schedule[0].due_date.isoformat()
    stale = repo.get_loan(loan.loan_id)
    stale.instalments_paid = loan.instalments_paid - 1  # read before an instalment was collected
    late = DomainEvent(ev.LOAN_OVERDUE, loan.loan_id, "test", {"instalment": 1})
    freeze = LineChange(line.credit_line_id, CreditLineStatus.ACTIVE, CreditLineStatus.FROZEN, late)
    assert not repo.mark_overdue(stale, since, freeze)
    assert repo.get_loan(loan.loan_id).overdue_since is None
    assert repo.get_credit_line(line.credit_line_id).status is CreditLineStatus.ACTIVE
    assert not repo.mark_overdue(loan, since, LineChange(  # the line is not what the caller read
        line.credit_line_id, CreditLineStatus.FROZEN, CreditLineStatus.FROZEN, late))
    assert repo.get_loan(loan.loan_id).overdue_since is None
    assert repo.mark_overdue(loan, since, freeze)
    assert repo.get_loan(loan.loan_id).overdue_since.isoformat() == since
    assert repo.get_credit_line(line.credit_line_id).status is CreditLineStatus.FROZEN
    assert ev.LOAN_OVERDUE in [e["event"] for e in repo.audit_trail(line.credit_line_id)]


def test_a_line_moves_only_as_the_domain_allows() -> None:
    from chalicelib.domain.credit_line import status_when_overdue
    from chalicelib.domain.errors import InvalidTransitionError

    late = DomainEvent(ev.LOAN_OVERDUE, "loan_x", "test", {})
    with pytest.raises(InvalidTransitionError):  # a closed line is never reopened, an expired one never revived
        LineChange("line_x", CreditLineStatus.CLOSED, CreditLineStatus.ACTIVE, late)
    with pytest.raises(InvalidTransitionError):
        LineChange("line_x", CreditLineStatus.EXPIRED, CreditLineStatus.FROZEN, late)
    assert status_when_overdue(CreditLineStatus.ACTIVE) is CreditLineStatus.FROZEN
    assert status_when_overdue(CreditLineStatus.EXPIRED) is CreditLineStatus.EXPIRED  # not frozen back to life
