"""A loan's life after payout as the repository keeps it, on the in-memory fake and on DynamoDB (moto): one open
restructuring per loan, decided under its version and booked with the loan in one transaction (refused when the
loan moved); one write-off per loan, booked only from ACTIVE; a recovery once; the collection case under its
version; her messages newest first."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain import ledger
from chalicelib.domain.collections import CollectionCase, LoanArrears, ReminderKind, reminders_due
from chalicelib.domain.errors import ConcurrentModificationError, NotFoundError
from chalicelib.domain.loan import LoanReview, LoanStatus
from chalicelib.domain.money import Money
from chalicelib.domain.restructuring import (
    RestructuringKind,
    RestructuringOutcome,
    RestructuringRequest,
    RestructuringStatus,
    extend,
)
from chalicelib.domain.write_off import WriteOffProposal, WriteOffStatus, recover, write_off
from chalicelib.ports import CustomerMessage
from tests.integration.builders import active_line, booked_loan

NOW = datetime.now(UTC)


def asked(loan: Any, months: int = 6) -> RestructuringRequest:
    return RestructuringRequest.ask(f"rs_{uuid.uuid4().hex}", loan, RestructuringKind.EXTENSION, months,
                                    "进货资金周转困难，申请延期", f"customer:{loan.customer_id}", NOW)


def test_one_open_restructuring_per_loan_decided_under_its_version_and_booked_once(repo: Any) -> None:
    customer = f"c-{uuid.uuid4().hex[:8]}"
    loan = booked_loan(repo, active_line(repo, customer_id=customer))
    request = asked(loan)
    repo.add_restructuring_request(request)
    with pytest.raises(ConcurrentModificationError):
        repo.add_restructuring_request(asked(loan))  # a second while one is open
    first, stale = repo.get_restructuring_request(request.request_id), repo.get_restructuring_request(
        request.request_id)
    first.decide("olga", RestructuringOutcome.APPROVE, "经营正常，同意", NOW)
    repo.save_restructuring_request(first)
    stale.decide("oscar", RestructuringOutcome.DECLINE, "不同意展期", NOW)
    with pytest.raises(ConcurrentModificationError):
        repo.save_restructuring_request(stale)  # decided meanwhile
    assert [r.request_id for r in repo.open_restructuring_requests() if r.loan_id == loan.loan_id] == [
        request.request_id]
    second = repo.get_restructuring_request(request.request_id)
    second.decide("oscar", RestructuringOutcome.APPROVE, "复核同意展期", NOW)
    change = extend(loan, second, NOW.date(), NOW)
    moved = repo.get_loan(loan.loan_id)
    moved.outstanding_principal = moved.outstanding_principal - Money(1)  # as if read before a repayment
    assert not repo.restructure_loan(moved, second, change)
    assert repo.restructure_loan(loan, second, change)
    stored = repo.get_loan(loan.loan_id)
    assert stored.term_months == 18 and stored.extended_months == 6 and stored.restructured_on == NOW.date()
    assert stored.review.loan_class == "SPECIAL_MENTION" and stored.observed_until == change.observed_until
    assert stored.schedule == change.schedule and stored.principal_account == ledger.restructured_loan_principal(
        loan.loan_id)
    assert [c["request_id"] for c in repo.closed_schedules(loan.loan_id)] == [request.request_id]
    assert len(repo.closed_schedules(loan.loan_id)[0]["schedule"]) == 12
    assert repo.classification_history(loan.loan_id)[-1]["to"] == "SPECIAL_MENTION"
    assert ledger.balances(repo.ledger_of(loan.credit_line_id))[ledger.loan_principal(loan.loan_id)] == 0
    assert repo.get_restructuring_request(request.request_id).status is RestructuringStatus.APPROVED
    assert not any(r.loan_id == loan.loan_id for r in repo.open_restructuring_requests())
    assert [r.request_id for r in repo.restructuring_requests_of(customer)] == [request.request_id]
    assert "LoanRestructured" in [e["event"] for e in repo.audit_trail(loan.loan_id)]
    repo.add_restructuring_request(asked(stored, 3))  # decided: the loan may be asked about again
    with pytest.raises(NotFoundError):
        repo.get_restructuring_request("rs_" + "0" * 32)


def test_a_write_off_once_only_from_active_and_a_recovery_once(repo: Any) -> None:
    line = active_line(repo, customer_id=f"c-{uuid.uuid4().hex[:8]}")
    loan = booked_loan(repo, line)
    assert repo.record_review(loan, LoanReview("LOSS", "90+", 400), ("OVERDUE_OVER_LOSS_THRESHOLD",), NOW)
    loan = repo.get_loan(loan.loan_id)
    proposal = WriteOffProposal.propose(loan, "olga", "逾期超过360天，催收无果", NOW)
    repo.propose_write_off(proposal)
    with pytest.raises(ConcurrentModificationError):
        repo.propose_write_off(WriteOffProposal.propose(loan, "olivia", "逾期超过360天，催收无果", NOW))
    assert [p.loan_id for p in repo.open_write_offs() if p.loan_id == loan.loan_id] == [loan.loan_id]
    held = repo.get_write_off(loan.loan_id)
    held.confirm("oscar", "核实无误，同意核销", NOW, 0)
    change = write_off(loan, held, Money(0), NOW.date(), NOW)
    line_now = repo.get_credit_line(line.credit_line_id)
    assert repo.write_off_loan(loan, held, change, line_now.freeze(change.event))
    assert not repo.write_off_loan(loan, held, change, None)  # the loan is no longer as read
    stored = repo.get_loan(loan.loan_id)
    assert stored.status is LoanStatus.WRITTEN_OFF and stored.written_off_fen == loan.outstanding_principal.fen
    assert repo.get_write_off(loan.loan_id).status is WriteOffStatus.CONFIRMED
    assert repo.get_credit_line(line.credit_line_id).status.value == "FROZEN"
    assert loan.loan_id not in [ln.loan_id for ln in repo.active_loans()]
    assert not any(p.loan_id == loan.loan_id for p in repo.open_write_offs())
    got = recover(stored, f"rec_{uuid.uuid4().hex[:8]}", Money(10_000), "officer:olga", NOW)
    assert repo.record_recovery(stored, got, {"amount_fen": 10_000})
    assert not repo.record_recovery(stored, got, {"amount_fen": 10_000})  # once
    assert repo.get_loan(loan.loan_id).recovered_fen == 10_000
    book = ledger.balances(repo.ledger_of(line.credit_line_id))
    assert book[f"{ledger.WRITTEN_OFF_LOANS}:{loan.loan_id}"] == loan.outstanding_principal.fen - 10_000


def test_a_declined_write_off_may_be_proposed_again(repo: Any) -> None:
    loan = booked_loan(repo, active_line(repo, customer_id=f"c-{uuid.uuid4().hex[:8]}"))
    assert repo.record_review(loan, LoanReview("LOSS", "90+", 400), (), NOW)
    loan = repo.get_loan(loan.loan_id)
    repo.propose_write_off(WriteOffProposal.propose(loan, "olga", "逾期超过360天，催收无果", NOW))
    held = repo.get_write_off(loan.loan_id)
    held.decline("oscar", "仍有还款来源", NOW)
    repo.save_write_off(held)
    stale = repo.get_write_off(loan.loan_id)
    stale.version -= 1
    with pytest.raises(ConcurrentModificationError):
        repo.save_write_off(stale)
    repo.propose_write_off(WriteOffProposal.propose(loan, "olga", "再次核实，确认无法收回", NOW))
    assert repo.get_write_off(loan.loan_id).status is WriteOffStatus.PROPOSED


def test_the_collection_case_under_its_version_and_the_worklist_most_late_first(repo: Any) -> None:
    a, b = f"a-{uuid.uuid4().hex[:8]}", f"b-{uuid.uuid4().hex[:8]}"
    assert repo.get_collection_case(a) is None
    loan = booked_loan(repo, active_line(repo, customer_id=a))
    case = CollectionCase(a, arrears=(LoanArrears(loan.loan_id, 12, 90_000, "1-30"),))
    case.queue(reminders_due(loan, loan.schedule[0].due_date - timedelta(days=3)))
    assert repo.save_collection_case(case)
    stale = CollectionCase(a)
    assert not repo.save_collection_case(stale)  # created by another run meanwhile
    stored = repo.get_collection_case(a)
    assert stored.version == 1 and [r.kind for r in stored.pending] == [ReminderKind.DUE_IN_3_DAYS]
    assert stored.arrears == case.arrears
    worse = CollectionCase(b, arrears=(LoanArrears("loan_x", 95, 1_000, "90+"),))
    assert repo.save_collection_case(worse)
    mine = [c.customer_id for c in repo.collection_cases() if c.customer_id in {a, b}]
    assert mine == [b, a]
    stored.arrears = ()
    assert repo.save_collection_case(stored)  # caught up: off the worklist
    assert a not in [c.customer_id for c in repo.collection_cases()]


def test_her_messages_newest_first_and_only_hers(repo: Any) -> None:
    a, b = f"a-{uuid.uuid4().hex[:8]}", f"b-{uuid.uuid4().hex[:8]}"
    for n, who in enumerate((a, a, b)):
        repo.add_customer_message(who, CustomerMessage(f"msg_{n}", "REMINDER_DUE_TODAY", "今日还款提醒", f"第{n}条",
                                                       NOW + timedelta(minutes=n), "loan_1"))
    assert [m.message_id for m in repo.customer_messages(a)] == ["msg_1", "msg_0"]
    assert [m.message_id for m in repo.customer_messages(b)] == ["msg_2"]
    assert repo.customer_messages(a, limit=1)[0].at.date() >= date(2026, 1, 1)
