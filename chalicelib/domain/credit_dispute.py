"""An objection (异议) to what the bank reports to the credit bureau about a person: filed by her in the app or by
an officer on her behalf, about one of her accounts as a given report carried it; checked and answered within 20
days (征信业管理条例 Art. 25); found right, the correction goes out once, in the next report, as a record naming
the report it corrects; found wrong, the record stands and she is told why."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from . import events as ev
from .bureau_reporting import CORRECTABLE, AccountStatus
from .errors import InvalidTransitionError, ValidationError

DISPUTE_DUE_DAYS = 20


class DisputeStatus(StrEnum):
    OPEN = "OPEN"
    CORRECTED = "CORRECTED"  # found right: the correction waits for the next report
    REPORTED = "REPORTED"  # the correction went out
    UPHELD = "UPHELD"  # the record was right: it stands


DISPUTE_MOVES = {DisputeStatus.OPEN: frozenset({DisputeStatus.CORRECTED, DisputeStatus.UPHELD}),
                 DisputeStatus.CORRECTED: frozenset({DisputeStatus.REPORTED}),
                 DisputeStatus.REPORTED: frozenset(), DisputeStatus.UPHELD: frozenset()}


@dataclass
class CreditDispute:
    dispute_id: str
    customer_id: str
    account_id: str  # a line or a loan of hers
    reporting_date: date  # the report whose record she disputes
    text: str
    filed_by: str  # customer:<id> or officer:<id>
    opened_at: datetime
    due_at: datetime
    status: DisputeStatus = DisputeStatus.OPEN
    finding: str = ""
    corrected_fields: dict[str, Any] = field(default_factory=dict)
    resolved_by: str = ""
    resolved_at: datetime | None = None
    reported_on: date | None = None  # the report that carried the correction
    version: int = 0
    pending_events: list[ev.DomainEvent] = field(default_factory=list)

    @classmethod
    def file(cls, customer_id: str, account_id: str, reporting_date: date, text: str, filed_by: str,
             now: datetime) -> CreditDispute:
        text = text.strip()
        if len(text) < 5:
            raise ValidationError("say what in the record is wrong", {"field": "text"})
        dispute = cls(f"dsp_{uuid.uuid4().hex}", customer_id, account_id, reporting_date, text, filed_by, now,
                      now + timedelta(days=DISPUTE_DUE_DAYS))
        dispute.pending_events.append(ev.DomainEvent(
            ev.DISPUTE_FILED, dispute.dispute_id, filed_by,
            {"account_id": account_id, "reporting_date": reporting_date.isoformat(),
             "due_at": dispute.due_at.isoformat()}, occurred_at=now))
        return dispute

    def resolve(self, officer_id: str, corrected: bool, finding: str, fields: dict[str, Any],
                now: datetime) -> None:
        """Once. A correction names the record's fields as they should have read (only those a report carries
        about the account's state: not whom it is about, not its dates)."""
        target = DisputeStatus.CORRECTED if corrected else DisputeStatus.UPHELD
        if target not in DISPUTE_MOVES[self.status]:
            raise InvalidTransitionError("the dispute is already resolved", {"status": self.status.value})
        finding = finding.strip()
        if len(finding) < 10:
            raise ValidationError("a finding says what the bank checked and found", {"field": "finding"})
        if corrected:
            _check_fields(fields)
        elif fields:
            raise ValidationError("a record that stands has nothing corrected", {"field": "corrected_fields"})
        self.status, self.finding, self.corrected_fields = target, finding, dict(fields)
        self.resolved_by, self.resolved_at = officer_id, now
        self.pending_events.append(ev.DomainEvent(
            ev.DISPUTE_RESOLVED, self.dispute_id, ev.officer_actor(officer_id),
            {"outcome": target.value, "fields": sorted(fields), "on_time": now <= self.due_at}, occurred_at=now))

    def reported(self, reporting_date: date, now: datetime) -> None:
        if DisputeStatus.REPORTED not in DISPUTE_MOVES[self.status]:
            raise InvalidTransitionError("only a correction is reported", {"status": self.status.value})
        self.status, self.reported_on = DisputeStatus.REPORTED, reporting_date
        self.pending_events.append(ev.DomainEvent(
            ev.DISPUTE_CORRECTION_REPORTED, self.dispute_id, "system:credit-bureau-reporting",
            {"reporting_date": reporting_date.isoformat()}, occurred_at=now))

    def overdue(self, now: datetime) -> bool:
        return self.status is DisputeStatus.OPEN and now > self.due_at


def _check_fields(fields: dict[str, Any]) -> None:
    if not fields:
        raise ValidationError("a correction names what it corrects", {"field": "corrected_fields"})
    for name, value in fields.items():
        if name not in CORRECTABLE:
            raise ValidationError(f"{name} is not corrected this way", {"field": f"corrected_fields.{name}",
                                                                         "allowed": list(CORRECTABLE)})
        if name == "status":
            if value not in {s.value for s in AccountStatus}:
                raise ValidationError("unknown status", {"field": "corrected_fields.status"})
        elif name == "five_category":
            if value not in ("NORMAL", "SPECIAL_MENTION", "SUBSTANDARD", "DOUBTFUL", "LOSS"):
                raise ValidationError("unknown class", {"field": "corrected_fields.five_category"})
        elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValidationError(f"{name} is a whole number, never negative", {"field": f"corrected_fields.{name}"})
