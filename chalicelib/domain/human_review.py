"""The right to a person (PIPL Art. 24): after a decision made by the system alone - a decline, a line, a price -
the customer may ask for a person to review it. One review per application, with a due date; a risk officer
records the outcome (the decision stands, or it is overturned and the bank comes back to her), with a comment she
is told; each step in the application's trail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from . import events as ev
from .application import ApplicationStatus, LoanApplication
from .errors import InvalidTransitionError, ValidationError

HUMAN_REVIEW_DUE_DAYS = 15
DECIDED_STATUSES = frozenset({ApplicationStatus.DECLINED, ApplicationStatus.OFFERED, ApplicationStatus.ACCEPTED,
                              ApplicationStatus.SIGNED, ApplicationStatus.ACTIVE, ApplicationStatus.EXPIRED})


class ReviewOutcome(StrEnum):
    UPHELD = "UPHELD"  # the decision stands, and the officer says why
    OVERTURNED = "OVERTURNED"  # the decision was wrong: the bank comes back to her with a new one


@dataclass
class HumanReview:
    review_id: str
    application_id: str
    customer_id: str
    decided: str  # what the system decided: DECLINE, or APPROVE with its line and rate
    reason: str
    requested_at: datetime
    due_at: datetime
    outcome: ReviewOutcome | None = None
    comment: str = ""
    decided_by: str = ""
    decided_at: datetime | None = None
    version: int = 0
    pending_events: list[ev.DomainEvent] = field(default_factory=list)

    @classmethod
    def request(cls, app: LoanApplication, reason: str, now: datetime) -> HumanReview:
        """Only for a decision the system made alone, once per application."""
        decision = app.decision
        if decision is None or app.status not in DECIDED_STATUSES:
            raise InvalidTransitionError("there is no decision to review yet", {"status": app.status.value})
        if decision.decided_by != "system":
            raise InvalidTransitionError("a risk officer made this decision: it was a person's already",
                                         {"decided_by": "officer"})
        reason = reason.strip()
        if len(reason) < 5:
            raise ValidationError("say in a few words what a person should look at", {"field": "reason"})
        decided = decision.outcome.value + (f" {decision.credit_limit.fen} {decision.annual_rate}"
                                            if decision.credit_limit is not None else "")
        review = cls(f"hr_{app.application_id.removeprefix('app_')}", app.application_id, app.customer_id, decided,
                     reason, now, now + timedelta(days=HUMAN_REVIEW_DUE_DAYS))
        review.pending_events.append(ev.DomainEvent(
            ev.HUMAN_REVIEW_REQUESTED, app.application_id, f"customer:{app.customer_id}",
            {"review_id": review.review_id, "due_at": review.due_at.isoformat()}, occurred_at=now))
        return review

    @property
    def open(self) -> bool:
        return self.outcome is None

    def decide(self, officer_id: str, outcome: ReviewOutcome, comment: str, now: datetime) -> None:
        if not self.open:
            raise InvalidTransitionError("this review is decided already")
        comment = comment.strip()
        if len(comment) < 10:
            raise ValidationError("the customer is told why: say it", {"field": "comment"})
        self.outcome, self.comment, self.decided_by, self.decided_at = outcome, comment, officer_id, now
        self.pending_events.append(ev.DomainEvent(
            ev.HUMAN_REVIEW_DECIDED, self.application_id, ev.officer_actor(officer_id),
            {"review_id": self.review_id, "outcome": outcome.value, "comment": comment}, occurred_at=now))

    def overdue(self, now: datetime) -> bool:
        return self.open and now > self.due_at
