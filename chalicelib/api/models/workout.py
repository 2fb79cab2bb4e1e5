"""A loan's life after payout beyond repayment: restructuring requests and decisions, write-off, recoveries, the
collections worklist and its contacts and promises, and the app's messages."""

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from .common import Fen, PlainText, PositiveFen, Strict

RestructuringStatusName = Literal["AWAITING_FIRST_DECISION", "AWAITING_SECOND_DECISION", "APPROVED", "DECLINED"]


class RestructuringRequestIn(Strict):
    kind: Literal["EXTENSION"] = Field(description="EXTENSION (展期): more months to repay what is not yet due")
    extra_months: int = Field(ge=1, le=36)
    reason: PlainText = Field(min_length=5, max_length=500, description="why more time is needed")


class OfficerDecisionOut(Strict):
    officer_id: str | None = Field(None, description="who decided: for officers only (the customer is not told "
                                                     "which member of staff)")
    outcome: Literal["APPROVE", "DECLINE"]
    comment: str
    at: datetime


class RestructuringRequestOut(Strict):
    request_id: str
    loan_id: str
    kind: Literal["EXTENSION"]
    kind_zh: str
    extra_months: int
    reason: str
    requested_by: Literal["CUSTOMER", "OFFICER"]
    requested_at: datetime
    status: RestructuringStatusName
    status_zh: str
    decisions: list[OfficerDecisionOut] = Field(description="maker-checker: two different officers approve")


class RestructuringListOut(Strict):
    items: list[RestructuringRequestOut]


class OfficerRestructuringOut(RestructuringRequestOut):
    customer_id: str
    credit_line_id: str


class OfficerRestructuringListOut(Strict):
    items: list[OfficerRestructuringOut]


class RestructuringDecisionIn(Strict):
    outcome: Literal["APPROVE", "DECLINE"]
    comment: PlainText = Field(min_length=4, max_length=1000)


class WriteOffIn(Strict):
    reason: PlainText = Field(min_length=10, max_length=1000, description="why the loan is lost (proposing) or "
                                                                          "the check made (confirming)")


class WriteOffDeclineIn(Strict):
    comment: PlainText = Field(min_length=4, max_length=1000)


class WriteOffOut(Strict):
    loan_id: str
    customer_id: str
    credit_line_id: str
    status: Literal["PROPOSED", "CONFIRMED", "DECLINED"]
    status_zh: str
    amount_fen: Fen = Field(description="principal outstanding when it was proposed")
    reason: str
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    comment: str | None = None
    needs_second_officer: bool


class WriteOffListOut(Strict):
    items: list[WriteOffOut]


class RecoveryIn(Strict):
    amount_fen: PositiveFen


class RecoveryOut(Strict):
    recovery_id: str
    loan_id: str
    amount_fen: PositiveFen
    owed_after_fen: Fen
    core_reference: str


class ContactIn(Strict):
    party: Literal["BORROWER", "THIRD_PARTY"] = Field(description="whom the officer spoke to: only the borrower "
                                                                  "may be contacted (THIRD_PARTY is refused)")
    channel: Literal["PHONE", "SMS", "VISIT"]
    outcome: Literal["REACHED", "NO_ANSWER", "PROMISED", "REFUSED_TO_PAY"]
    note: PlainText = Field("", max_length=500)


class PromiseIn(Strict):
    amount_fen: PositiveFen
    promised_date: date


class ContactOut(Strict):
    at: datetime
    channel: str
    channel_zh: str
    by: str
    outcome: str
    outcome_zh: str
    note: str


class PromiseOut(Strict):
    promise_id: str
    amount_fen: PositiveFen
    promised_date: date
    made_at: datetime
    status: Literal["OPEN", "KEPT", "BROKEN"]
    status_zh: str


class ArrearsOut(Strict):
    loan_id: str
    days_past_due: int
    overdue_fen: Fen
    bucket: str


class PendingReminderOut(Strict):
    loan_id: str
    instalment: int
    kind: str
    kind_zh: str
    due_date: date


class CollectionCaseOut(Strict):
    customer_id: str
    days_past_due: int
    bucket: str
    overdue_fen: Fen
    escalation: str
    escalation_zh: str
    arrears: list[ArrearsOut]
    contacts: list[ContactOut] = Field(description="newest first")
    contacts_this_week: int
    max_contacts_per_week: int
    promises: list[PromiseOut]
    pending_reminders: list[PendingReminderOut] = Field(description="held by the contact rules until they allow")


class CollectionBucketOut(Strict):
    bucket: str
    cases: list[CollectionCaseOut]


class CollectionWorklistOut(Strict):
    buckets: list[CollectionBucketOut] = Field(description="1-30, 31-60, 61-90, 90+ days past due")


class MessageOut(Strict):
    message_id: str
    kind: str
    title: str
    text: str
    at: datetime
    subject_id: str = Field(description="the loan it is about (the app opens it)")


class MessageListOut(Strict):
    items: list[MessageOut]
