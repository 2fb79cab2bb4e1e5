"""The anti-money-laundering worklist (反洗钱法 2024; 金融机构大额交易和可疑交易报告管理办法): cases a compliance
officer must look at - a sanctions or watch-list hit at application or drawdown, a large amount moved in a day,
a loan drawn and repaid in full within days again and again, a payout moved on at once - each decided once
(reported as suspicious, or closed with the reason none is needed) and its record kept for ten years.

A case's id is derived from what it is about (its kind and its cause), so the daily sweep finding the same pattern
again, or a retried step, opens it once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from . import events as ev
from .customer_record import OutgoingPayment
from .errors import InvalidTransitionError, ValidationError
from .loan import Loan, LoanStatus


class AmlCaseKind(StrEnum):
    SANCTIONS_HIT = "SANCTIONS_HIT"  # 名单命中
    LARGE_AMOUNT = "LARGE_AMOUNT"  # 大额交易
    RAPID_DRAW_REPAY = "RAPID_DRAW_REPAY"  # 短期内反复借款并全额还款
    FUNDS_MOVED_ON = "FUNDS_MOVED_ON"  # 放款后资金快进快出

    @property
    def name_zh(self) -> str:
        return {AmlCaseKind.SANCTIONS_HIT: "制裁或监控名单命中", AmlCaseKind.LARGE_AMOUNT: "大额交易",
                AmlCaseKind.RAPID_DRAW_REPAY: "短期内反复借款并全额还款",
                AmlCaseKind.FUNDS_MOVED_ON: "放款后资金快进快出"}[self]


class AmlCaseStatus(StrEnum):
    OPEN = "OPEN"
    REPORTED = "REPORTED"  # 已作为可疑交易上报
    CLOSED = "CLOSED"  # 排除：经核实无需上报


@dataclass
class AmlCase:
    case_id: str
    customer_id: str
    kind: AmlCaseKind
    subject_id: str  # the line, loan, drawdown or application it is about
    opened_at: datetime
    evidence: dict[str, Any]  # figures and ids only: never a name, an ID number or an account number
    status: AmlCaseStatus = AmlCaseStatus.OPEN
    decided_by: str = ""
    decided_at: datetime | None = None
    comment: str = ""
    version: int = 0
    pending_events: list[ev.DomainEvent] = field(default_factory=list)

    @classmethod
    def open(cls, customer_id: str, kind: AmlCaseKind, subject_id: str, cause: str, evidence: dict[str, Any],
             now: datetime) -> AmlCase:
        digest = hashlib.sha256(f"{kind.value}|{customer_id}|{cause}".encode()).hexdigest()[:32]
        case = cls(f"aml_{digest}", customer_id, kind, subject_id, now, dict(evidence))
        case.pending_events.append(ev.DomainEvent(ev.AML_CASE_OPENED, case.case_id, "system:aml",
                                                  {"kind": kind.value, "subject_id": subject_id}, occurred_at=now))
        return case

    def decide(self, officer_id: str, report: bool, comment: str, now: datetime) -> None:
        if self.status is not AmlCaseStatus.OPEN:
            raise InvalidTransitionError("the case is already decided", {"status": self.status.value})
        comment = comment.strip()
        if len(comment) < 10:
            raise ValidationError("a decision says what was checked and why", {"field": "comment"})
        self.status = AmlCaseStatus.REPORTED if report else AmlCaseStatus.CLOSED
        self.decided_by, self.decided_at, self.comment = officer_id, now, comment
        self.pending_events.append(ev.DomainEvent(ev.AML_CASE_DECIDED, self.case_id, ev.officer_actor(officer_id),
                                                  {"outcome": self.status.value}, occurred_at=now))

    def record(self) -> dict[str, Any]:
        """What is kept for ten years once decided (write-once)."""
        return {"case_id": self.case_id, "customer_id": self.customer_id, "kind": self.kind.value,
                "subject_id": self.subject_id, "opened_at": self.opened_at.isoformat(), "evidence": self.evidence,
                "status": self.status.value, "decided_by": self.decided_by,
                "decided_at": self.decided_at.isoformat() if self.decided_at else None, "comment": self.comment}


# ---- the patterns (pure) ---------------------------------------------------------------------------------
def paid_out_on(loans: list[Loan], day: date) -> int:
    return sum(loan.principal.fen for loan in loans if loan.start_date == day)


def rapid_cycles(loans: list[Loan], day: date, days: int) -> list[Loan]:
    """Loans drawn in the last ``days`` days and already repaid in full: each a draw-and-repay cycle that short."""
    return [loan for loan in loans if loan.status is LoanStatus.CLOSED and 0 <= (day - loan.start_date).days <= days]


def passed_through(loan: Loan, payments: list[OutgoingPayment], share: float) -> dict[str, Any] | None:
    """The payout moved on at once: on the payout day or the next, payments out of at least ``share`` of it."""
    moved = [p for p in payments if loan.start_date <= p.on <= loan.start_date + timedelta(days=1)]
    total = sum(p.amount_fen for p in moved)
    if not moved or total < loan.principal.fen * share:
        return None
    return {"loan_id": loan.loan_id, "principal_fen": loan.principal.fen, "moved_fen": total,
            "payments": len(moved), "payout_on": loan.start_date.isoformat()}
