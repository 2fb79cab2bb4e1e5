"""Request and response models of API v1. They are the contract: the OpenAPI document (chalicelib/api/openapi.json,
served at /v1/openapi.json) is generated from them, and the API tests validate every response against it.

Amounts are integers of fen (JSON integers; a float or a string is refused), rates are decimal strings.
Unknown fields are refused (extra="forbid")."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, model_validator
from pydantic_core import PydanticCustomError

from ..domain.identity import id_number_problems, uscc_problems
from ..domain.text import visible_text

Fen = Annotated[StrictInt, Field(ge=0, le=10_000_000_000, description="integer amount in fen (1 yuan = 100 fen)")]
PositiveFen = Annotated[StrictInt, Field(gt=0, le=10_000_000_000, description="integer amount in fen")]
Rate = Annotated[str, Field(pattern=r"^0\.[0-9]{4}$", description="annual rate as a decimal string, e.g. 0.0720")]
DocumentType = Literal["ID_CARD_FRONT", "ID_CARD_BACK", "SELFIE", "BUSINESS_LICENCE", "BANK_STATEMENT"]
RepaymentMethodName = Literal["EQUAL_INSTALMENT", "EQUAL_PRINCIPAL", "INTEREST_FIRST"]
ConsentKind = Literal["PERSONAL_INFORMATION", "CREDIT_BUREAU", "BIOMETRIC"]
BusinessDate = date  # (a field may be named "date")
# Free text a person typed that ends up in documents and screens (the contract PDF, the officer's console):
# no control, bidirectional-override, zero-width or other invisible format characters (domain/text.py).
PlainText = Annotated[str, AfterValidator(visible_text)]


def _credit_code_checked(code: str) -> str:
    """A 统一社会信用代码 someone typed: its shape is the pattern's, its last character must be its check character
    (GB 32100-2015) - one mistyped character would send the tax query to another business, or to none."""
    for problem in uscc_problems(code):
        raise PydanticCustomError(problem, "the unified social credit code's check character does not match: "
                                           "it was mistyped")
    return code


def _id_number_checked(number: str) -> str:
    """A 居民身份证号码 someone typed: check digit (GB 11643-1999), province and birth date must hold."""
    problems, _ = id_number_problems(number)
    for problem in problems:
        raise PydanticCustomError(problem, "the ID number is not a valid one (check digit, province or birth date): "
                                           "it was mistyped")
    return number


CreditCode = Annotated[str, Field(pattern=r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$",
                                  description="统一社会信用代码 (18 characters, the last its check character)"),
                       AfterValidator(_credit_code_checked)]
IdNumber = Annotated[str, Field(pattern=r"^[0-9]{17}[0-9Xx]$",
                                description="居民身份证号码 (18 characters, the last its check digit)"),
                     AfterValidator(_id_number_checked)]


class Strict(BaseModel):
    # built on first use, not at import: a cold start builds only the models its request needs (~100 ms saved)
    model_config = ConfigDict(extra="forbid", defer_build=True)


# ---- requests -------------------------------------------------------------------------------------------
class ApplicantIn(Strict):
    name: PlainText = Field(min_length=2, max_length=30)
    phone: str = Field(pattern=r"^1[3-9][0-9]{9}$", description="mainland mobile number")


class BusinessIn(Strict):
    name: PlainText = Field(min_length=2, max_length=100)
    registration_no: CreditCode
    years_in_business: StrictInt = Field(ge=0, le=100)
    annual_revenue_fen: Fen


class ConsentIn(Strict):
    kind: ConsentKind
    version: str = Field(pattern=r"^v[0-9]+(\.[0-9]+)*$", description="version of the consent text shown")
    granted: Literal[True] = Field(description="must be true: consent is an explicit act")


class CreateApplicationRequest(Strict):
    product_code: Literal["INCLUSIVE_BUSINESS_LOAN"]
    requested_amount_fen: PositiveFen
    purpose: PlainText = Field(min_length=2, max_length=200)
    applicant: ApplicantIn
    business: BusinessIn
    payout_account_no: str = Field(pattern=r"^[0-9]{12,30}$", description="the applicant's own settlement account")
    consents: list[ConsentIn] = Field(min_length=1, max_length=10)


class DocumentUploadRequest(Strict):
    type: DocumentType
    content_type: Literal["image/jpeg", "image/png", "application/pdf"]


class SignatureRequest(Strict):
    otp: str = Field(pattern=r"^[0-9]{6}$")


class DrawdownRequestIn(Strict):
    amount_fen: PositiveFen
    term_months: StrictInt = Field(ge=1, le=120)
    repayment_method: RepaymentMethodName
    account_no: str = Field(pattern=r"^[0-9]{12,30}$")


class RepaymentQuoteIn(Strict):
    principal_fen: PositiveFen | None = Field(
        default=None, description="principal to prepay (at least 100,000 fen, whole hundreds of yuan); "
                                  "absent: the whole loan")


class RepaymentRequestIn(Strict):
    quoted_total_fen: PositiveFen = Field(description="the total of today's quote")
    principal_fen: PositiveFen | None = Field(default=None, description="as quoted; absent: the whole loan")


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


class OpenApiDocumentOut(BaseModel):
    """An OpenAPI 3.1 document."""

    model_config = ConfigDict(extra="allow", defer_build=True)
    openapi: str


# ---- responses ------------------------------------------------------------------------------------------
class ErrorBody(Strict):
    code: str = Field(description="what the app branches on")
    message: str = Field(description="for developers and logs (English)")
    message_zh: str = Field(description="a sentence the app may show the customer as it is")
    details: dict[str, Any]


class ErrorResponse(Strict):
    error: ErrorBody


class ReasonOut(Strict):
    code: str
    zh: str
    en: str


class DecisionOut(Strict):
    outcome: Literal["APPROVE", "DECLINE", "REFER"]
    reason_codes: list[str]
    reasons: list[ReasonOut] = Field(description="the reason codes in words, Chinese and English")


class WorkedExampleOut(Strict):
    amount_fen: Fen
    term_months: int
    repayment_method: RepaymentMethodName
    first_instalment_fen: Fen
    total_interest_fen: Fen
    total_repaid_fen: Fen
    apr: Rate


class OfferOut(Strict):
    credit_limit_fen: Fen
    credit_limit_in_words: str = Field(description="the line in Chinese capital numerals, e.g. 人民币伍万元整")
    annual_rate: Rate
    apr: Rate = Field(description="annualised rate by IRR (PBoC); equal to the annual rate as there are no fees")
    term_months: list[int]
    repayment_methods: list[RepaymentMethodName]
    valid_until: datetime
    fees_fen: Fen = Field(description="the product charges no fees")
    worked_example: WorkedExampleOut = Field(description="the whole line drawn over the longest term")


class LivenessSessionOut(Strict):
    session_id: str


class LivenessResultOut(Strict):
    outcome: Literal["PASS", "RETRY", "FAIL"] = Field(description="never a score")


class DocumentOut(Strict):
    type: DocumentType
    key: str = Field(description="the upload this status is of (the key its upload instructions gave): reading is "
                                 "asynchronous, so a client waits for its own upload's status, not an earlier one's")
    status: Literal["RECEIVED", "READ", "RETAKE_REQUIRED"]
    reason_codes: list[str] = Field(description="why a new photo is needed, e.g. OCR_LOW_CONFIDENCE, WRONG_FILE_TYPE")
    reasons: list[ReasonOut] = Field(default_factory=list, description="the same in words the app shows")


class IdentityOut(Strict):
    verdict: Literal["PASS", "FAIL", "RETRY", "REVIEW"]
    reason_codes: list[str]
    name_masked: str
    id_number_masked: str
    sex: str
    birth_date: str
    valid_until: str = Field(description="ISO date, or 长期 for a long-term card")


class ConsentOut(Strict):
    kind: ConsentKind
    version: str
    granted_at: datetime
    withdrawn_at: datetime | None


class ApplicationOut(Strict):
    application_id: str
    status: str
    next_action: str
    product_code: str
    requested_amount_fen: Fen
    purpose: str
    applicant_name_masked: str
    applicant_phone_masked: str
    business_name_masked: str
    documents_received: list[DocumentType]
    documents: list[DocumentOut]
    consents: list[ConsentOut]
    liveness_passed: bool
    phone_verified: bool
    identity: IdentityOut | None
    decision: DecisionOut | None
    offer: OfferOut | None
    credit_line_id: str | None
    failure_reason: str | None
    created_at: datetime
    updated_at: datetime


class ApplicationSummaryOut(Strict):
    """One line of my list; the whole application (documents, decision, offer) is GET /v1/applications/{id}."""

    application_id: str
    status: str
    next_action: str
    product_code: str
    requested_amount_fen: Fen
    business_name_masked: str
    credit_line_id: str | None
    created_at: datetime
    updated_at: datetime


class ApplicationListOut(Strict):
    """Mine, newest first."""

    items: list[ApplicationSummaryOut]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")


class UploadInstructionsOut(Strict):
    document_type: DocumentType
    key: str
    url: str
    fields: dict[str, str]
    max_bytes: int
    expires_in: int


class SignatureOut(Strict):
    field: str = Field(description="Borrower, BankSeal or ArchiveTimestamp")
    signer: str
    certificate_serial: str
    signed_at: datetime | None
    timestamp_at: datetime | None = Field(description="the time-stamping authority's time (RFC 3161)")


class ContractOut(Strict):
    application_id: str
    contract_no: str
    status: Literal["UNSIGNED", "SIGNED"]
    template_version: str
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="of the unsigned PDF you review before signing")
    signed_sha256: str | None = Field(pattern=r"^[0-9a-f]{64}$", description="of the signed PDF")
    pades_level: str | None
    signatures: list[SignatureOut]
    download_url: str = Field(description="the unsigned PDF before signing, the signed one after")
    download_expires_in: int
    signed_at: datetime | None


class SignatureCheckOut(Strict):
    field: str
    signer: str
    certificate_serial: str
    timestamp_at: datetime | None
    intact: bool
    valid: bool
    coverage: str
    problem: str | None


class ContractVerificationOut(Strict):
    application_id: str
    valid: bool = Field(description="every signature and timestamp valid and nothing changed after the last one")
    intact: bool
    pades_level: str
    modified_after_last_signature: bool
    matches_recorded_sha256: bool
    summary: str
    signatures: list[SignatureCheckOut]


class OtpSentOut(Strict):
    sent_to: str
    expires_in: int


class CreditLineOut(Strict):
    credit_line_id: str
    status: str
    next_action: str = Field(description="what the app offers next (NONE when nothing is left to do)")
    limit_fen: Fen
    available_fen: Fen
    annual_rate: Rate
    term_months: list[int]
    repayment_methods: list[RepaymentMethodName]
    payout_account_masked: str
    valid_until: datetime
    notice: str | None = Field(default=None, description="for the customer, in Chinese: why the line is paused, or "
                                                         "that new drawdowns wait for the bank's review")


class DrawdownAcceptedOut(Strict):
    drawdown_id: str
    credit_line_id: str
    amount_fen: PositiveFen
    term_months: int
    repayment_method: RepaymentMethodName
    accepted_at: datetime
    status_url: str


class DrawdownOut(Strict):
    drawdown_id: str
    credit_line_id: str
    status: Literal["AWAITING_APPROVAL", "REQUESTED", "RESERVED", "DISBURSED", "BOOKED", "REJECTED", "FAILED"]
    next_action: str = Field(description="what the app offers next: WAIT_FOR_BANK_REVIEW, WAIT_FOR_PAYOUT, "
                                         "VIEW_LOAN, DRAW_AGAIN, READ_NOTICE, CONTACT_BANK or NONE")
    message_zh: str = Field(description="what happened and what to do, in words the app shows the customer as is")
    amount_fen: PositiveFen
    term_months: int
    repayment_method: RepaymentMethodName
    account_masked: str
    loan_id: str | None
    failure_reason: str | None
    created_at: datetime
    updated_at: datetime


class DrawdownQuoteIn(Strict):
    amount_fen: PositiveFen
    term_months: StrictInt = Field(ge=1, le=60)
    repayment_method: RepaymentMethodName


class PageQuery(Strict):
    limit: int = Field(default=20, ge=1, le=50, description="items per page")
    cursor: str | None = Field(default=None, max_length=300, pattern=r"^[A-Za-z0-9_-]+$",
                               description="the `next_cursor` of the page before; absent for the first page")


class DrawdownListOut(Strict):
    """Mine, newest first."""

    items: list[DrawdownOut]
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last")


class InstalmentOut(Strict):
    number: int
    due_date: date
    principal_fen: Fen
    interest_fen: Fen
    total_fen: Fen


class LoanOut(Strict):
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
    repayment_method: RepaymentMethodName
    start_date: date
    total_interest_fen: Fen
    apr: Rate = Field(description="annualised rate by IRR over the schedule's cash flows (PBoC 2021)")
    interest_convention: str
    schedule: list[InstalmentOut]


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


class WarningCauseOut(Strict):
    rule: str
    level: Literal["RED", "ORANGE", "YELLOW"]
    source: str
    reason_zh: str
    reason_en: str
    first_seen: datetime
    evidence: dict[str, Any] = Field(description="what the source reported, masked")


class ReviewItemOut(Strict):
    application_id: str
    status: str
    referred_at: datetime
    requested_amount_fen: Fen
    proposed_limit_fen: Fen | None
    annual_rate: Rate | None
    reason_codes: list[str]
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


class ReviewListOut(Strict):
    items: list[ReviewItemOut]


class ReviewDecisionOut(Strict):
    application_id: str
    decision: Literal["APPROVE", "DECLINE"]
    status: Literal["DECIDED", "AWAITING_SECOND_APPROVAL"]
    credit_limit_fen: Fen | None
    decided_by: str


class OutboxMessageOut(Strict):
    message_id: str
    channel: str
    destination_masked: str
    template: str
    text: str
    sent_at: datetime


class OutboxOut(Strict):
    items: list[OutboxMessageOut]


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
    reference: str = Field(description="the drawdown or loan that moved the line")
    available_change_fen: int = Field(description="signed: a reservation is negative, a repayment positive")
    status_after: Literal["ACTIVE", "FROZEN", "EXPIRED", "CLOSED"] | None


class CreditLineHistoryOut(Strict):
    credit_line_id: str
    limit_fen: Fen
    available_fen: Fen
    items: list[LineMovementOut] = Field(description="oldest first; limit + the sum of the changes = available")


class AutoDebitRunIn(Strict):
    date: date


class ExternalRecordIn(Strict):
    source: Literal["JUDICIAL", "REGISTRY", "TAX", "BUREAU"]
    id_number: IdNumber | None = Field(default=None, description="whom a court, tax or bureau record is about")
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


# ---- post-loan early warnings (back office) ------------------------------------------------------------
class WarningQuery(Strict):
    level: Literal["RED", "ORANGE", "YELLOW"] | None = None
    status: Literal["OPEN", "CLOSED"] = "OPEN"
    overdue: Literal["true", "false"] = Field(default="false", description="only tasks past their deadline")


class WarningOut(Strict):
    warning_id: str
    credit_line_id: str
    level: Literal["RED", "ORANGE", "YELLOW"]
    status: Literal["OPEN", "CLOSED"]
    opened_at: datetime
    task_due_at: datetime
    task_overdue: bool
    reason_codes: list[str]
    causes: list[WarningCauseOut]
    history: list[dict[str, Any]]
    line_status: str


class WarningListOut(Strict):
    items: list[WarningOut]


class AwaitingDrawdownOut(Strict):
    drawdown: DrawdownOut
    warning_id: str | None = Field(description="the open warning that holds it")
    warning_level: Literal["RED", "ORANGE", "YELLOW"] | None
    reason_codes: list[str]


class AwaitingDrawdownListOut(Strict):
    items: list[AwaitingDrawdownOut]


class DrawdownDecisionIn(Strict):
    decision: Literal["APPROVE", "DECLINE"]
    comment: PlainText = Field(min_length=4, max_length=1000, description="why: kept in the drawdown's history")


class RescoreOut(Strict):
    at: datetime
    pd: str = Field(description="probability of default, decimal string")
    grade: str
    reasons: list[str]
    report_no: str
    line_status: str
    warning_level: Literal["RED", "ORANGE", "YELLOW"] | None = Field(description="the line's open warning after it")


class ConsoleSessionIn(Strict):
    username: str = Field(min_length=1, max_length=128, pattern=r"^[\w.@+-]+$")
    password: str = Field(min_length=1, max_length=256)


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


class OfficerLoanOut(Strict):
    loan: LoanOut
    classification: Literal["NORMAL", "SPECIAL_MENTION", "SUBSTANDARD", "DOUBTFUL", "LOSS"]
    bucket: str
    worst_days_past_due: int
    classification_history: list[ClassificationChangeOut]


class LedgerLegOut(Strict):
    account: str
    debit_fen: Fen
    credit_fen: Fen


class LedgerTransactionOut(Strict):
    transaction_id: str
    kind: str
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


# ---- the customer file, card images, contracts, audit, origination (back office) ---------------------------
ApplicationId = Annotated[str, Field(pattern=r"^app_[0-9a-f]{8,64}$")]
CreditLineId = Annotated[str, Field(pattern=r"^line_[0-9a-f]{8,64}$")]


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
    actor: str
    officer: str | None
    subject_id: str = Field(description="the application, line, drawdown, loan, warning or customer it is about")
    data: dict[str, Any]


class AuditOut(Strict):
    items: list[AuditEntryOut] = Field(description="newest first, at most 500")
    truncated: bool = Field(description="more matched: narrow the search")




class PortfolioQuery(Strict):
    date: BusinessDate | None = Field(default=None, description="a past sweep's day; the latest sweep if absent")


TotalFen = Annotated[StrictInt, Field(ge=0, description="integer amount in fen, a portfolio total (no cap)")]


class MoneyCountOut(Strict):
    count: int
    fen: TotalFen


class PortfolioOut(Strict):
    as_of: BusinessDate | None = Field(description="the sweep the book figures come from (null: none yet)")
    today: BusinessDate
    sweep_complete: bool = Field(description="every shard of that day's sweep reported")
    shards_reported: int
    lines_active: int
    lines_frozen: int
    loans: int
    outstanding_fen: TotalFen
    outstanding_by_bucket: dict[str, int] = Field(description="fen by delinquency bucket: CURRENT, 1-30, 31-60, "
                                                              "61-90, 90+ days past due")
    loans_by_bucket: dict[str, int]
    outstanding_by_class: dict[str, int] = Field(description="fen by five-category classification")
    npl_ratio: str = Field(description="non-performing (substandard, doubtful, loss) over outstanding, decimal")
    warnings_open: dict[str, int]
    drawdowns_awaiting_approval: int
    disbursed_today: MoneyCountOut
    collected_today: MoneyCountOut


class StabilityOut(Strict):
    month: str
    population: Literal["NEW_APPLICATIONS", "RESCORED_BOOK"]
    scored: int
    grade_counts: dict[str, int]
    psi: float | None = Field(description="population stability index against the training baseline")
    status: Literal["NO_DATA", "STABLE", "WATCH", "ACT"]


class ModelWarningOut(Strict):
    month: str
    population: str
    psi: float | None
    status: Literal["WATCH", "ACT"]


class VintagePointOut(Strict):
    months_on_book: int
    loans: int
    ever_30_dpd: int
    share: float


class VintageOut(Strict):
    cohort: str = Field(description="origination month")
    points: list[VintagePointOut]


class RollRatesOut(Strict):
    month: str
    from_start_of_month: dict[str, dict[str, float]] = Field(
        description="of the loans in a bucket at the start of the month, the share in each bucket now")


class ModelMonitoringOut(Strict):
    model: str
    baseline_grade_shares: dict[str, float]
    thresholds: dict[str, float]
    stability: list[StabilityOut]
    model_warnings: list[ModelWarningOut]
    vintage: list[VintageOut]
    roll_rates: RollRatesOut


class DispositionRequest(Strict):
    action: Literal["KEEP_FROZEN", "UNFREEZE", "FALSE_ALARM", "REDUCE_LIMIT", "CONFIRM_LIMIT_REDUCTION",
                    "PROPOSE_ACCELERATION"]
    new_limit_fen: PositiveFen | None = Field(default=None, description="REDUCE_LIMIT: the new limit (never below "
                                                                       "what is drawn)")
    comment: PlainText = Field(min_length=4, max_length=1000, description="why: kept in the warning's history")


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


class DrawdownQuoteOut(Strict):
    """What the drawdown would be if confirmed now: nothing is reserved or recorded by asking."""

    credit_line_id: str
    amount_fen: PositiveFen
    amount_in_words: str = Field(description="人民币 in capital numerals")
    term_months: int
    repayment_method: RepaymentMethodName
    annual_rate: Rate
    apr: Rate = Field(description="annualised rate by IRR over the schedule's cash flows (PBoC 2021)")
    total_interest_fen: Fen
    total_repayment_fen: Fen
    start_date: date = Field(description="the loan is dated the day it is booked; a later day shifts the schedule")
    interest_convention: str
    schedule: list[InstalmentOut]


class CreditLineListOut(Strict):
    """Mine, newest first."""

    items: list[CreditLineOut]
    next_cursor: str | None


class LoanSummaryOut(Strict):
    loan_id: str
    next_action: str = Field(description="what the app offers next (NONE when nothing is left to do)")
    credit_line_id: str
    status: str
    principal_fen: PositiveFen
    outstanding_principal_fen: Fen
    annual_rate: Rate
    term_months: int
    repayment_method: RepaymentMethodName
    start_date: date
    days_past_due: int
    next_instalment: InstalmentOut | None = Field(description="the next one to pay; null once repaid")


class LoanListOut(Strict):
    """Mine, newest first, each with its next instalment."""

    items: list[LoanSummaryOut]
    next_cursor: str | None


# ---- the customer's app: sign-in, the product, the consent texts ----------------------------------------------
class CustomerSessionOut(Strict):
    access_token: str = Field(description="kept in the page's memory; send it as Authorization: Bearer")
    expires_in: int = Field(description="seconds; sign in again after")


class ProductOut(Strict):
    product_code: str
    name: str
    summary: str
    eligibility: list[str] = Field(description="who may apply, in Chinese")
    min_line_fen: Fen
    max_line_fen: Fen
    min_annual_rate: Rate
    max_annual_rate: Rate
    term_months: list[int]
    repayment_methods: list[RepaymentMethodName]
    line_validity_months: int
    fees: str


class ConsentTextOut(Strict):
    kind: ConsentKind
    version: str
    title: str
    text: str


class ConsentTextListOut(Strict):
    items: list[ConsentTextOut]


class ContractDocumentOut(Strict):
    application_id: str
    contract_no: str
    status: Literal["UNSIGNED", "SIGNED"]
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="of exactly these bytes")
    pdf_base64: str
