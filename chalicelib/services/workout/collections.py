"""Reminders and collections (domain/collections.py): the daily sweep queues each borrower's reminders, reviews her
promises and sends what the rules allow; officers work the cases by delinquency bucket, log their contacts and
record promises to pay. Every rule (the borrower only, 8:00-21:00 Beijing, a weekly cap) is the domain's, checked
here before anything is sent or logged."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Protocol

from ...domain.classification import bucket_of
from ...domain.collections import (
    CollectionCase,
    ContactChannel,
    ContactOutcome,
    ContactParty,
    ContactPolicy,
    LoanArrears,
    PromiseToPay,
    reminders_due,
)
from ...domain.errors import ConcurrentModificationError, NotFoundError
from ...domain.loan import Loan
from ...domain.money import Money
from ...observability import logger, metrics
from ...ports import Clock, LendingRepository, Notifier
from ...settings import Settings
from .messages import tell_borrower

REMINDER_TITLES = {"DUE_IN_3_DAYS": "还款提醒", "DUE_TODAY": "今日还款提醒", "MISSED_1_DAY": "逾期提醒",
                   "MISSED_7_DAYS": "逾期提醒"}


class CollectionPorts(Protocol):
    """The ports the collections use cases touch, and no other."""

    clock: Clock
    notifier: Notifier
    repo: LendingRepository
    settings: Settings


def policy(settings: Settings) -> ContactPolicy:
    return ContactPolicy(settings.collection_contact_opens, settings.collection_contact_closes,
                         settings.collection_max_contacts_per_week)


def review_borrower(deps: CollectionPorts, customer_id: str, loans: list[Loan], day: date, now: datetime) -> int:
    """The sweep's look at one borrower's loans on one line: arrears noted, reminders queued, promises reviewed,
    and the reminders the rules allow sent now. Returns how many were sent. Safe to run twice for a day (each
    reminder is queued once, by its key; the case is written under the version read)."""
    for _ in range(3):  # another line's sweep of the same borrower may have written the case meanwhile
        case = deps.repo.get_collection_case(customer_id) or CollectionCase(customer_id)
        others = tuple(a for a in case.arrears if a.loan_id not in {loan.loan_id for loan in loans})
        arrears = tuple(LoanArrears(loan.loan_id, loan.days_past_due(day),
                                    sum(i.total.fen for i in loan.due_unpaid(day) if i.due_date < day),
                                    bucket_of(loan.days_past_due(day)).value)
                        for loan in loans if loan.days_past_due(day) > 0)
        queued = case.queue([r for loan in loans for r in reminders_due(loan, day)])
        case.drop_paid({loan.loan_id: (due.number if (due := loan.next_due()) else None) for loan in loans})
        changed = queued or case.arrears != others + arrears or case.pending
        case.arrears = others + arrears
        broken = case.review_promises(day, now)
        case.escalate_for_days()
        sendable, why = case.sendable(now, policy(deps.settings))
        if not (changed or broken or sendable):
            return 0
        for reminder in sendable:
            case.sent(reminder, now)
        case.updated_at = now
        if deps.repo.save_collection_case(case):
            break
    else:
        raise ConcurrentModificationError("the collection case kept changing; the next sweep tries again")
    by_id = {loan.loan_id: loan for loan in loans}
    for reminder in sendable:  # after the case is saved: a reminder is recorded as sent before it goes
        loan = by_id.get(reminder.loan_id) or deps.repo.get_loan(reminder.loan_id)
        tell_borrower(deps, customer_id, loan.credit_line_id, f"REMINDER_{reminder.kind.value}",
                      REMINDER_TITLES[reminder.kind.value], reminder.text(), reminder.loan_id)
    if why and case.pending:
        logger.info("reminders held by the contact rules", extra={"rule": why, "waiting": len(case.pending)})
    metrics.add_metric(name="RemindersSent", unit="Count", value=len(sendable))
    return len(sendable)


def worklist(deps: CollectionPorts) -> list[CollectionCase]:
    return deps.repo.collection_cases()


def case_of(deps: CollectionPorts, customer_id: str) -> CollectionCase:
    case = deps.repo.get_collection_case(customer_id)
    if case is None:
        raise NotFoundError("no collection case for this customer", {"customer_id": customer_id})
    return case


def log_contact(deps: CollectionPorts, officer_id: str, customer_id: str, party: ContactParty,
                channel: ContactChannel, outcome: ContactOutcome, note: str) -> CollectionCase:
    case = case_of(deps, customer_id)
    case.log_contact(officer_id, party, channel, outcome, note, deps.clock.now(), policy(deps.settings))
    if not deps.repo.save_collection_case(case):
        raise ConcurrentModificationError("the case changed meanwhile; read it again")
    return case


def promise_to_pay(deps: CollectionPorts, officer_id: str, customer_id: str, amount: Money,
                   promised: date) -> PromiseToPay:
    case = case_of(deps, customer_id)
    made = case.promise(f"ptp_{uuid.uuid4().hex[:12]}", officer_id, amount, promised, deps.clock.now())
    if not deps.repo.save_collection_case(case):
        raise ConcurrentModificationError("the case changed meanwhile; read it again")
    return made
