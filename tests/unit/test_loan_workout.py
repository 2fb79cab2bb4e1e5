"""A loan's life after payout on the in-memory fakes, the attacks and faults first: a restructuring of another
customer's loan, the same officer twice, a write-off of a current loan, a reminder at 23:00; then the whole of
each: restructured and observed for a year, written off by two officers and recovered, reminded within the rules,
and the credit-bureau report's events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.domain import ledger
from chalicelib.domain.bureau_reporting import read_file
from chalicelib.domain.collections import ContactChannel, ContactOutcome, ContactParty
from chalicelib.domain.errors import (
    InvalidTransitionError,
    NotFoundError,
    SecondOfficerRequiredError,
    ValidationError,
)
from chalicelib.domain.loan import LoanStatus
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.domain.restructuring import RestructuringKind, RestructuringOutcome, RestructuringStatus
from chalicelib.domain.write_off import WriteOffStatus
from chalicelib.services.compliance import credit_reporting
from chalicelib.services.deps import Dependencies
from chalicelib.services.monitoring import portfolio
from chalicelib.services.workout import collections, messages, restructuring, write_off
from tests.unit.test_daily_sweep import first_due, overdue_loan, swept
from tests.unit.test_services import active_line, booked_loan

REASON = "生意周转困难，需要延长还款期限"
EXTENSION = RestructuringKind.EXTENSION


def loan_of(deps: Dependencies) -> tuple[str, str]:
    line_id = active_line(deps)
    return line_id, booked_loan(deps, line_id, "key-workout-01", 12_000, M.EQUAL_INSTALMENT)


def test_another_customer_cannot_ask_to_restructure_her_loan(memory_deps: Dependencies) -> None:
    _, loan_id = loan_of(memory_deps)
    with pytest.raises(NotFoundError):
        restructuring.customer_asks(memory_deps, "bob", loan_id, EXTENSION, 6, REASON)
    assert memory_deps.repo.open_restructuring_requests() == []


def test_two_different_officers_extend_the_loan_and_it_is_observed_for_a_year(memory_deps: Dependencies) -> None:
    line_id, loan_id = loan_of(memory_deps)
    before = memory_deps.repo.get_loan(loan_id)
    asked = restructuring.customer_asks(memory_deps, "alice", loan_id, EXTENSION, 6, REASON)
    restructuring.decide(memory_deps, "olga", asked.request_id, RestructuringOutcome.APPROVE, "流水稳定，同意展期")
    with pytest.raises(SecondOfficerRequiredError):
        restructuring.decide(memory_deps, "olga", asked.request_id, RestructuringOutcome.APPROVE, "再批一次")
    assert memory_deps.repo.get_loan(loan_id).schedule == before.schedule  # one approval books nothing
    done = restructuring.decide(memory_deps, "oscar", asked.request_id, RestructuringOutcome.APPROVE, "复核同意")
    assert done.status is RestructuringStatus.APPROVED
    loan = memory_deps.repo.get_loan(loan_id)
    assert loan.term_months == 18 and loan.schedule[-1].due_date > before.schedule[-1].due_date
    assert loan.review.loan_class == "SPECIAL_MENTION" and loan.principal_account.startswith("RESTRUCTURED")
    told = [m for m in messages.messages_of(memory_deps, "alice") if m.kind == "RESTRUCTURING_APPROVED"]
    assert told and "延长6个月" in told[0].text
    assert any(t == "RESTRUCTURING_APPROVED" for _, _, t, _ in memory_deps.notifier.sent)  # type: ignore[attr-defined]
    swept(memory_deps, line_id, (first_due(memory_deps, loan_id) - memory_deps.clock.today()).days)
    after = memory_deps.repo.get_loan(loan_id)
    assert after.instalments_paid == 1 and after.review.loan_class == "SPECIAL_MENTION"  # paying, still observed
    assert memory_deps.repo.classification_history(loan_id)[-1]["reasons"] == ["RESTRUCTURED_UNDER_OBSERVATION"]
    book = ledger.balances(memory_deps.repo.ledger_of(line_id))
    assert book[ledger.restructured_loan_principal(loan_id)] == after.outstanding_principal.fen  # type: ignore[union-attr]
    assert book[ledger.loan_principal(loan_id)] == 0 and ledger.check(memory_deps.repo.ledger_of(line_id)) == []
    assert after.observed_until is not None
    year_on = datetime.combine(after.observed_until, datetime.min.time(), UTC) + timedelta(hours=9)
    memory_deps.clock.current = year_on  # type: ignore[attr-defined]
    for due in after.schedule[1:]:  # paid on time through the year of observation
        if due.due_date > memory_deps.clock.today():
            break
        swept(memory_deps, line_id, 0)
    memory_deps.clock.current += timedelta(days=1)  # type: ignore[attr-defined]
    swept(memory_deps, line_id)
    assert memory_deps.repo.get_loan(loan_id).review.loan_class == "NORMAL"  # observed a year, performing


def test_a_declined_request_leaves_the_loan_and_tells_her(memory_deps: Dependencies) -> None:
    _, loan_id = loan_of(memory_deps)
    asked = restructuring.customer_asks(memory_deps, "alice", loan_id, EXTENSION, 3, REASON)
    restructuring.decide(memory_deps, "olga", asked.request_id, RestructuringOutcome.DECLINE, "还款能力不足")
    assert memory_deps.repo.get_loan(loan_id).term_months == 12
    assert [m.kind for m in messages.messages_of(memory_deps, "alice")] == ["RESTRUCTURING_DECLINED"]
    again = restructuring.customer_asks(memory_deps, "alice", loan_id, EXTENSION, 3, REASON)  # she may ask again
    assert again.status is RestructuringStatus.AWAITING_FIRST_DECISION


def test_a_current_loan_is_not_written_off(memory_deps: Dependencies) -> None:
    _, loan_id = loan_of(memory_deps)
    with pytest.raises(InvalidTransitionError) as refused:
        write_off.propose_or_confirm(memory_deps, "olga", loan_id, "想把这笔贷款核销掉试试")
    assert refused.value.code == "WRITE_OFF_NOT_ELIGIBLE" and memory_deps.repo.get_write_off(loan_id) is None


def test_a_loss_is_written_off_only_when_a_second_officer_confirms_and_recoveries_are_credited(
        memory_deps: Dependencies) -> None:
    line_id, loan_id = overdue_loan(memory_deps)
    swept(memory_deps, line_id, (first_due(memory_deps, loan_id) - memory_deps.clock.today()).days + 400)
    assert memory_deps.repo.get_loan(loan_id).review.loan_class == "LOSS"  # far past 360 days
    proposed = write_off.propose_or_confirm(memory_deps, "olga", loan_id, "逾期超过360天，多次催收无果")
    assert proposed.status is WriteOffStatus.PROPOSED
    with pytest.raises(SecondOfficerRequiredError):
        write_off.propose_or_confirm(memory_deps, "olga", loan_id, "我自己确认核销")
    assert memory_deps.repo.get_loan(loan_id).status is LoanStatus.ACTIVE
    done = write_off.propose_or_confirm(memory_deps, "oscar", loan_id, "核实催收记录，同意核销")
    loan = memory_deps.repo.get_loan(loan_id)
    assert done.status is WriteOffStatus.CONFIRMED and loan.status is LoanStatus.WRITTEN_OFF
    book = ledger.balances(memory_deps.repo.ledger_of(line_id))
    assert book[ledger.loan_principal(loan_id)] == 0 and book[ledger.interest_receivable(loan_id)] == 0
    assert book[f"{ledger.WRITTEN_OFF_LOANS}:{loan_id}"] == loan.written_off_fen > loan.outstanding_principal.fen  # type: ignore[union-attr]
    assert memory_deps.repo.get_credit_line(line_id).status.value == "FROZEN"
    with pytest.raises(InvalidTransitionError):
        write_off.propose_or_confirm(memory_deps, "olivia", loan_id, "再核销一次试试看")
    swept(memory_deps, line_id, 1)  # written off: neither collected nor classified, but counted off balance
    figures = portfolio.portfolio(memory_deps)
    assert figures["written_off"] == {"loans": 1, "fen": loan.written_off_fen, "recovered_fen": 0}
    memory_deps.core_banking.refuse_collections = False  # type: ignore[attr-defined]
    got = write_off.record_recovery(memory_deps, "olga", loan_id, Money(300_000), "rec-key-0001")
    assert got["owed_after_fen"] == loan.written_off_fen - 300_000
    assert memory_deps.repo.get_loan(loan_id).recovered_fen == 300_000
    with pytest.raises(ValidationError):
        write_off.record_recovery(memory_deps, "olga", loan_id, Money(loan.written_off_fen), "rec-key-0002")
    assert ledger.check(memory_deps.repo.ledger_of(line_id)) == []


def test_reminders_before_on_and_after_the_due_date_and_none_at_23_00(memory_deps: Dependencies) -> None:
    line_id, loan_id = loan_of(memory_deps)
    due = first_due(memory_deps, loan_id)
    memory_deps.core_banking.refuse_collections = True  # type: ignore[attr-defined]
    at_23 = datetime.combine(due - timedelta(days=3), datetime.min.time(), UTC) + timedelta(hours=15)
    memory_deps.clock.current = at_23  # type: ignore[attr-defined]
    swept(memory_deps, line_id)  # 23:00 Beijing, three days before: queued, not sent
    def sent() -> list[str]:
        return [t for _, _, t, _ in memory_deps.notifier.sent if t.startswith("REMINDER_")]  # type: ignore[attr-defined]

    assert sent() == []
    case = collections.case_of(memory_deps, "alice")
    assert [r.kind.value for r in case.pending] == ["DUE_IN_3_DAYS"]
    memory_deps.clock.current += timedelta(hours=10)  # type: ignore[attr-defined]  # 09:00 the next morning
    swept(memory_deps, line_id)
    assert sent() == ["REMINDER_DUE_IN_3_DAYS"]
    phones = {p for _, p, t, _ in memory_deps.notifier.sent if t.startswith("REMINDER_")}  # type: ignore[attr-defined]
    assert phones == {"13800138000"}  # the borrower's own phone, no one else's
    for days in (2, 1, 6):  # the due date, a day late, a week late
        swept(memory_deps, line_id, days)
    assert sent() == ["REMINDER_DUE_IN_3_DAYS", "REMINDER_DUE_TODAY", "REMINDER_MISSED_1_DAY",
                      "REMINDER_MISSED_7_DAYS"]
    swept(memory_deps, line_id)  # the same day again: nothing twice
    assert len(sent()) == 4
    assert messages.messages_of(memory_deps, "alice")[0].title == "逾期提醒"
    case = collections.case_of(memory_deps, "alice")
    assert case.days_past_due == 7 and case.bucket == "1-30"
    assert [c.customer_id for c in collections.worklist(memory_deps)] == ["alice"]


def test_an_officer_logs_contacts_within_the_rules_and_a_broken_promise_escalates(memory_deps: Dependencies) -> None:
    line_id, loan_id = overdue_loan(memory_deps)
    swept(memory_deps, line_id, (first_due(memory_deps, loan_id) - memory_deps.clock.today()).days + 10)
    with pytest.raises(ValidationError) as family:
        collections.log_contact(memory_deps, "olga", "alice", ContactParty.THIRD_PARTY, ContactChannel.PHONE,
                                ContactOutcome.REACHED, "联系了她的丈夫")
    assert family.value.code == "THIRD_PARTY_CONTACT_FORBIDDEN"
    now = memory_deps.clock.now()
    memory_deps.clock.current = now.replace(hour=14)  # type: ignore[attr-defined]  # 22:00 Beijing
    with pytest.raises(ValidationError) as night:
        collections.log_contact(memory_deps, "olga", "alice", ContactParty.BORROWER, ContactChannel.PHONE,
                                ContactOutcome.REACHED, "")
    assert night.value.code == "OUTSIDE_CONTACT_HOURS"
    memory_deps.clock.current = now  # type: ignore[attr-defined]
    collections.log_contact(memory_deps, "olga", "alice", ContactParty.BORROWER, ContactChannel.PHONE,
                            ContactOutcome.PROMISED, "承诺三天内还款")
    collections.promise_to_pay(memory_deps, "olga", "alice", Money(105_000), memory_deps.clock.today() + timedelta(3))
    swept(memory_deps, line_id, 4)
    case = collections.case_of(memory_deps, "alice")
    assert case.promises[0].status.value == "BROKEN" and case.escalation == 1
    assert "PromiseToPayBroken" in [e["event"] for e in memory_deps.repo.audit_trail("alice")]


def test_the_bureau_report_carries_the_restructuring_and_the_write_off(memory_deps: Dependencies) -> None:
    _, loan_id = loan_of(memory_deps)
    asked = restructuring.customer_asks(memory_deps, "alice", loan_id, EXTENSION, 6, REASON)
    for officer in ("olga", "oscar"):
        restructuring.decide(memory_deps, officer, asked.request_id, RestructuringOutcome.APPROVE, "同意展期申请")
    credit_reporting.report(memory_deps, date(2026, 1, 31), "olivia")
    rows = {r["account_id"]: r for r in read_file(memory_deps.bureau_files.get(date(2026, 1, 31)))[1]}  # type: ignore[attr-defined]
    assert "RESTRUCTURED" in rows[loan_id]["events"] and rows[loan_id]["five_category"] == "SPECIAL_MENTION"

    other_line, lost = overdue_loan(memory_deps)
    swept(memory_deps, other_line, (first_due(memory_deps, lost) - memory_deps.clock.today()).days + 400)
    for officer in ("olga", "oscar"):
        write_off.propose_or_confirm(memory_deps, officer, lost, "逾期超过360天，多次催收无果")
    month_end = (memory_deps.clock.today().replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    credit_reporting.report(memory_deps, month_end, "olivia")
    rows = {r["account_id"]: r for r in read_file(memory_deps.bureau_files.get(month_end))[1]}  # type: ignore[attr-defined]
    assert rows[lost]["status"] == "WRITTEN_OFF" and "WRITTEN_OFF" in rows[lost]["events"]
    assert rows[lost]["balance_fen"] == memory_deps.repo.get_loan(lost).written_off_fen
