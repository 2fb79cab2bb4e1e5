"""Compliance: complaints (投诉)."""

from datetime import datetime
from typing import Literal

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
