"""The local stage's developer routes (outbox, auto-debit runs, outside records)."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import Field

from .common import BusinessDate, CreditCode, IdNumber, Strict


class OutboxMessageOut(Strict):
    message_id: str
    channel: str
    destination_masked: str
    template: str
    text: str
    sent_at: datetime


class OutboxOut(Strict):
    items: list[OutboxMessageOut]


class AutoDebitRunIn(Strict):
    date: date


class LineSweepIn(Strict):
    day: date
    credit_line_ids: list[str] = Field(min_length=1, max_length=10)


class LineSweepOut(Strict):
    day: date
    lines: int
    loans: int
    collected: int
    overdue: int
    reminders: int
    reclassified: int


class TopUpIn(Strict):
    credit_line_id: str = Field(pattern=r"^line_[0-9a-f]{32}$")


class TopUpOut(Strict):
    account_masked: str


class ExternalRecordIn(Strict):
    source: Literal["JUDICIAL", "REGISTRY", "TAX", "BUREAU", "SANCTIONS"]
    id_number: IdNumber | None = Field(default=None, description="whom a court, tax, bureau or sanctions record is "
                                                                  "about")
    registration_no: CreditCode | None = Field(default=None, description="the business a registry or tax record is "
                                                                          "about")
    record: dict[str, Any] = Field(description="the record as the feed delivers it (its fields per source: README)")


class ExternalRecordOut(Strict):
    key: str = Field(description="where the record landed; its arrival is the event monitoring acts on")
    source: str
    record_id: str


class AutoDebitRunOut(Strict):
    date: BusinessDate = Field(description="the business date (Beijing) the run collected for")
    loans: int
    collected: int
    overdue: int
    deferred: int = Field(description="instalments left for the next run: a repayment of the loan was in progress")
    booking_pending: int = Field(description="collected, but the booking conflicted: the next run books it")
    claims_settled: int = Field(description="repayments left between collection and booking, booked or released")
