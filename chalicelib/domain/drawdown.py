"""A drawdown: money taken from a credit line, paid to the customer's own account, booked as a loan.

Its id is chosen before anything happens and travels to the core banking system with the payment, so that after
a timeout the outcome can be asked for by that id instead of paying again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .application import RepaymentMethod
from .events import utcnow
from .money import Money


class DrawdownStatus(StrEnum):
    AWAITING_APPROVAL = "AWAITING_APPROVAL"  # the line has an ORANGE early warning: an officer decides first
    REQUESTED = "REQUESTED"  # accepted by the API, workflow started
    RESERVED = "RESERVED"  # limit reserved atomically
    DISBURSED = "DISBURSED"  # core banking paid the customer
    BOOKED = "BOOKED"  # loan and schedule booked (the workflow's next step tells the customer)
    REJECTED = "REJECTED"  # a rule refused it before any reservation
    FAILED = "FAILED"  # payout refused; the reservation was released


NEXT_ACTION: dict[DrawdownStatus, str] = {
    DrawdownStatus.AWAITING_APPROVAL: "WAIT_FOR_BANK_REVIEW",
    DrawdownStatus.REQUESTED: "WAIT_FOR_PAYOUT",
    DrawdownStatus.RESERVED: "WAIT_FOR_PAYOUT",
    DrawdownStatus.DISBURSED: "WAIT_FOR_PAYOUT",
    DrawdownStatus.BOOKED: "VIEW_LOAN",
    DrawdownStatus.REJECTED: "NONE",
    DrawdownStatus.FAILED: "DRAW_AGAIN",  # nothing was paid and the line was given back
}


@dataclass
class Drawdown:
    drawdown_id: str
    credit_line_id: str
    customer_id: str
    amount: Money
    term_months: int
    repayment_method: RepaymentMethod
    account_no: str
    request_hash: str
    status: DrawdownStatus = DrawdownStatus.REQUESTED
    loan_id: str | None = None
    core_reference: str | None = None
    failure_reason: str | None = None
    payout_started_at: datetime | None = None  # the payout was claimed while the line was ACTIVE (see disburse)
    version: int = 0
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
