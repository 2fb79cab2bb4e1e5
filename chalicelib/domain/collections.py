"""Reminders and collections (贷后催收), within rules the code enforces rather than training.

Reminders go by SMS (and into the app's messages) 3 days before an instalment falls due and on the day, and after
a missed payment at 1 and 7 days. Every contact - a reminder or an officer's call or visit - is with the borrower
alone (never her family, employer or anyone else: 《关于进一步规范信贷催收行为》 and the bank's own code), between
8:00 and 21:00 Beijing time, and at most ``max_per_week`` times in any seven days (a setting). A reminder the rules
hold back waits (the sweep and the next run send it when they may); one whose instalment is paid, or that a later
reminder of the same instalment replaced, is dropped. Auto-debit tries a missed instalment again every day.

An officer logs each contact and any promise to pay (an amount, a date within 30 days). A promise whose date
passes with the loan still late is broken: the case escalates (a risk officer's call, then a visit and the legal
review) and the worklist shows it first. The case is per borrower: the rules are about a person, not a loan."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from . import events as ev
from .business_date import beijing_time, business_date
from .errors import ValidationError
from .loan import Loan
from .money import Money

PROMISE_MAX_DAYS = 30
ESCALATIONS = ("REMINDERS", "OFFICER_CALLS", "VISIT_AND_LEGAL_REVIEW")


class ReminderKind(StrEnum):
    DUE_IN_3_DAYS = "DUE_IN_3_DAYS"
    DUE_TODAY = "DUE_TODAY"
    MISSED_1_DAY = "MISSED_1_DAY"
    MISSED_7_DAYS = "MISSED_7_DAYS"

    @property
    def offset_days(self) -> int:
        return {"DUE_IN_3_DAYS": -3, "DUE_TODAY": 0, "MISSED_1_DAY": 1, "MISSED_7_DAYS": 7}[self.value]


class ContactChannel(StrEnum):
    SMS = "SMS"
    PHONE = "PHONE"
    VISIT = "VISIT"


class ContactParty(StrEnum):
    BORROWER = "BORROWER"
    THIRD_PARTY = "THIRD_PARTY"  # anyone else: refused, whoever asks


class ContactOutcome(StrEnum):
    SENT = "SENT"  # a reminder
    REACHED = "REACHED"
    NO_ANSWER = "NO_ANSWER"
    PROMISED = "PROMISED"
    REFUSED_TO_PAY = "REFUSED_TO_PAY"


class PromiseStatus(StrEnum):
    OPEN = "OPEN"
    KEPT = "KEPT"
    BROKEN = "BROKEN"


OUTSIDE_CONTACT_HOURS = "OUTSIDE_CONTACT_HOURS"
WEEKLY_CONTACT_LIMIT = "WEEKLY_CONTACT_LIMIT"
THIRD_PARTY_CONTACT_FORBIDDEN = "THIRD_PARTY_CONTACT_FORBIDDEN"


@dataclass(frozen=True)
class ContactPolicy:
    opens: time = time(8, 0)
    closes: time = time(21, 0)
    max_per_week: int = 6

    def refusal(self, now: datetime, contacts_in_week: int) -> str | None:
        """Why the borrower may not be contacted now (a code), or None."""
        local = beijing_time(now).time()
        if not self.opens <= local < self.closes:
            return OUTSIDE_CONTACT_HOURS
        if contacts_in_week >= self.max_per_week:
            return WEEKLY_CONTACT_LIMIT
        return None


@dataclass(frozen=True)
class Reminder:
    loan_id: str
    instalment: int
    kind: ReminderKind
    due_date: date
    amount_fen: int

    @property
    def key(self) -> str:
        return f"{self.loan_id}:{self.instalment}:{self.kind.value}"

    def text(self) -> str:
        amount, due = Money(self.amount_fen), f"{self.due_date.year}年{self.due_date.month}月{self.due_date.day}日"
        if self.kind is ReminderKind.DUE_IN_3_DAYS:
            return (f"【农商银行】您的贷款第{self.instalment}期应还{amount}将于{due}到期，"
                    "届时将从您的还款账户自动扣款，请留足余额。")
        if self.kind is ReminderKind.DUE_TODAY:
            return f"【农商银行】您的贷款第{self.instalment}期应还{amount}今日（{due}）到期，请确保还款账户余额充足。"
        return (f"【农商银行】您的贷款第{self.instalment}期（{due}到期）{amount}尚未还清，已逾期。"
                f"本行将每日再次尝试扣款，请尽快存入还款账户，以免产生罚息并影响征信。如有困难，可在手机银行申请延期还款。")


def reminders_due(loan: Loan, day: date) -> list[Reminder]:
    """The reminders of the loan's next unpaid instalment that fall on ``day``."""
    due = loan.next_due()
    if due is None:
        return []
    offset = (day - due.due_date).days
    return [Reminder(loan.loan_id, due.number, kind, due.due_date, due.total.fen)
            for kind in ReminderKind if kind.offset_days == offset]


@dataclass(frozen=True)
class Contact:
    at: datetime
    channel: ContactChannel
    by: str  # system:reminders or officer:<id>
    outcome: ContactOutcome
    note: str = ""
    reminder_key: str = ""


@dataclass(frozen=True)
class PromiseToPay:
    promise_id: str
    amount_fen: int
    promised_date: date
    made_at: datetime
    recorded_by: str
    status: PromiseStatus = PromiseStatus.OPEN


@dataclass(frozen=True)
class LoanArrears:
    loan_id: str
    days_past_due: int
    overdue_fen: int
    bucket: str


@dataclass
class CollectionCase:
    """A borrower's reminders, contacts and promises; ``arrears`` is what the last sweep found late."""

    customer_id: str
    arrears: tuple[LoanArrears, ...] = ()
    pending: tuple[Reminder, ...] = ()
    sent_keys: tuple[str, ...] = ()  # every reminder ever queued (sent or dropped): each goes out once
    contacts: tuple[Contact, ...] = ()
    promises: tuple[PromiseToPay, ...] = ()
    escalation: int = 0  # an index of ESCALATIONS
    updated_at: datetime | None = None
    version: int = 0
    pending_events: list[ev.DomainEvent] = field(default_factory=list)

    @property
    def days_past_due(self) -> int:
        return max((a.days_past_due for a in self.arrears), default=0)

    @property
    def overdue_fen(self) -> int:
        return sum(a.overdue_fen for a in self.arrears)

    @property
    def bucket(self) -> str:
        worst = max(self.arrears, key=lambda a: a.days_past_due, default=None)
        return worst.bucket if worst else "CURRENT"

    def contacts_in_week(self, now: datetime) -> int:
        return sum(1 for c in self.contacts if c.at > now - timedelta(days=7))

    def queue(self, reminders: list[Reminder]) -> int:
        """Queue the reminders not queued before; a newer one of an instalment drops the older still waiting."""
        fresh = [r for r in reminders if r.key not in self.sent_keys]
        for r in fresh:
            self.pending = tuple(p for p in self.pending if (p.loan_id, p.instalment) != (r.loan_id, r.instalment))
            self.pending += (r,)
            self.sent_keys += (r.key,)
        return len(fresh)

    def drop_paid(self, next_unpaid: dict[str, int | None]) -> None:
        """A reminder of an instalment already paid is not sent (``next_unpaid``: the next instalment of each loan
        looked at; the reminders of other loans are left as they are)."""
        self.pending = tuple(p for p in self.pending
                             if p.loan_id not in next_unpaid or next_unpaid[p.loan_id] == p.instalment)

    def sendable(self, now: datetime, policy: ContactPolicy) -> tuple[list[Reminder], str | None]:
        """The waiting reminders the rules let go now (as many as the week allows), or why none may."""
        out: list[Reminder] = []
        for reminder in self.pending:
            why = policy.refusal(now, self.contacts_in_week(now) + len(out))
            if why:
                return out, why
            out.append(reminder)
        return out, None

    def sent(self, reminder: Reminder, now: datetime) -> None:
        self.pending = tuple(p for p in self.pending if p.key != reminder.key)
        self.contacts += (Contact(now, ContactChannel.SMS, "system:reminders", ContactOutcome.SENT,
                                  reminder.kind.value, reminder.key),)
        self.pending_events.append(ev.DomainEvent(ev.REMINDER_SENT, reminder.loan_id, "system:reminders",
                                                  {"kind": reminder.kind.value, "instalment": reminder.instalment},
                                                  occurred_at=now))

    def log_contact(self, officer_id: str, party: ContactParty, channel: ContactChannel, outcome: ContactOutcome,
                    note: str, now: datetime, policy: ContactPolicy) -> Contact:
        if party is not ContactParty.BORROWER:
            raise ValidationError("only the borrower is contacted about her loan", {"field": "party"},
                                  code=THIRD_PARTY_CONTACT_FORBIDDEN)
        why = policy.refusal(now, self.contacts_in_week(now))
        if why:
            raise ValidationError("the borrower may be contacted between 8:00 and 21:00 Beijing time, at most "
                                  f"{policy.max_per_week} times in seven days", {"rule": why}, code=why)
        contact = Contact(now, channel, ev.officer_actor(officer_id), outcome, note.strip()[:500])
        self.contacts += (contact,)
        self.pending_events.append(ev.DomainEvent(ev.COLLECTION_CONTACT_LOGGED, self.customer_id,
                                                  ev.officer_actor(officer_id),
                                                  {"channel": channel.value, "outcome": outcome.value},
                                                  occurred_at=now))
        return contact

    def promise(self, promise_id: str, officer_id: str, amount: Money, promised: date, now: datetime) -> PromiseToPay:
        today = business_date(now)
        if not today <= promised <= today + timedelta(days=PROMISE_MAX_DAYS):
            raise ValidationError(f"a promise to pay falls within {PROMISE_MAX_DAYS} days",
                                  {"field": "promised_date"})
        if not amount.is_positive():
            raise ValidationError("a promise names an amount", {"field": "amount_fen"})
        made = PromiseToPay(promise_id, amount.fen, promised, now, ev.officer_actor(officer_id))
        self.promises += (made,)
        self.pending_events.append(ev.DomainEvent(ev.PROMISE_TO_PAY_RECORDED, self.customer_id,
                                                  ev.officer_actor(officer_id),
                                                  {"amount_fen": amount.fen, "promised_date": promised.isoformat()},
                                                  occurred_at=now))
        return made

    def review_promises(self, day: date, now: datetime) -> int:
        """Each open promise kept (nothing late any more) or broken (its date passed, still late); a broken one
        escalates the case. Returns how many broke."""
        broken = 0
        promises = []
        for p in self.promises:
            if p.status is PromiseStatus.OPEN and self.days_past_due == 0:
                p = replace(p, status=PromiseStatus.KEPT)
            elif p.status is PromiseStatus.OPEN and day > p.promised_date:
                p = replace(p, status=PromiseStatus.BROKEN)
                broken += 1
                self.escalation = min(self.escalation + 1, len(ESCALATIONS) - 1)
                self.pending_events.append(ev.DomainEvent(ev.PROMISE_TO_PAY_BROKEN, self.customer_id,
                                                          "system:collections",
                                                          {"promise_id": p.promise_id,
                                                           "escalation": ESCALATIONS[self.escalation]},
                                                          occurred_at=now))
            promises.append(p)
        self.promises = tuple(promises)
        return broken

    def escalate_for_days(self) -> None:
        """Thirty days late is an officer's call at least; ninety, a visit and the legal review."""
        floor = 2 if self.days_past_due > 90 else 1 if self.days_past_due > 30 else 0
        self.escalation = max(self.escalation, floor)
