"""A loan application and the life it may lead.

Invariant: an application only ever moves along an edge of ``ALLOWED_TRANSITIONS``; every move produces a
domain event; ``version`` increases by one per saved change (optimistic concurrency in the repository).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from . import events as ev
from .business_date import utcnow
from .due_diligence import DueDiligence
from .errors import InvalidTransitionError, OfferExpiredError
from .events import DomainEvent
from .face import LivenessAttempts
from .masks import mask_business_name
from .money import Money
from .repayment_method import RepaymentMethod
from .signature import SignatureRecord


class ApplicationStatus(StrEnum):
    DRAFT = "DRAFT"  # created, documents being uploaded
    SUBMITTED = "SUBMITTED"  # the origination workflow runs: identity, credit data, score
    UNDER_REVIEW = "UNDER_REVIEW"  # referred to a risk officer; the workflow waits on a task token
    OFFERED = "OFFERED"  # an offer is open; the workflow waits on a task token until it expires
    DECLINED = "DECLINED"
    ACCEPTED = "ACCEPTED"  # offer accepted, contract generated, waiting for the signature
    SIGNED = "SIGNED"  # contract signed; the workflow activates the credit line
    ACTIVE = "ACTIVE"  # credit line active: the customer can draw
    EXPIRED = "EXPIRED"  # the offer lapsed before the contract was signed
    WITHDRAWN = "WITHDRAWN"  # the customer withdrew
    FAILED = "FAILED"  # a step failed for good (after retries); the reason is recorded


S = ApplicationStatus

# The one table of allowed moves. Anything not listed is refused with InvalidTransitionError.
ALLOWED_TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.UNDER_REVIEW, S.OFFERED, S.DECLINED, S.WITHDRAWN, S.FAILED}),
    S.UNDER_REVIEW: frozenset({S.OFFERED, S.DECLINED, S.WITHDRAWN, S.FAILED}),
    S.OFFERED: frozenset({S.ACCEPTED, S.EXPIRED, S.WITHDRAWN, S.FAILED}),
    S.ACCEPTED: frozenset({S.SIGNED, S.EXPIRED, S.WITHDRAWN, S.FAILED}),
    S.SIGNED: frozenset({S.ACTIVE, S.FAILED}),
    S.ACTIVE: frozenset(),
    S.DECLINED: frozenset(),
    S.EXPIRED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.FAILED: frozenset(),
}

TERMINAL = frozenset(s for s, nxt in ALLOWED_TRANSITIONS.items() if not nxt)

# What the app should show the customer next, by status.
NEXT_ACTION: dict[ApplicationStatus, str] = {
    S.DRAFT: "UPLOAD_DOCUMENTS_AND_SUBMIT",
    S.SUBMITTED: "WAIT_FOR_DECISION",
    S.UNDER_REVIEW: "WAIT_FOR_DECISION",
    S.OFFERED: "REVIEW_AND_ACCEPT_OFFER",
    S.ACCEPTED: "SIGN_CONTRACT",
    S.SIGNED: "WAIT_FOR_ACTIVATION",
    S.ACTIVE: "DRAW_FUNDS",
    S.DECLINED: "NONE",
    S.EXPIRED: "NONE",
    S.WITHDRAWN: "NONE",
    S.FAILED: "CONTACT_BANK",
}


class DecisionOutcome(StrEnum):
    APPROVE = "APPROVE"
    DECLINE = "DECLINE"
    REFER = "REFER"


@dataclass(frozen=True)
class Consent:
    kind: str  # PERSONAL_INFORMATION, CREDIT_BUREAU, BIOMETRIC
    version: str
    granted_at: datetime
    withdrawn_at: datetime | None = None

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


@dataclass(frozen=True)
class Decision:
    outcome: DecisionOutcome
    reason_codes: tuple[str, ...]
    credit_limit: Money | None = None
    annual_rate: Decimal | None = None
    decided_by: str = "system"
    # what the bank already knew of the applicant when it decided (domain/known_risks.py: KnownRisks.evidence)
    known_risks: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Offer:
    credit_limit: Money
    annual_rate: Decimal
    term_months: tuple[int, ...]
    repayment_methods: tuple[RepaymentMethod, ...]
    valid_until: datetime

    def is_expired(self, now: datetime) -> bool:
        return now >= self.valid_until


@dataclass(frozen=True)
class Contract:
    s3_key: str
    sha256: str  # of the unsigned PDF the customer reviewed (shown before signing, checked again at signing)
    template_version: str
    generated_at: datetime
    signed_at: datetime | None = None
    signed_s3_version: str | None = None
    contract_no: str = ""
    signed_sha256: str | None = None
    pades_level: str | None = None
    signatures: tuple[SignatureRecord, ...] = ()
    agreement_sha256: str | None = None  # of its words as data (kept since v2; None for a v1 contract: the PDF only)


@dataclass(frozen=True)
class IdentityOutcome:
    """What identity verification concluded. Only masked or non-identifying facts; the hash finds duplicates."""

    verdict: str  # PASS / FAIL / RETRY / REVIEW (domain.identity.Verdict)
    reason_codes: tuple[str, ...]
    method: str
    name_masked: str = ""
    id_number_masked: str = ""
    id_number_hash: str = ""
    sex: str = ""
    birth_date: str = ""
    valid_until: str = ""
    face_match_band: str = ""  # the live face against the card's portrait (domain.face.match_band), never a score
    selfie_match_band: str = ""  # the live face against the uploaded selfie


@dataclass(frozen=True)
class RiskSummary:
    """The model's view, for the risk officer (never shown to the customer as numbers)."""

    pd: str  # decimal string: floats are never stored
    score: int
    grade: str
    reasons: tuple[str, ...]
    model_version: str
    bureau_record: str | None
    verified_revenue_fen: int
    existing_debt_fen: int
    contributions: tuple[str, ...] = ()  # each reason's log-odds contribution, decimal strings, reasons' order


@dataclass
class BusinessDetails:
    name: str
    registration_no: str
    years_in_business: int
    annual_revenue: Money


@dataclass(frozen=True)
class BankCustomerLink:
    """The application of a customer the bank knows: her record's number, the keyed hash of the ID number on it
    (the card read by OCR must be that one: ``ID_CARD_NOT_ON_RECORD``), and the own account she chose for the
    payout, if she chose one (paid without a four-element check: the bank holds it in her name)."""

    customer_number: str
    id_number_hash: str
    payout_account_id: str | None = None
    details_from_record: bool = False  # name, phone (and the business, where known) were read, not typed


@dataclass
class LoanApplication:
    application_id: str
    customer_id: str
    product_code: str
    requested_amount: Money
    purpose: str
    applicant_name: str
    applicant_phone: str
    business: BusinessDetails
    payout_account_no: str
    consents: tuple[Consent, ...]
    status: ApplicationStatus = S.DRAFT
    version: int = 0
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)
    decision: Decision | None = None
    offer: Offer | None = None
    contract: Contract | None = None
    credit_line_id: str | None = None
    identity: IdentityOutcome | None = None
    risk: RiskSummary | None = None
    first_approval: dict[str, Any] | None = None  # maker-checker: the first officer's approval, awaiting a second
    failure_reason: str | None = None
    task_token: str | None = None  # the Step Functions token the workflow waits on, if it waits
    phone_verified_at: datetime | None = None  # the applicant confirmed the phone with an SMS code
    submitted_at: datetime | None = None  # when the customer sent it: the clock of "submission to first payout"
    device_id_hash: str = ""  # keyed hash of the app's X-Device-Id, for velocity (never the id itself)
    liveness_session_id: str | None = None
    liveness_passed_at: datetime | None = None
    liveness_reference: tuple[str, str] | None = None  # (S3 key, version) of the live face that passed
    liveness: LivenessAttempts = field(default_factory=LivenessAttempts)
    bank_customer: BankCustomerLink | None = None  # set when the bank has the applicant's record
    due_diligence: DueDiligence | None = None  # recorded at application (None: applied before it was asked)
    identity_route: str = "FACE"  # FACE (liveness and face match) or IN_PERSON (a branch or a video call)
    in_person: dict[str, Any] | None = None  # the officer's record: outcome, officer, branch, channel, at
    task_token_to_stop: str | None = None  # not stored: a waiting workflow the caller must stop after saving
    pending_events: list[DomainEvent] = field(default_factory=list)

    # ---- construction ----------------------------------------------------------------------------------
    @classmethod
    def start(cls, *, customer_id: str, actor: str, **fields: Any) -> LoanApplication:
        app = cls(application_id=new_id("app"), customer_id=customer_id, **fields)
        app._record(ev.APPLICATION_CREATED, actor, {"product_code": app.product_code,
                                                    "requested_amount_fen": app.requested_amount.fen})
        return app

    # ---- the state machine ------------------------------------------------------------------------------
    def can_move_to(self, target: ApplicationStatus) -> bool:
        return target in ALLOWED_TRANSITIONS[self.status]

    def move_to(self, target: ApplicationStatus, event_name: str, actor: str,
                data: dict[str, Any] | None = None) -> None:
        if not self.can_move_to(target):
            raise InvalidTransitionError(
                f"application is {self.status}, it cannot become {target}",
                {"status": self.status.value, "requested": target.value},
            )
        previous = self.status
        self.status = target
        self.updated_at = utcnow()
        if target is S.SUBMITTED:
            self.submitted_at = self.updated_at
        self._record(event_name, actor, {"from": previous.value, "to": target.value, **(data or {})})

    def _record(self, name: str, actor: str, data: dict[str, Any]) -> None:
        self.pending_events.append(DomainEvent(name=name, aggregate_id=self.application_id, actor=actor,
                                               data=data))

    def record(self, name: str, actor: str, data: dict[str, Any] | None = None) -> None:
        """An audited fact that does not change the status (e.g. a document received, an OTP sent)."""
        self.updated_at = utcnow()
        self._record(name, actor, data or {})

    # ---- business moves ---------------------------------------------------------------------------------
    def make_offer(self, offer: Offer, task_token: str) -> None:
        self.offer = offer
        self.task_token = task_token
        self.move_to(S.OFFERED, ev.OFFER_MADE, "system", {
            "credit_limit_fen": offer.credit_limit.fen, "annual_rate": str(offer.annual_rate),
            "valid_until": offer.valid_until.isoformat()})

    def accept_offer(self, now: datetime, actor: str, contract: Contract) -> None:
        if self.status is S.OFFERED and self.offer and self.offer.is_expired(now):
            raise OfferExpiredError("the offer has expired", {"valid_until": self.offer.valid_until.isoformat()})
        self.move_to(S.ACCEPTED, ev.OFFER_ACCEPTED, actor)
        self.contract = contract
        self.record(ev.CONTRACT_GENERATED, "system", {"sha256": contract.sha256,
                                                      "template_version": contract.template_version})

    def ensure_offer_open(self, now: datetime) -> None:
        if self.offer is None or self.offer.is_expired(now):
            raise OfferExpiredError("the offer has expired")

    def release_task_token(self) -> str | None:
        token, self.task_token = self.task_token, None
        return token

    def has_consent(self, kind: str) -> bool:
        return any(c.kind == kind and c.in_force for c in self.consents)

    def withdraw_consent(self, kind: str, now: datetime, actor: str) -> None:
        """PIPL: withdrawal is as easy as consent. Before the line is active it stops all processing."""
        if not self.has_consent(kind):
            raise InvalidTransitionError("this consent is not in force", {"kind": kind})
        self.consents = tuple(c if c.kind != kind or not c.in_force else Consent(c.kind, c.version, c.granted_at, now)
                              for c in self.consents)
        self.record(ev.CONSENT_WITHDRAWN, actor, {"kind": kind})
        if not self.is_terminal:
            self.task_token_to_stop = self.release_task_token()
            self.move_to(S.WITHDRAWN, ev.APPLICATION_WITHDRAWN, actor, {"reason": f"CONSENT_WITHDRAWN_{kind}"})

    @property
    def next_action(self) -> str:
        if self.waiting_in_person:
            return "VERIFY_IN_PERSON"
        return NEXT_ACTION[self.status]

    @property
    def waiting_in_person(self) -> bool:
        """She chose a branch or a video call over the face: the workflow waits until an officer records it."""
        return (self.status is ApplicationStatus.SUBMITTED and self.identity_route == "IN_PERSON"
                and self.in_person is None and self.task_token is not None)

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL

    def summary(self) -> ApplicationSummary:
        return ApplicationSummary(self.application_id, self.status, self.product_code, self.requested_amount,
                                  mask_business_name(self.business.name, self.applicant_name), self.credit_line_id,
                                  self.created_at, self.updated_at)


@dataclass(frozen=True)
class ApplicationSummary:
    """One line of a customer's list of applications: what the list shows, nothing sealed. A list of any length is
    then one read, with no envelope opened per item (the masked business name is kept beside the sealed one)."""

    application_id: str
    status: ApplicationStatus
    product_code: str
    requested_amount: Money
    business_name_masked: str
    credit_line_id: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def next_action(self) -> str:
        return NEXT_ACTION[self.status]


def new_id(prefix: str) -> str:
    """Ids are opaque, unguessable and typed by prefix so a log reader can tell them apart."""
    return f"{prefix}_{uuid.uuid4().hex}"


def offer_valid_until(now: datetime, validity_seconds: int) -> datetime:
    return now + timedelta(seconds=validity_seconds)
