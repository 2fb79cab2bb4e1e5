"""Origination: the application, its documents, identity and liveness, the decision and offer, the contract."""

from datetime import date, datetime
from typing import Literal, Self

from pydantic import Field, StrictInt, model_validator
from pydantic_core import PydanticCustomError

from .common import (
    ConsentKind,
    CreditCode,
    DocumentType,
    Fen,
    IdentityOut,
    PlainText,
    PositiveFen,
    PriceOut,
    Rate,
    ReasonOut,
    Strict,
    WithMethodName,
    WithMethodNames,
)


class ApplicantIn(Strict):
    name: PlainText = Field(min_length=2, max_length=30)
    phone: str = Field(pattern=r"^1[3-9][0-9]{9}$", description="mainland mobile number")


class BusinessIn(Strict):
    name: PlainText = Field(min_length=2, max_length=100)
    registration_no: CreditCode
    years_in_business: StrictInt = Field(ge=0, le=100)
    annual_revenue_fen: Fen


class DueDiligenceIn(Strict):
    """Customer due diligence (反洗钱法): what the business does and who ultimately owns or controls it."""

    nature_of_business: PlainText = Field(min_length=2, max_length=100, description="主营业务, e.g. 日用百货零售")
    beneficial_owner: Literal["APPLICANT", "OTHER"] = Field(
        description="the business's beneficial owner (受益所有人) is the applicant, or someone else")
    beneficial_owner_name: PlainText | None = Field(None, min_length=2, max_length=50,
                                                    description="required when OTHER (a compliance officer reviews)")
    industry: Literal["RETAIL", "CATERING", "MANUFACTURING", "SERVICES", "TRANSPORT", "AGRICULTURE", "OTHER"] = Field(
        "OTHER", description="行业类别: a product may lend to some only (GET /v1/products says which)")

    @model_validator(mode="after")
    def _named_when_other(self) -> Self:
        if (self.beneficial_owner == "OTHER") != bool(self.beneficial_owner_name):
            raise PydanticCustomError("beneficial_owner_name",
                                      "name the beneficial owner when, and only when, it is someone else")
        return self


class ConsentIn(Strict):
    kind: ConsentKind
    version: str = Field(pattern=r"^v[0-9]+(\.[0-9]+)*$", description="version of the consent text shown")
    granted: Literal[True] = Field(description="must be true: consent is an explicit act")


class CreateApplicationRequest(Strict):
    """A customer the bank knows (``GET /v1/customer/profile`` answers 200) sends the amount, the purpose, the
    consents and ``payout_account_id`` (one of her accounts in the profile), and the business only if the profile
    has none: the rest is read from her record. A customer new to the bank sends ``applicant``, ``business`` and
    ``payout_account_no``."""

    product_code: str = Field(pattern=r"^[A-Z][A-Z0-9_]{2,40}$", description="one of GET /v1/products")
    requested_amount_fen: PositiveFen
    purpose: PlainText = Field(min_length=2, max_length=200)
    applicant: ApplicantIn | None = None
    business: BusinessIn | None = None
    payout_account_no: str | None = Field(None, pattern=r"^[0-9]{12,30}$",
                                          description="the applicant's own settlement account (typed)")
    payout_account_id: str | None = Field(None, pattern=r"^acct_[0-9a-f]{20}$",
                                          description="one of the customer's own accounts at the bank, by its id")
    consents: list[ConsentIn] = Field(min_length=1, max_length=10)
    due_diligence: DueDiligenceIn
    identity_verification: Literal["FACE", "IN_PERSON"] = Field(
        "FACE", description="FACE: liveness and face match (needs the BIOMETRIC consent); IN_PERSON: no face is "
                            "processed, an officer verifies her in a branch or by video call")

    @model_validator(mode="after")
    def _one_payout_account(self) -> Self:
        if (self.payout_account_no is None) == (self.payout_account_id is None):
            raise PydanticCustomError("one_payout_account",
                                      "name the payout account once: payout_account_id or payout_account_no")
        return self


class DocumentUploadRequest(Strict):
    type: DocumentType
    content_type: Literal["image/jpeg", "image/png", "application/pdf"]


class SignatureRequest(Strict):
    otp: str = Field(pattern=r"^[0-9]{6}$")


class DecisionOut(Strict):
    outcome: Literal["APPROVE", "DECLINE", "REFER"]
    reason_codes: list[str]
    reasons: list[ReasonOut] = Field(description="the reason codes in words, Chinese and English")


class WorkedExampleOut(WithMethodName):
    amount_fen: Fen
    term_months: int
    first_instalment_fen: Fen
    total_interest_fen: Fen
    total_repaid_fen: Fen
    apr: Rate


class OfferOut(WithMethodNames):
    credit_limit_fen: Fen
    credit_limit_in_words: str = Field(description="the line in Chinese capital numerals, e.g. 人民币伍万元整")
    annual_rate: Rate
    apr: Rate = Field(description="annualised rate by IRR (PBoC); equal to the annual rate as there are no fees")
    term_months: list[int]
    valid_until: datetime
    fees_fen: Fen = Field(description="the worked example's fees (the product charges none today)")
    worked_example: WorkedExampleOut = Field(description="the whole line drawn over the longest term")
    price: PriceOut = Field(description="the worked example's 年化利率 and 综合融资成本")


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
    identity_verification: Literal["FACE", "IN_PERSON"] = "FACE"
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
    words_available: bool = Field(description="its words are kept as data (GET .../contract/agreement); a v1 "
                                              "contract's text is its PDF only")


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
    resend_after: int = Field(60, description="seconds before another code may be asked for (the app counts down)")


class AgreementTermOut(Strict):
    label: str
    value: str


class AgreementClauseOut(Strict):
    heading: str
    text: str


class AgreementOut(Strict):
    """The contract's words, the same Agreement its PDF was drawn from, for a client that renders them itself."""

    application_id: str
    contract_no: str
    template_version: str
    status: Literal["UNSIGNED", "SIGNED"]
    title: str
    key_terms: list[AgreementTermOut]
    clauses: list[AgreementClauseOut]
    signature_block: list[str]


class ContractDocumentOut(Strict):
    application_id: str
    contract_no: str
    status: Literal["UNSIGNED", "SIGNED"]
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="of exactly these bytes")
    pdf_base64: str


class OwnAccountOut(Strict):
    account_id: str = Field(description="the account's opaque id: send it back as payout_account_id")
    account_no_masked: str
    account_class: Literal["I", "II"] = Field(description="I: 一类户 (full functions); II: 二类户 (limited)")
    status: Literal["ACTIVE", "DORMANT", "FROZEN"]
    can_receive_payout: bool = Field(description="an active type I account: a loan can be paid into it")


class KnownBusinessOut(Strict):
    name: str
    registration_no: str


class PreApprovalOut(Strict):
    limit_fen: Fen = Field(description="the line the bank's own data supports; applying queries the credit bureau, "
                                       "and the offer may be lower")
    annual_rate_from: str = Field(description="the lowest annual rate it could carry, as a decimal string")
    valid_until: datetime
    product_code: str = Field(description="the product the line is offered in (apply with this code)")


class CustomerProfileOut(Strict):
    """The signed-in customer's record at the bank, as the app shows it: masked, read-only."""

    name_masked: str
    id_number_masked: str
    phone_masked: str
    customer_since: date
    accounts: list[OwnAccountOut]
    business: KnownBusinessOut | None = Field(description="the business the bank knows, if any (else she types it)")
    pre_approval: PreApprovalOut | None
