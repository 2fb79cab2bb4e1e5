"""Restructuring a loan (展期 / 延期还款): the borrower asks, or an officer proposes, to repay over more months; two
different officers decide.

The rules of 《贷款通则》 Art. 12, as the bank applies them: an extension is asked for before the loan matures;
all of a loan's extensions together are at most its original term when that is a year or less, at most half of
it when longer (up to five years), and at most three years beyond that. Instalments already due stay due (an
extension does not forgive or re-age what is late: it spreads what is still to come over more months); the
principal not yet due is re-amortised, in the loan's own shape, over the remaining and the extra months.

The Measures on the Risk Classification of Financial Assets (2023) make a restructured loan at least 关注
(SPECIAL_MENTION) from the day it is restructured, and keep it under observation for 12 months: only then, and
only if it performs, may it return to 正常. The sweep's classification reads ``observed_until`` on the loan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from . import events as ev
from . import ledger
from .classification import LoanClass
from .errors import InvalidTransitionError, SecondOfficerRequiredError, ValidationError
from .ledger import LedgerTransaction
from .loan import Loan, LoanReview, LoanStatus
from .money import Money
from .schedules import STRATEGIES, Instalment, add_months, amortise, months_between

OBSERVATION_MONTHS = 12
MAX_EXTRA_MONTHS = 36


class RestructuringKind(StrEnum):
    EXTENSION = "EXTENSION"  # 展期: more months to repay what is not yet due

    @property
    def name_zh(self) -> str:
        return {"EXTENSION": "展期"}[self.value]


class RestructuringStatus(StrEnum):
    AWAITING_FIRST_DECISION = "AWAITING_FIRST_DECISION"
    AWAITING_SECOND_DECISION = "AWAITING_SECOND_DECISION"  # one officer approved; a second, different one confirms
    APPROVED = "APPROVED"  # both approved: the new schedule is booked
    DECLINED = "DECLINED"

    @property
    def open(self) -> bool:
        return self in (RestructuringStatus.AWAITING_FIRST_DECISION, RestructuringStatus.AWAITING_SECOND_DECISION)


class RestructuringOutcome(StrEnum):
    APPROVE = "APPROVE"
    DECLINE = "DECLINE"


def extension_allowance(original_term: int) -> int:
    """How many months all of a loan's extensions may add together (《贷款通则》 Art. 12)."""
    if original_term <= 12:
        return original_term
    if original_term <= 60:
        return original_term // 2
    return 36


def check_extension(loan: Loan, extra_months: int, today: date) -> None:
    """Why this extension cannot be granted, raised before anything is written."""
    if loan.status is not LoanStatus.ACTIVE:
        raise InvalidTransitionError("only a loan being repaid can be extended", {"status": loan.status.value})
    if not 1 <= extra_months <= MAX_EXTRA_MONTHS:
        raise ValidationError(f"an extension adds 1 to {MAX_EXTRA_MONTHS} months", {"field": "extra_months"})
    if today >= loan.schedule[-1].due_date:
        raise InvalidTransitionError("an extension is asked for before the loan matures",
                                     {"maturity": loan.schedule[-1].due_date.isoformat()}, code="LOAN_MATURED")
    room = extension_allowance(loan.original_term) - loan.extended_months
    if extra_months > room:
        raise ValidationError(f"this loan may be extended by {max(room, 0)} more months at most",
                              {"field": "extra_months", "allowed_months": max(room, 0)},
                              code="EXTENSION_LIMIT_EXCEEDED")


@dataclass(frozen=True)
class OfficerDecision:
    officer_id: str
    outcome: RestructuringOutcome
    comment: str
    at: datetime


@dataclass
class RestructuringRequest:
    request_id: str
    loan_id: str
    customer_id: str
    credit_line_id: str
    kind: RestructuringKind
    extra_months: int
    reason: str
    requested_by: str  # customer:<id> or officer:<id>
    requested_at: datetime
    status: RestructuringStatus = RestructuringStatus.AWAITING_FIRST_DECISION
    decisions: tuple[OfficerDecision, ...] = ()
    version: int = 0
    pending_events: list[ev.DomainEvent] = field(default_factory=list)

    @classmethod
    def ask(cls, request_id: str, loan: Loan, kind: RestructuringKind, extra_months: int, reason: str,
            actor: str, now: datetime) -> RestructuringRequest:
        reason = reason.strip()
        if len(reason) < 5:
            raise ValidationError("say in a few words why more time is needed", {"field": "reason"})
        check_extension(loan, extra_months, now.date())
        request = cls(request_id, loan.loan_id, loan.customer_id, loan.credit_line_id, kind, extra_months, reason,
                      actor, now)
        request.pending_events.append(ev.DomainEvent(
            ev.RESTRUCTURING_REQUESTED, loan.loan_id, actor,
            {"request_id": request_id, "kind": kind.value, "extra_months": extra_months}, occurred_at=now))
        return request

    def decide(self, officer_id: str, outcome: RestructuringOutcome, comment: str, now: datetime) -> None:
        """Maker-checker: a decline by either officer ends it; an approval needs a second, different officer (and
        an officer who proposed the restructuring decides on it neither time)."""
        if not self.status.open:
            raise InvalidTransitionError("this request is decided already", {"status": self.status.value})
        comment = comment.strip()
        if len(comment) < 4:
            raise ValidationError("a decision needs a comment that says why", {"field": "comment"})
        if self.requested_by == ev.officer_actor(officer_id):
            raise SecondOfficerRequiredError("the officer who proposed it does not decide on it")
        if any(d.officer_id == officer_id for d in self.decisions):
            raise SecondOfficerRequiredError("a second, different officer decides: you decided on it already")
        self.decisions += (OfficerDecision(officer_id, outcome, comment, now),)
        if outcome is RestructuringOutcome.DECLINE:
            self.status = RestructuringStatus.DECLINED
        elif self.status is RestructuringStatus.AWAITING_FIRST_DECISION:
            self.status = RestructuringStatus.AWAITING_SECOND_DECISION
        else:
            self.status = RestructuringStatus.APPROVED
        self.pending_events.append(ev.DomainEvent(
            ev.RESTRUCTURING_DECIDED, self.loan_id, ev.officer_actor(officer_id),
            {"request_id": self.request_id, "outcome": outcome.value, "status": self.status.value}, occurred_at=now))


RESTRUCTURED_UNDER_OBSERVATION = "RESTRUCTURED_UNDER_OBSERVATION"  # the classification's reason while observed


@dataclass(frozen=True)
class LoanRestructuring:
    """What approving an extension does to the loan, for the store to write in one transaction with the request:
    the new schedule (what is due stays, the rest re-amortised to the new maturity), the longer term, the year of
    observation, the classification at least 关注, the ledger's reclassification (the first time) and the event."""

    loan_id: str
    schedule: tuple[Instalment, ...]
    term_months: int
    extended_months: int
    restructured_on: date
    observed_until: date
    review: LoanReview
    ledger: LedgerTransaction | None
    event: ev.DomainEvent
    closed_schedule: tuple[Instalment, ...]  # the old schedule, kept as history


def extend(loan: Loan, request: RestructuringRequest, today: date, now: datetime) -> LoanRestructuring:
    """The loan after an approved extension of ``request.extra_months``."""
    if request.status is not RestructuringStatus.APPROVED:
        raise InvalidTransitionError("two officers approve a restructuring before it is booked")
    if loan.claim is not None:
        raise InvalidTransitionError("a repayment of this loan is being booked: try again in a minute",
                                     code="REPAYMENT_BEING_BOOKED")
    check_extension(loan, request.extra_months, today)
    assert loan.outstanding_principal is not None
    due = sum(1 for row in loan.schedule if row.due_date <= today)
    kept = loan.schedule[:max(loan.instalments_paid, due)]
    still_owed = loan.outstanding_principal - sum((r.principal for r in kept[loan.instalments_paid:]), Money.zero())
    term = loan.term_months + request.extra_months
    first_month = months_between(loan.start_date, kept[-1].due_date) + 1 if kept else 1
    periods = STRATEGIES[loan.repayment_method].periods(loan.start_date, first_month, term)
    previous = kept[-1].due_date if kept else loan.start_date
    settled = loan.interest_paid_to if loan.interest_paid_to and loan.interest_paid_to > previous else None
    rows = amortise(still_owed, loan.annual_rate, loan.repayment_method, periods,
                    interest_only=max(0, min(loan.grace_months - len(kept), len(periods) - 1)),
                    first_period_days=(periods[0].due_date - settled).days if settled else None,
                    first_number=len(kept) + 1)
    schedule = kept + rows
    assert sum(r.principal.fen for r in schedule[loan.instalments_paid:]) == loan.outstanding_principal.fen
    observed_until = add_months(today, OBSERVATION_MONTHS)
    floor = max(LoanClass[loan.review.loan_class], LoanClass.SPECIAL_MENTION)
    review = LoanReview(floor.name, loan.review.bucket, loan.review.worst_dpd, loan.review.roll_month,
                        loan.review.roll_start_bucket)
    reclassify = None if loan.restructured_on else ledger.restructuring(request.request_id, loan.loan_id,
                                                                        loan.outstanding_principal)
    event = ev.DomainEvent(ev.LOAN_RESTRUCTURED, loan.loan_id, "system:restructuring", {
        "request_id": request.request_id, "kind": request.kind.value, "extra_months": request.extra_months,
        "maturity_before": loan.schedule[-1].due_date.isoformat(), "maturity_after": schedule[-1].due_date.isoformat(),
        "observed_until": observed_until.isoformat(), "loan_class": floor.name}, occurred_at=now)
    return LoanRestructuring(loan.loan_id, schedule, term, loan.extended_months + request.extra_months, today,
                             observed_until, review, reclassify, event, loan.schedule)
