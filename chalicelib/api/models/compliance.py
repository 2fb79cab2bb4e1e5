"""Compliance: complaints (投诉)."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from .common import PlainText, Strict

ComplaintCategoryName = Literal["PRICING", "COLLECTION", "SERVICE", "PERSONAL_DATA", "CREDIT_REPORT", "OTHER"]


class ComplaintIn(Strict):
    category: ComplaintCategoryName
    text: PlainText = Field(min_length=5, max_length=1000)
    subject_id: str | None = Field(None, pattern=r"^(line|loan)_[0-9a-f]{32}$",
                                   description="the line or loan it is about, if one (yours)")


class ComplaintOut(Strict):
    complaint_id: str
    category: ComplaintCategoryName
    category_zh: str
    text: str
    subject_id: str | None
    status: Literal["OPEN", "ANSWERED"]
    opened_at: datetime
    due_at: datetime = Field(description="when the bank's answer is due (15 days)")
    reply: str | None = None
    replied_at: datetime | None = None


class ComplaintListOut(Strict):
    items: list[ComplaintOut]


class OfficerComplaintOut(ComplaintOut):
    customer_id: str
    overdue: bool = Field(description="open past its due date")


class OfficerComplaintListOut(Strict):
    items: list[OfficerComplaintOut]


class ComplaintReplyIn(Strict):
    reply: PlainText = Field(min_length=10, max_length=1000, description="what the bank found and did")


class HumanReviewIn(Strict):
    reason: PlainText = Field(min_length=5, max_length=1000, description="what a person should look at")


class HumanReviewOut(Strict):
    review_id: str
    application_id: str
    status: Literal["OPEN", "DECIDED"]
    reason: str
    requested_at: datetime
    due_at: datetime = Field(description="when the officer's outcome is due (15 days)")
    outcome: Literal["UPHELD", "OVERTURNED"] | None = None
    comment: str | None = None
    decided_at: datetime | None = None


class OfficerHumanReviewOut(HumanReviewOut):
    decided: str = Field(description="what the system decided: DECLINE, or APPROVE with its line (fen) and rate")
    overdue: bool


class HumanReviewDecisionIn(Strict):
    outcome: Literal["UPHELD", "OVERTURNED"]
    comment: PlainText = Field(min_length=10, max_length=1000, description="told to the customer")


class BureauReportIn(Strict):
    reporting_date: date = Field(description="the last day of the month reported")


class BureauReportOut(Strict):
    reporting_date: date
    status: Literal["GENERATING", "GENERATED"]
    layout: str = Field(description="the file's layout (a named subset of the bureau's personal lending records)")
    s3_key: str | None = Field(description="the bank's copy in the reports bucket")
    sha256: str | None
    accounts: int = Field(description="lines and loans reported")
    corrections: int = Field(description="corrections after disputes")
    notices_sent: int = Field(description="customers told before their first negative report")
    receipt: str | None = Field(description="the bureau intake's receipt")
    requested_by: str
    requested_at: datetime
    generated_at: datetime | None


class BureauReportListOut(Strict):
    items: list[BureauReportOut]


CorrectableField = Literal["balance_fen", "amount_due_fen", "overdue_fen", "overdue_periods", "days_past_due",
                           "status", "five_category"]


class DisputeIn(Strict):
    account_id: str = Field(pattern=r"^(line|loan)_[0-9a-f]{32}$", description="the line or loan (yours)")
    reporting_date: date | None = Field(None, description="the report disputed (the latest when left out)")
    text: PlainText = Field(min_length=5, max_length=1000, description="what in the record is wrong")


class DisputeOut(Strict):
    dispute_id: str
    account_id: str
    reporting_date: date
    text: str
    status: Literal["OPEN", "CORRECTED", "REPORTED", "UPHELD"]
    opened_at: datetime
    due_at: datetime = Field(description="when the bank's finding is due (20 days)")
    finding: str | None = None
    resolved_at: datetime | None = None
    reported_on: date | None = Field(None, description="the report that carried the correction")


class DisputeListOut(Strict):
    items: list[DisputeOut]


class OfficerDisputeOut(DisputeOut):
    customer_id: str
    filed_by: str
    corrected_fields: dict[str, int | str]
    overdue: bool = Field(description="open past its due date")


class OfficerDisputeListOut(Strict):
    items: list[OfficerDisputeOut]


class DisputeResolutionIn(Strict):
    outcome: Literal["CORRECTED", "UPHELD"]
    finding: PlainText = Field(min_length=10, max_length=1000, description="what the bank checked and found")
    corrected_fields: dict[CorrectableField, int | str] = Field(
        default_factory=dict, description="the record's fields as they should have read (a correction only)")


class AmlCaseOut(Strict):
    case_id: str
    customer_id: str
    kind: Literal["SANCTIONS_HIT", "LARGE_AMOUNT", "RAPID_DRAW_REPAY", "FUNDS_MOVED_ON"]
    kind_zh: str
    subject_id: str = Field(description="the line, loan or application it is about")
    opened_at: datetime
    evidence: dict[str, Any] = Field(description="figures and ids only")
    status: Literal["OPEN", "REPORTED", "CLOSED"]
    decided_by: str | None = None
    decided_at: datetime | None = None
    comment: str | None = None


class AmlCaseListOut(Strict):
    items: list[AmlCaseOut]


class AmlDecisionIn(Strict):
    outcome: Literal["REPORT", "CLOSE"] = Field(description="report as a suspicious transaction, or close")
    comment: PlainText = Field(min_length=10, max_length=1000, description="what was checked and why")
