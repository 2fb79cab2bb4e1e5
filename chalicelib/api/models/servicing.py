"""Servicing: credit lines, drawdowns, loans, repayments and the line's history."""

from datetime import date, datetime
from typing import Literal, Self

from pydantic import Field, StrictInt, model_validator
from pydantic_core import PydanticCustomError

from .common import (
    Fen,
    InstalmentOut,
    PositiveFen,
    PriceOut,
    Rate,
    RepaymentMethodName,
    Strict,
    WithMethodName,
    WithMethodNames,
)


class DrawdownRequestIn(Strict):
    """The payee once: ``payout_account_id``, one of the customer's own accounts in her profile (paid with no
    bank-card check: the bank holds it in her name), or ``account_no`` (the account declared with the
    application, checked by its four elements the first time)."""

    amount_fen: PositiveFen
    term_months: StrictInt = Field(ge=1, le=120)
    repayment_method: RepaymentMethodName
    account_no: str | None = Field(None, pattern=r"^[0-9]{12,30}$")
    payout_account_id: str | None = Field(None, pattern=r"^acct_[0-9a-f]{20}$")

    @model_validator(mode="after")
    def _one_payee(self) -> Self:
        if (self.account_no is None) == (self.payout_account_id is None):
            raise PydanticCustomError("one_payee", "name the payee account once: payout_account_id or account_no")
        return self


class RepaymentQuoteIn(Strict):
    principal_fen: PositiveFen | None = Field(
        default=None, description="principal to prepay (at least 100,000 fen, whole hundreds of yuan); "
                                  "absent: the whole loan")


class RepaymentRequestIn(Strict):
    quoted_total_fen: PositiveFen = Field(description="the total of today's quote")
    principal_fen: PositiveFen | None = Field(default=None, description="as quoted; absent: the whole loan")


class CreditLineOut(WithMethodNames):
    credit_line_id: str
    status: str
    next_action: str = Field(description="what the app offers next (NONE when nothing is left to do)")
    limit_fen: Fen
    available_fen: Fen
    annual_rate: Rate
    term_months: list[int]
    payout_account_masked: str
    valid_until: datetime
    notice: str | None = Field(default=None, description="for the customer, in Chinese: why the line is paused, or "
                                                         "that new drawdowns wait for the bank's review")


class DrawdownAcceptedOut(WithMethodName):
    drawdown_id: str
    credit_line_id: str
    amount_fen: PositiveFen
    term_months: int
    accepted_at: datetime
    status_url: str


class DrawdownOut(WithMethodName):
    drawdown_id: str
    credit_line_id: str
    status: Literal["AWAITING_APPROVAL", "REQUESTED", "RESERVED", "DISBURSED", "BOOKED", "REJECTED", "FAILED"]
    next_action: str = Field(description="what the app offers next: WAIT_FOR_BANK_REVIEW, WAIT_FOR_PAYOUT, "
                                         "VIEW_LOAN, DRAW_AGAIN, READ_NOTICE, CONTACT_BANK or NONE")
    message_zh: str = Field(description="what happened and what to do, in words the app shows the customer as is")
    amount_fen: PositiveFen
    term_months: int
    account_masked: str
    loan_id: str | None
    failure_reason: str | None
    created_at: datetime
    updated_at: datetime


class DrawdownQuoteIn(Strict):
    amount_fen: PositiveFen
    term_months: StrictInt = Field(ge=1, le=60)
    repayment_method: RepaymentMethodName


class DrawdownListOut(Strict):
    """Mine, newest first."""

    items: list[DrawdownOut]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")


class LoanOut(WithMethodName):
    loan_id: str
    next_action: str = Field(description="what the app offers next (NONE when nothing is left to do)")
    instalments_paid: int
    days_past_due: int
    drawdown_id: str
    credit_line_id: str
    status: str
    principal_fen: PositiveFen
    outstanding_principal_fen: Fen
    annual_rate: Rate
    term_months: int
    start_date: date
    total_interest_fen: Fen
    apr: Rate = Field(description="annualised rate by IRR over the schedule's cash flows (PBoC 2021)")
    interest_convention: str
    schedule: list[InstalmentOut]
    price: PriceOut
    extended_months: int = Field(0, description="months its extensions (展期) added to the term")
    restructured_on: date | None = Field(None, description="the last restructuring")
    observed_until: date | None = Field(None, description="a restructured loan is at least 关注 until then")
    written_off_on: date | None = None
    written_off_balance_fen: Fen = Field(0, description="written off and not yet recovered (the claim stands)")


class RepaymentQuoteOut(Strict):
    loan_id: str
    as_of: date
    kind: Literal["WHOLE", "PART"]
    principal_fen: Fen
    interest_fen: Fen
    total_fen: Fen
    interest_days: int
    convention: str = Field(description="how the interest was computed")
    schedule_after: list[InstalmentOut] = Field(description="a part prepayment: the remaining instalments after it "
                                                            "(same dates, lower amounts); empty for the whole loan")


class RepaymentOut(Strict):
    repayment_id: str
    loan_id: str
    principal_fen: Fen
    interest_fen: Fen
    total_fen: Fen
    as_of: date
    loan_status: Literal["ACTIVE", "CLOSED"]


class LineMovementOut(Strict):
    occurred_at: datetime
    event: str
    event_zh: str = Field("", description="the event in words")
    reference: str = Field(description="the drawdown or loan that moved the line")
    available_change_fen: int = Field(description="signed: a reservation is negative, a repayment positive")
    status_after: Literal["ACTIVE", "FROZEN", "EXPIRED", "CLOSED"] | None


class CreditLineHistoryOut(Strict):
    credit_line_id: str
    limit_fen: Fen
    available_fen: Fen
    items: list[LineMovementOut] = Field(description="oldest first; limit + the sum of the changes = available")


class DrawdownQuoteOut(WithMethodName):
    """What the drawdown would be if confirmed now: nothing is reserved or recorded by asking."""

    credit_line_id: str
    amount_fen: PositiveFen
    amount_in_words: str = Field(description="人民币 in capital numerals")
    term_months: int
    annual_rate: Rate
    apr: Rate = Field(description="annualised rate by IRR over the schedule's cash flows (PBoC 2021)")
    total_interest_fen: Fen
    total_repayment_fen: Fen
    start_date: date = Field(description="the loan is dated the day it is booked; a later day shifts the schedule")
    interest_convention: str
    schedule: list[InstalmentOut]
    price: PriceOut


class CreditLineListOut(Strict):
    """Mine, newest first."""

    items: list[CreditLineOut]
    next_cursor: str | None


class LoanSummaryOut(WithMethodName):
    loan_id: str
    next_action: str = Field(description="what the app offers next (NONE when nothing is left to do)")
    credit_line_id: str
    status: str
    principal_fen: PositiveFen
    outstanding_principal_fen: Fen
    annual_rate: Rate
    term_months: int
    start_date: date
    days_past_due: int
    next_instalment: InstalmentOut | None = Field(description="the next one to pay; null once repaid")


class LoanListOut(Strict):
    """Mine, newest first, each with its next instalment."""

    items: list[LoanSummaryOut]
    next_cursor: str | None
