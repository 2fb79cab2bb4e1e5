"""The customer's side of origination: create, upload, submit, accept, sign, withdraw."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any, Protocol

from ...domain import events as ev
from ...domain.application import (
    ApplicationStatus,
    BankCustomerLink,
    BusinessDetails,
    Consent,
    LoanApplication,
)
from ...domain.contract import Agreement
from ...domain.due_diligence import DueDiligence
from ...domain.errors import (
    ConcurrentModificationError,
    ContractAlreadySignedError,
    DocumentAlreadyReadError,
    DocumentsMissingError,
    DocumentsNotReadyError,
    InvalidTransitionError,
    LivenessRequiredError,
    OtpInvalidError,
    PhoneNotVerifiedError,
    ValidationError,
)
from ...domain.money import Money
from ...domain.one_time_code import CONTRACT_SIGNING, PHONE_VERIFICATION
from ...domain.products import PRODUCT_NOT_FOR_APPLICANT, PRODUCTS
from ...observability import logger
from ...ports import (
    Clock,
    ContractSealer,
    ContractSigning,
    CustomerRecords,
    DocumentStore,
    FieldCipher,
    LendingRepository,
    Notifier,
    Secrets,
    Workflow,
)
from ...settings import Settings
from ..ownership import owned
from . import contracts, known_customer, one_time_codes


class OriginationPorts(Protocol):
    """The ports the origination use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    cipher: FieldCipher
    clock: Clock
    contracts: ContractSigning
    customer_records: CustomerRecords
    documents: DocumentStore
    notifier: Notifier
    repo: LendingRepository
    sealer: ContractSealer
    secrets: Secrets
    settings: Settings
    workflow: Workflow


REQUIRED_IDENTITY_DOCUMENTS = frozenset({"ID_CARD_FRONT", "ID_CARD_BACK", "SELFIE"})
REQUIRED_CONSENTS = frozenset({"PERSONAL_INFORMATION", "CREDIT_BUREAU", "BIOMETRIC"})
# without the biometric consent (人脸识别技术应用安全管理办法: another way must be offered): the card, then a person
IN_PERSON_DOCUMENTS = frozenset({"ID_CARD_FRONT", "ID_CARD_BACK"})
IN_PERSON_CONSENTS = frozenset({"PERSONAL_INFORMATION", "CREDIT_BUREAU"})
IDENTITY_ROUTES = ("FACE", "IN_PERSON")
UPLOAD_CONTENT_TYPES = {
    "ID_CARD_FRONT": {"image/jpeg", "image/png"},
    "ID_CARD_BACK": {"image/jpeg", "image/png"},
    "SELFIE": {"image/jpeg", "image/png"},
    "BUSINESS_LICENCE": {"image/jpeg", "image/png", "application/pdf"},
    "BANK_STATEMENT": {"application/pdf", "image/jpeg", "image/png"},
}


@dataclass(frozen=True)
class NewApplication:
    """What the customer sent. A customer the bank knows may send only the amount, the purpose, the consents and
    one of her own accounts (``payout_account_id``): the rest is read from her record. A customer new to the
    bank types her name, phone, business and payout account."""

    product_code: str
    requested_amount: Money
    purpose: str
    consents: tuple[tuple[str, str], ...]  # (kind, version) the customer agreed to just now
    login: str  # the mobile-banking login of the verified token: whose record, if the bank has one
    applicant_name: str | None = None
    applicant_phone: str | None = None
    business: BusinessDetails | None = None
    payout_account_no: str | None = None
    payout_account_id: str | None = None
    due_diligence: DueDiligence | None = None  # required: the nature of the business, its beneficial owner
    identity_route: str = "FACE"  # IN_PERSON: no biometric consent; an officer verifies her in a branch or by video
    device_id: str = ""  # the app's X-Device-Id header, if it sent one (kept only as a keyed hash)


@dataclass(frozen=True)
class _Applicant:
    name: str
    phone: str
    business: BusinessDetails
    payout_account_no: str
    link: BankCustomerLink | None
    phone_from_record: bool


def _missing(field: str) -> ValidationError:
    return ValidationError(f"{field} is required for a customer the bank has no record of", {"field": field})


def _applicant(deps: OriginationPorts, cmd: NewApplication) -> _Applicant:
    """Who applies, from her record where the bank has one; a customer new to the bank types it all."""
    record = known_customer.record_of(deps, cmd.login)
    if record is None or cmd.payout_account_id is None:
        if cmd.payout_account_id is not None:  # no record: no account of hers at the bank to choose
            raise known_customer.unknown_account()
        for field, value in (("applicant", cmd.applicant_name), ("business", cmd.business),
                             ("payout_account_no", cmd.payout_account_no)):
            if value is None:
                raise _missing(field)
        assert cmd.applicant_name and cmd.applicant_phone and cmd.business and cmd.payout_account_no
        # typed by a customer the bank knows: her card is still checked against her record
        link = None if record is None else known_customer.link_of(deps, record, None, details_from_record=False)
        return _Applicant(cmd.applicant_name, cmd.applicant_phone, cmd.business, cmd.payout_account_no, link, False)
    if cmd.applicant_name is not None or cmd.payout_account_no is not None:
        raise ValidationError("your name, phone and account come from the bank's record: do not send them",
                              {"field": "applicant" if cmd.applicant_name is not None else "payout_account_no"},
                              code="DETAILS_FROM_RECORD")
    account = known_customer.own_payout_account(record, cmd.payout_account_id)
    business = known_customer.business_of(record) or cmd.business
    if business is None:
        raise ValidationError("the bank has no business on file for you: describe it", {"field": "business"})
    return _Applicant(record.name, record.phone, business, account.account_no,
                      known_customer.link_of(deps, record, account.account_id, details_from_record=True), True)


def owned_application(repo: LendingRepository, customer_id: str, application_id: str) -> LoanApplication:
    return owned(repo.get_application, customer_id, application_id, "application")


def create_application(deps: OriginationPorts, customer_id: str, cmd: NewApplication) -> LoanApplication:
    product = PRODUCTS.for_application(cmd.product_code)
    if cmd.due_diligence is not None and not product.eligibility.admits(cmd.due_diligence.industry):
        raise ValidationError(f"the product is for {', '.join(product.eligibility.industries)} only",
                              {"product_code": product.code, "industries": list(product.eligibility.industries),
                               "field": "due_diligence.industry"}, code=PRODUCT_NOT_FOR_APPLICANT)
    if not product.min_line <= cmd.requested_amount <= product.max_line:
        raise ValidationError("requested amount is outside the product's bounds",
                              {"min_fen": product.min_line.fen, "max_fen": product.max_line.fen})
    kinds = {kind for kind, _ in cmd.consents}
    if cmd.identity_route not in IDENTITY_ROUTES:
        raise ValidationError("unknown identity verification", {"allowed": list(IDENTITY_ROUTES)})
    required = REQUIRED_CONSENTS if cmd.identity_route == "FACE" else IN_PERSON_CONSENTS
    if not required <= kinds:
        raise ValidationError("consents are required before anything is processed (PIPL)",
                              {"missing": sorted(required - kinds)})
    if cmd.due_diligence is None:
        raise ValidationError("say what the business does and who owns it (customer due diligence)",
                              {"field": "due_diligence"})
    who = _applicant(deps, cmd)
    now = deps.clock.now()
    app = LoanApplication.start(
        customer_id=customer_id, actor=f"customer:{customer_id}",
        product_code=cmd.product_code, requested_amount=cmd.requested_amount, purpose=cmd.purpose,
        applicant_name=who.name, applicant_phone=who.phone, business=who.business,
        payout_account_no=who.payout_account_no,
        consents=tuple(Consent(kind, version, now) for kind, version in cmd.consents),
        device_id_hash=deps.cipher.keyed_hash(f"device:{cmd.device_id}") if cmd.device_id else "",
        bank_customer=who.link, due_diligence=cmd.due_diligence, identity_route=cmd.identity_route,
    )
    for consent in app.consents:
        app.record(ev.CONSENT_GRANTED, f"customer:{customer_id}", {"kind": consent.kind, "version": consent.version})
    if who.phone_from_record:  # the login's own phone, on the bank's record: nothing to prove by SMS
        app.phone_verified_at = now
        app.record(ev.PHONE_VERIFIED, f"customer:{customer_id}", {"method": "BANK_RECORD"})
    deps.repo.add_application(app)
    logger.info("application created", extra={"application_id": app.application_id})
    return app


def request_upload(deps: OriginationPorts, customer_id: str, application_id: str, doc_type: str,
                   content_type: str) -> dict[str, Any]:
    app = owned_application(deps.repo, customer_id, application_id)
    if app.status is not ApplicationStatus.DRAFT:
        raise InvalidTransitionError("documents can only be uploaded before the application is submitted",
                                     {"status": app.status.value})
    if doc_type == "SELFIE" and app.identity_route == "IN_PERSON":
        raise ValidationError("no face is taken when she is verified in person", {"field": "type"})
    allowed = UPLOAD_CONTENT_TYPES.get(doc_type)
    if allowed is None:
        raise ValidationError("unknown document type", {"allowed": sorted(UPLOAD_CONTENT_TYPES)})
    if content_type not in allowed:
        raise ValidationError("content type not allowed for this document", {"allowed": sorted(allowed)})
    if any(d.doc_type == doc_type and d.status == "READ" for d in deps.repo.documents_of(application_id)):
        raise DocumentAlreadyReadError("this document was already read and accepted; it cannot be replaced",
                                       {"type": doc_type})
    key = f"applications/{application_id}/{doc_type}/{uuid.uuid4().hex}"
    post = deps.documents.presigned_upload(key, content_type, deps.settings.max_upload_bytes,
                                           deps.settings.upload_url_seconds)
    return {"key": key, "url": post["url"], "fields": post["fields"],
            "max_bytes": deps.settings.max_upload_bytes, "expires_in": deps.settings.upload_url_seconds}


def submit(deps: OriginationPorts, customer_id: str, application_id: str) -> LoanApplication:
    app = owned_application(deps.repo, customer_id, application_id)
    if app.status is ApplicationStatus.SUBMITTED:
        # A retry after a lost answer or a crash between saving and starting: start again (idempotent by name).
        deps.workflow.start_origination(app.application_id)
        return app
    documents = {d.doc_type: d for d in deps.repo.documents_of(application_id)}
    needed = IN_PERSON_DOCUMENTS if app.identity_route == "IN_PERSON" else REQUIRED_IDENTITY_DOCUMENTS
    missing = sorted(needed - set(documents))
    if missing:
        raise DocumentsMissingError("upload the required documents before submitting", {"missing": missing})
    not_ready = {t: list(documents[t].reason_codes) or [documents[t].status]
                 for t in sorted(needed) if documents[t].status != "READ"}
    if not_ready:
        raise DocumentsNotReadyError("some documents need a new photo or are still being read", not_ready)
    if app.liveness_passed_at is None and app.identity_route == "FACE":
        raise LivenessRequiredError("complete the face liveness check before submitting")
    if app.phone_verified_at is None:
        raise PhoneNotVerifiedError("confirm your phone number with the SMS code before submitting")
    app.move_to(ApplicationStatus.SUBMITTED, ev.APPLICATION_SUBMITTED, f"customer:{customer_id}")
    deps.repo.save_application(app)
    deps.workflow.start_origination(app.application_id)
    return app


def accept_offer(deps: OriginationPorts, customer_id: str, application_id: str) -> LoanApplication:
    app = owned_application(deps.repo, customer_id, application_id)
    now = deps.clock.now()
    if app.status is not ApplicationStatus.OFFERED:
        raise InvalidTransitionError(f"there is no open offer (application is {app.status})",
                                     {"status": app.status.value})
    app.ensure_offer_open(now)
    app.accept_offer(now, f"customer:{customer_id}", contracts.generate(deps, app, now))
    deps.repo.save_application(app)
    return app


def contract_download(deps: OriginationPorts, customer_id: str, application_id: str) -> tuple[LoanApplication, str]:
    app = owned_application(deps.repo, customer_id, application_id)
    if app.contract is None:
        raise InvalidTransitionError("no contract yet: accept the offer first", {"status": app.status.value})
    return app, contracts.download_link(deps, app)


def contract_document(deps: OriginationPorts, customer_id: str, application_id: str) -> tuple[LoanApplication, bytes]:
    """The PDF the customer reviews (unsigned) or holds (signed, the version on record), checked against the
    sha256 recorded for it: a stored file that changed is never shown as the contract."""

    app = owned_application(deps.repo, customer_id, application_id)
    c = app.contract
    if c is None:
        raise InvalidTransitionError("no contract yet: accept the offer first", {"status": app.status.value})
    expected: str | None = c.sha256
    if c.signed_at is None:
        pdf = deps.documents.get_contract(c.s3_key)
    else:
        pdf = deps.documents.get_contract(contracts.signed_key(application_id), c.signed_s3_version)
        expected = c.signed_sha256
    if expected and hashlib.sha256(pdf).hexdigest() != expected:
        raise InvalidTransitionError("the stored contract does not match its record", {"contract_no": c.contract_no})
    return app, pdf


def contract_words(deps: OriginationPorts, customer_id: str, application_id: str
                   ) -> tuple[LoanApplication, Agreement]:
    """Her contract's words as data, for the app to render at phone width (409 CONTRACT_WORDS_NOT_KEPT for a v1
    contract: its PDF is the text she reads)."""
    app = owned_application(deps.repo, customer_id, application_id)
    agreement = contracts.agreement_words(deps, app)
    if agreement is None:
        raise InvalidTransitionError("this contract's words were not kept apart from its PDF: read the PDF",
                                     {"template_version": app.contract.template_version if app.contract else None},
                                     code="CONTRACT_WORDS_NOT_KEPT")
    return app, agreement


def send_phone_code(deps: OriginationPorts, customer_id: str, application_id: str) -> LoanApplication:
    """The applicant's phone is confirmed with an SMS code before the application can be submitted: the signing
    code and every notice go to a phone the applicant has shown she holds."""
    app = owned_application(deps.repo, customer_id, application_id)
    if app.status is not ApplicationStatus.DRAFT:
        raise InvalidTransitionError("the phone is confirmed before submission", {"status": app.status.value})
    if app.phone_verified_at is not None:
        return app
    plain, _ = one_time_codes.issue(deps, application_id, PHONE_VERIFICATION)
    _text_code(deps, app, "PHONE_VERIFICATION", "您正在申请经营贷，手机", plain)
    return app


def _text_code(deps: OriginationPorts, app: LoanApplication, template: str, purpose_text: str, code: str) -> None:
    """One wording for every code the bank texts: what it is for, the code, how long it lives, a warning."""
    minutes = deps.settings.otp_ttl_seconds // 60
    deps.notifier.send_sms(app.customer_id, app.applicant_phone, template,
                           f"【农商银行】{purpose_text}验证码 {code}，{minutes} 分钟内有效。请勿告知他人。")


def confirm_phone(deps: OriginationPorts, customer_id: str, application_id: str, otp: str) -> LoanApplication:
    app = owned_application(deps.repo, customer_id, application_id)
    if app.phone_verified_at is not None:
        return app
    if app.status is not ApplicationStatus.DRAFT:
        raise InvalidTransitionError("the phone is confirmed before submission", {"status": app.status.value})
    one_time_codes.check(deps, application_id, PHONE_VERIFICATION, otp)
    app = owned_application(deps.repo, customer_id, application_id)
    app.phone_verified_at = deps.clock.now()
    app.record(ev.PHONE_VERIFIED, f"customer:{customer_id}")
    deps.repo.save_application(app)
    deps.repo.discard_code(application_id, PHONE_VERIFICATION)
    return app


def send_signing_otp(deps: OriginationPorts, customer_id: str, application_id: str) -> LoanApplication:
    app = owned_application(deps.repo, customer_id, application_id)
    if app.status is not ApplicationStatus.ACCEPTED:
        raise InvalidTransitionError("accept the offer before asking for a signing code",
                                     {"status": app.status.value})
    if app.phone_verified_at is None:  # only ever sent to a phone the applicant confirmed
        raise PhoneNotVerifiedError("the phone number has not been confirmed")
    app.ensure_offer_open(deps.clock.now())
    plain, _ = one_time_codes.issue(deps, application_id, CONTRACT_SIGNING)
    app.record(ev.SIGNING_OTP_SENT, f"customer:{customer_id}")
    deps.repo.save_application(app)
    assert app.contract is not None
    _text_code(deps, app, "CONTRACT_SIGNING_OTP", f"您正在签署借款合同（摘要 {app.contract.sha256[:8]}），", plain)
    return app


def sign_contract(deps: OriginationPorts, customer_id: str, application_id: str, otp: str) -> LoanApplication:
    app = owned_application(deps.repo, customer_id, application_id)
    if app.contract is not None and app.contract.signed_at is not None:
        raise ContractAlreadySignedError("the contract is already signed",
                                         {"signed_at": app.contract.signed_at.isoformat()})
    if app.status is not ApplicationStatus.ACCEPTED:
        raise InvalidTransitionError(f"the contract cannot be signed now (application is {app.status})",
                                     {"status": app.status.value})
    now = deps.clock.now()
    app.ensure_offer_open(now)
    try:
        one_time_codes.check(deps, application_id, CONTRACT_SIGNING, otp)
    except OtpInvalidError as err:
        if "attempts_left" in err.details:  # a wrong guess (already counted): leave it in the audit trail
            app.record(ev.SIGNING_OTP_REJECTED, f"customer:{customer_id}", dict(err.details))
            try:
                deps.repo.save_application(app)
            except ConcurrentModificationError:
                pass  # a parallel guess saved first; the count, not this event, is what limits guessing
        raise
    app = owned_application(deps.repo, customer_id, application_id)
    assert app.contract is not None
    app.contract = deps.sealer.seal(app, now)  # in the sealing function: the API holds no seal key
    token = app.release_task_token()
    app.move_to(ApplicationStatus.SIGNED, ev.CONTRACT_SIGNED, f"customer:{customer_id}",
                {"unsigned_sha256": app.contract.sha256, "signed_sha256": app.contract.signed_sha256})
    deps.repo.save_application(app)
    deps.repo.discard_code(application_id, CONTRACT_SIGNING)
    if token:
        _resume_quietly(deps.workflow, token, {"signed": True})
    return app


def _resume_quietly(workflow: Workflow, token: str, output: dict[str, Any]) -> None:
    """The state is saved first; if the workflow's wait already timed out, its expiry step sees the saved state
    and carries on from there, so a failed resume loses nothing."""
    try:
        workflow.resume(token, output)
    except Exception as err:
        logger.warning("workflow resume failed; the expiry path will pick the state up",
                       extra={"error": type(err).__name__})


def withdraw_consent(deps: OriginationPorts, customer_id: str, application_id: str, kind: str) -> LoanApplication:
    app = owned_application(deps.repo, customer_id, application_id)
    app.withdraw_consent(kind, deps.clock.now(), f"customer:{customer_id}")
    deps.repo.save_application(app)
    _stop_waiting_workflow(deps, app.task_token_to_stop)
    return app


def withdraw(deps: OriginationPorts, customer_id: str, application_id: str) -> LoanApplication:
    app = owned_application(deps.repo, customer_id, application_id)
    token = app.release_task_token()
    app.move_to(ApplicationStatus.WITHDRAWN, ev.APPLICATION_WITHDRAWN, f"customer:{customer_id}")
    deps.repo.save_application(app)
    _stop_waiting_workflow(deps, token)
    return app


def _stop_waiting_workflow(deps: OriginationPorts, token: str | None) -> None:
    """A workflow that is running steps sees WITHDRAWN at its next step; one that waits is told now."""
    if token:
        try:
            deps.workflow.fail(token, "ApplicationWithdrawnError", "the customer withdrew the application")
        except Exception as err:
            logger.warning("could not stop the waiting workflow", extra={"error": type(err).__name__})
