"""The back office: reviews, the officers' sign-in, line files, customer files, contracts, audit, origination
figures."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field, model_validator

from .common import (
    ApplicationId,
    BusinessDate,
    CreditLineId,
    Fen,
    IdentityOut,
    IdNumber,
    PlainText,
    PositiveFen,
    Rate,
    ReasonOut,
    Strict,
)
from .compliance import OfficerHumanReviewOut
from .monitoring import MoneyCountOut, WarningCauseOut
from .origination import ContractOut, ContractVerificationOut
from .servicing import CreditLineHistoryOut, CreditLineOut, DrawdownOut, LoanOut


class ReviewDecisionRequest(Strict):
    decision: Literal["APPROVE", "DECLINE"]
    comment: PlainText = Field(min_length=2, max_length=1000)
    credit_limit_fen: PositiveFen | None = Field(default=None, description="optional lower line on approval")


class RevealRequest(Strict):
    field: Literal["ID_NUMBER", "PHONE", "PAYOUT_ACCOUNT"]
    reason: PlainText = Field(min_length=4, max_length=500, description="why the officer needs the full value")


class RevealOut(Strict):
    """One unmasked field, revealed to one officer for a stated reason (audited: who, which field, why)."""

    application_id: str
    field: str
    value: str


class RiskOut(Strict):
    pd: str = Field(description="calibrated probability of default, decimal string")
    score: int
    grade: str
    reasons: list[ReasonOut]
    model_version: str
    bureau_record: str | None
    verified_revenue_fen: Fen
    existing_debt_fen: Fen
    contributions: list[str] = Field(default_factory=list, description="each reason's contribution to the log-odds "
                                     "of default (decimal strings), in the reasons' order; what the chart draws")


class ReviewItemOut(Strict):
    application_id: str
    status: str
    referred_at: datetime
    requested_amount_fen: Fen
    proposed_limit_fen: Fen | None
    annual_rate: Rate | None
    reason_codes: list[str]
    reasons_zh: list[str] = Field(default_factory=list, description="why it was referred, in words")
    applicant_name_masked: str
    applicant_phone_masked: str
    business_name_masked: str
    years_in_business: int
    annual_revenue_fen: Fen
    identity: IdentityOut | None
    risk: RiskOut | None
    first_approval_by: str | None
    face_match_band: Literal["MATCH", "BORDERLINE", "LOW", "NO_FACE"] | None = Field(
        default=None, description="the live face against the card's portrait: the policy's band, never a score")
    selfie_match_band: Literal["MATCH", "BORDERLINE", "LOW", "NO_FACE"] | None = Field(
        default=None, description="the live face against the uploaded selfie")
    known_risks: list[WarningCauseOut] = Field(
        default_factory=list, description="what the bank already knew of the applicant when it decided: causes of "
                                          "open warnings on her lines and standing court, registry or tax records")
    nature_of_business: str | None = Field(None, description="customer due diligence: what the business does")
    beneficial_owner: Literal["APPLICANT", "OTHER"] | None = None
    beneficial_owner_name_masked: str | None = None
    compliance_officer_required: bool = Field(False, description="a sanctions hit or another beneficial owner: "
                                                                 "decided by a compliance officer")


class ReviewListOut(Strict):
    items: list[ReviewItemOut]
    human_reviews: list[OfficerHumanReviewOut] = Field(
        default_factory=list, description="customers' requests for a person to review an automated decision (PIPL "
                                          "Art. 24), the earliest due first")


class ReviewDecisionOut(Strict):
    application_id: str
    decision: Literal["APPROVE", "DECLINE"]
    status: Literal["DECIDED", "AWAITING_SECOND_APPROVAL"]
    credit_limit_fen: Fen | None
    decided_by: str


class ReconciliationBreakOut(Strict):
    kind: Literal["PAYOUT", "COLLECTION"]
    id: str
    problem: Literal["AT_CORE_NOT_BOOKED", "BOOKED_NOT_AT_CORE", "AMOUNT_DIFFERS"]
    core_fen: Fen | None = None
    ledger_fen: Fen | None = None


class ReconciliationOut(Strict):
    matched: int
    matched_fen: Fen
    breaks: list[ReconciliationBreakOut]


class ConsoleSessionOut(Strict):
    access_token: str = Field(description="the console keeps it in memory; send it as Authorization: Bearer")
    expires_in: int = Field(description="seconds; sign in again after")
    officer: str
    officer_id: str = Field(description="the id the audit trail records the officer's acts under")


class ClassificationChangeOut(Strict):
    at: datetime
    from_class: str
    to_class: str
    reasons: list[str]
    reasons_zh: list[str] = Field(default_factory=list, description="the reasons in words")


class ClosedScheduleOut(Strict):
    closed_at: datetime
    request_id: str = Field(description="the restructuring that replaced it")
    instalments: int
    maturity: date


class OfficerLoanOut(Strict):
    loan: LoanOut
    classification: Literal["NORMAL", "SPECIAL_MENTION", "SUBSTANDARD", "DOUBTFUL", "LOSS"]
    classification_zh: str
    bucket: str
    worst_days_past_due: int
    classification_history: list[ClassificationChangeOut]
    under_observation: bool = Field(description="restructured less than 12 months ago: at least 关注 until "
                                                "loan.observed_until")
    closed_schedules: list[ClosedScheduleOut] = Field(description="the schedules restructurings replaced")


class LedgerLegOut(Strict):
    account: str
    account_zh: str = Field("", description="the account in words")
    debit_fen: Fen
    credit_fen: Fen


class LedgerTransactionOut(Strict):
    transaction_id: str
    kind: str
    kind_zh: str = Field("", description="the kind in words")
    reference: str
    booked_at: datetime
    legs: list[LedgerLegOut]


class RepaymentRowOut(Strict):
    reference: str
    booked_at: datetime
    amount_fen: Fen


class OfficerLineOut(Strict):
    """A credit line as the back office sees it: masked, with everything booked on it."""

    line: CreditLineOut
    limit_in_words: str = Field(description="the limit in Chinese capital numerals, as the contract writes it")
    customer_id: str
    application_id: str
    history: CreditLineHistoryOut
    drawdowns: list[DrawdownOut] = Field(description="newest first")
    loans: list[OfficerLoanOut]
    repayments: list[RepaymentRowOut] = Field(description="money received on the line's loans, as booked")
    ledger: list[LedgerTransactionOut]
    open_warning_id: str | None


class CustomerSearchIn(Strict):
    """Exactly one of the three. Searching by ID number is an officer's act in the audit trail (the number is not
    kept); the number travels in the body, never in a URL or an access log."""

    id_number: IdNumber | None = None
    application_id: ApplicationId | None = None
    credit_line_id: CreditLineId | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "CustomerSearchIn":
        if sum(v is not None for v in (self.id_number, self.application_id, self.credit_line_id)) != 1:
            raise ValueError("search by exactly one of: id_number, application_id, credit_line_id")
        return self


class CustomerApplicationOut(Strict):
    application_id: str
    status: str
    created_at: datetime
    submitted_at: datetime | None
    requested_amount_fen: Fen
    business_name_masked: str
    credit_line_id: str | None


class CustomerFileOut(Strict):
    """A customer as the back office sees them (masked), with their applications and lines, newest first."""

    customer_id: str
    applicant_name_masked: str
    applicant_phone_masked: str
    applications: list[CustomerApplicationOut]
    lines: list[CreditLineOut]


class CardImageOut(Strict):
    doc_type: Literal["ID_CARD_FRONT", "ID_CARD_BACK", "SELFIE"]
    status: str = Field(description="READ, RETAKE_REQUIRED, RECEIVED; GONE once the 30-day expiry removed it")
    url: str | None = Field(description="a watermarked copy (仅供审核, the officer, the time); lives a minute")
    reason_codes: list[str]


class CardImagesOut(Strict):
    application_id: str
    expires_in: int
    items: list[CardImageOut]


class OfficerContractOut(Strict):
    """The contract as the back office checks it: the record, a download link, and the signed PDF validated again."""

    contract: ContractOut
    credit_limit_fen: Fen | None
    credit_limit_in_words: str | None = Field(description="as the contract writes it, e.g. 人民币伍万元整")
    verification: ContractVerificationOut | None = Field(description="None before the contract is signed")


class AuditQuery(Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=False, defer_build=True)

    from_: BusinessDate | None = Field(default=None, alias="from", description="first business day; today if absent")
    to: BusinessDate | None = Field(default=None, description="last business day (at most 31 days); `from` if absent")
    officer: str | None = Field(default=None, pattern=r"^[A-Za-z0-9._@-]{1,128}$")
    action: str | None = Field(default=None, pattern=r"^[A-Za-z]{3,64}$", description="an event name")
    application_id: ApplicationId | None = Field(default=None, description="that application's whole trail "
                                                 "(customer, system and officers) and its line's")


class AuditEntryOut(Strict):
    occurred_at: datetime
    event: str
    event_zh: str = Field("", description="the act in words")
    actor: str
    officer: str | None
    subject_id: str = Field(description="the application, line, drawdown, loan, warning or customer it is about")
    data: dict[str, Any]


class AuditOut(Strict):
    items: list[AuditEntryOut] = Field(description="newest first, at most 500")
    truncated: bool = Field(description="more matched: narrow the search")


class OriginationQuery(Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=False, defer_build=True)

    from_: BusinessDate | None = Field(default=None, alias="from", description="the 14 days to `to` if absent")
    to: BusinessDate | None = Field(default=None, description="today if absent; at most 92 days in all")


class FunnelOut(Strict):
    APPLIED: int
    OFFERED: int
    SIGNED: int
    DRAWN: int


class PayoutTimeOut(Strict):
    count: int
    median_seconds: int | None
    p90_seconds: int | None


class OriginationDayOut(Strict):
    date: BusinessDate
    stages: FunnelOut
    disbursed: MoneyCountOut
    collected: MoneyCountOut


class OriginationOut(Strict):
    """Applied -> offered -> signed -> first payout in the period (each application or line once), the time from
    submission to first payout, and each day's stages and money movements."""

    from_: BusinessDate = Field(alias="from")
    to: BusinessDate
    funnel: FunnelOut
    submission_to_first_payout: PayoutTimeOut
    days: list[OriginationDayOut]


class InPersonItemOut(Strict):
    application_id: str
    applicant_name_masked: str
    applicant_phone_masked: str
    id_number_masked: str | None = Field(description="the card read at upload: the officer checks the original")
    business_name_masked: str
    submitted_at: datetime | None


class InPersonListOut(Strict):
    items: list[InPersonItemOut]


class InPersonVerificationIn(Strict):
    outcome: Literal["VERIFIED", "NOT_VERIFIED"]
    channel: Literal["BRANCH", "VIDEO"] = Field(description="seen in a branch, or on a video call")
    branch: PlainText = Field(min_length=2, max_length=60, description="the branch (or the video desk)")
    comment: PlainText = Field(min_length=4, max_length=500, description="what was checked")


class InPersonVerificationOut(Strict):
    application_id: str
    outcome: Literal["VERIFIED", "NOT_VERIFIED"]
    channel: Literal["BRANCH", "VIDEO"]
    branch: str
    officer: str
    at: datetime
