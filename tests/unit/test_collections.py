"""Reminders and collections in the domain: the reminder days, the contact rules the code enforces (the borrower
only, 8:00-21:00 Beijing, a weekly cap) and promises to pay that escalate when broken."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from chalicelib.domain.collections import (
    CollectionCase,
    ContactChannel,
    ContactOutcome,
    ContactParty,
    ContactPolicy,
    LoanArrears,
    PromiseStatus,
    ReminderKind,
    reminders_due,
)
from chalicelib.domain.errors import ValidationError
from chalicelib.domain.loan import new_loan
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod as M

LOAN = new_loan("loan_1", "dd_1", "line_1", "alice", Money.yuan(12_000), Decimal("0.06"), 12, M.EQUAL_INSTALMENT,
                date(2026, 1, 15))  # first instalment due 15 February
POLICY = ContactPolicy(max_per_week=3)


def beijing(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=8)


def test_reminders_fall_three_days_before_on_the_day_and_one_and_seven_days_after() -> None:
    kinds = {d: [r.kind for r in reminders_due(LOAN, date(2026, 2, d))] for d in range(10, 24)}
    assert {d: k for d, k in kinds.items() if k} == {
        12: [ReminderKind.DUE_IN_3_DAYS], 15: [ReminderKind.DUE_TODAY], 16: [ReminderKind.MISSED_1_DAY],
        22: [ReminderKind.MISSED_7_DAYS]}
    text = reminders_due(LOAN, date(2026, 2, 12))[0].text()
    assert "2026年2月15日" in text and "第1期" in text


def test_a_reminder_at_23_00_is_held_until_the_morning() -> None:
    case = CollectionCase("alice")
    case.queue(reminders_due(LOAN, date(2026, 2, 12)))
    late = beijing(date(2026, 2, 12), 23)
    assert case.sendable(late, POLICY) == ([], "OUTSIDE_CONTACT_HOURS")
    assert case.sendable(beijing(date(2026, 2, 13), 7, 59), POLICY)[1] == "OUTSIDE_CONTACT_HOURS"
    morning, _ = case.sendable(beijing(date(2026, 2, 13), 8), POLICY)
    assert [r.kind for r in morning] == [ReminderKind.DUE_IN_3_DAYS]


def test_an_officer_cannot_log_a_call_at_night_or_to_anyone_but_the_borrower() -> None:
    case = CollectionCase("alice")
    with pytest.raises(ValidationError) as night:
        case.log_contact("olga", ContactParty.BORROWER, ContactChannel.PHONE, ContactOutcome.REACHED, "",
                         beijing(date(2026, 3, 1), 21, 0), POLICY)
    assert night.value.code == "OUTSIDE_CONTACT_HOURS"
    with pytest.raises(ValidationError) as family:
        case.log_contact("olga", ContactParty.THIRD_PARTY, ContactChannel.PHONE, ContactOutcome.REACHED, "找了她丈夫",
                         beijing(date(2026, 3, 1), 10), POLICY)
    assert family.value.code == "THIRD_PARTY_CONTACT_FORBIDDEN" and case.contacts == ()


def test_at_most_the_weeks_number_of_contacts_reminders_included() -> None:
    case = CollectionCase("alice")
    day = date(2026, 3, 2)
    for hour in (9, 10, 11):
        case.log_contact("olga", ContactParty.BORROWER, ContactChannel.PHONE, ContactOutcome.NO_ANSWER, "",
                         beijing(day, hour), POLICY)
    with pytest.raises(ValidationError) as capped:
        case.log_contact("olga", ContactParty.BORROWER, ContactChannel.PHONE, ContactOutcome.NO_ANSWER, "",
                         beijing(day, 12), POLICY)
    assert capped.value.code == "WEEKLY_CONTACT_LIMIT"
    case.queue(reminders_due(LOAN, date(2026, 2, 16)))
    assert case.sendable(beijing(day, 13), POLICY) == ([], "WEEKLY_CONTACT_LIMIT")
    assert len(case.sendable(beijing(day + timedelta(days=7), 13), POLICY)[0]) == 1  # a week later


def test_each_reminder_is_queued_once_and_a_paid_instalments_is_dropped() -> None:
    case = CollectionCase("alice")
    assert case.queue(reminders_due(LOAN, date(2026, 2, 12))) == 1
    assert case.queue(reminders_due(LOAN, date(2026, 2, 12))) == 0  # the sweep run twice
    case.drop_paid({"loan_1": 2})  # instalment 1 paid meanwhile
    assert case.pending == ()


def test_a_broken_promise_escalates_and_a_kept_one_does_not() -> None:
    case = CollectionCase("alice", arrears=(LoanArrears("loan_1", 10, 105_000, "1-30"),))
    now = beijing(date(2026, 2, 25), 10)
    case.promise("ptp_1", "olga", Money(105_000), date(2026, 2, 28), now)
    assert case.review_promises(date(2026, 2, 28), now) == 0 and case.escalation == 0
    assert case.review_promises(date(2026, 3, 1), now) == 1
    assert case.promises[0].status is PromiseStatus.BROKEN and case.escalation == 1
    with pytest.raises(ValidationError):
        case.promise("ptp_2", "olga", Money(105_000), date(2026, 4, 30), now)  # more than 30 days away
    case.promise("ptp_2", "olga", Money(105_000), date(2026, 3, 5), now)
    case.arrears = ()
    case.review_promises(date(2026, 3, 2), now)
    assert case.promises[1].status is PromiseStatus.KEPT and case.escalation == 1
