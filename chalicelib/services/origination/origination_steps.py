"""The origination workflow's steps (infra/origination.asl.json). Each takes ids, loads state from DynamoDB,
does one thing, saves, and returns a small JSON result: no personal data travels through Step Functions.

Every step is safe to run twice (Step Functions retries): it checks the status before acting."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from ...domain import events as ev
from ...domain.application import (
    ApplicationStatus,
    Decision,
    DecisionOutcome,
    IdentityOutcome,
    LoanApplication,
    Offer,
    offer_valid_until,
)
from ...domain.business_date import beijing_time, business_date
from ...domain.contract import worked_example
from ...domain.credit_line import CreditLine, CreditLineStatus, opening_status
from ...domain.customer_record import ID_CARD_NOT_ON_RECORD, renewed_expiry
from ...domain.errors import (
    ApplicationWithdrawnError,
    CreditDataUnavailableError,
    IdentityNotVerifiedError,
    InvalidTransitionError,
)
from ...domain.events import DomainEvent
from ...domain.face import FacePolicy, live_face_verdict, match_band
from ...domain.fraud import ID_NUMBER_HELD_BY_ANOTHER_CUSTOMER, VelocityPolicy, velocity_reasons, worse
from ...domain.identity import IdCard, IdentityPolicy, assess_id_card
from ...domain.one_time_code import CONTRACT_SIGNING
from ...domain.products import PRODUCTS
from ...domain.schedules import add_months
from ...observability import logger, metrics
from ...ports import (
    Clock,
    CreditBureau,
    CustomerRecords,
    DocumentRecord,
    DocumentStore,
    FaceService,
    FieldCipher,
    IdentityRegister,
    LendingRepository,
    Notifier,
    ReportStore,
    TaxAuthority,
    WarningStore,
    Workflow,
)
from ...settings import Settings
from .. import monitoring


class OriginationStepPorts(Protocol):
    """The ports the origination steps use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    bureau: CreditBureau
    cipher: FieldCipher
    clock: Clock
    customer_records: CustomerRecords
    documents: DocumentStore
    faces: FaceService
    identities: IdentityRegister
    notifier: Notifier
    repo: LendingRepository
    reports: ReportStore
    settings: Settings
    tax: TaxAuthority
    warnings: WarningStore
    workflow: Workflow


SYSTEM = "system:origination-workflow"


def _live(deps: OriginationStepPorts, application_id: str) -> LoanApplication:
    app = deps.repo.get_application(application_id)
    if app.status is ApplicationStatus.WITHDRAWN:
        raise ApplicationWithdrawnError("the customer withdrew the application")
    return app


def verify_identity(deps: OriginationStepPorts, application_id: str) -> dict[str, Any]:
    """Checks the ID card read at upload (OCR) against the rules and the declared applicant, and the live face
    (the reference image of the liveness check that passed) against the card's portrait and the uploaded selfie
    (CompareFaces); then that the ID number is not another customer's, and the velocity of its phone, device and
    ID number (domain/fraud.py). A borderline face match or a velocity hit goes to a risk officer (REVIEW); any
    failed check declines with its reason code."""
    app = _live(deps, application_id)
    docs = {d.doc_type: d for d in deps.repo.documents_of(application_id)}
    in_person = app.identity_route == "IN_PERSON"  # no face: the card here, a person later
    needed = ("ID_CARD_FRONT", "ID_CARD_BACK") if in_person else ("ID_CARD_FRONT", "ID_CARD_BACK", "SELFIE")
    not_read = [t for t in needed if t not in docs or docs[t].status != "READ"]
    if not_read:
        outcome = IdentityOutcome("FAIL", tuple(f"DOCUMENT_NOT_READ_{t}" for t in not_read), "OCR")
    else:
        card = id_card_from_documents(deps, application_id, docs["ID_CARD_FRONT"], docs["ID_CARD_BACK"])
        policy = IdentityPolicy(deps.settings.min_age, deps.settings.max_age, deps.settings.min_ocr_confidence)
        assessment = assess_id_card(card, app.applicant_name, deps.clock.today(), policy)
        verdict, reasons = assessment.verdict.value, assessment.reason_codes
        if app.bank_customer is not None:  # a login never presents someone else's card
            if docs["ID_CARD_FRONT"].fields.get("id_number_hash") != app.bank_customer.id_number_hash:
                verdict, reasons = "FAIL", (ID_CARD_NOT_ON_RECORD,)
            elif verdict == "PASS":
                _note_newer_card(deps, app.bank_customer.customer_number, card)
        bands = ("", "")
        if verdict == "PASS" and not in_person:
            verdict, reasons, bands = _face_match(deps, docs["SELFIE"], docs["ID_CARD_FRONT"], app)
        front = docs["ID_CARD_FRONT"].fields
        if verdict in ("PASS", "REVIEW"):
            verdict, reasons = _one_person_one_customer(deps, app, str(front.get("id_number_hash", "")),
                                                        verdict, reasons)
        outcome = IdentityOutcome(
            verdict, reasons, "OCR+IN_PERSON" if in_person else "OCR+FACE_MATCH+LIVENESS",
            name_masked=assessment.facts.get("name", ""), id_number_masked=assessment.masked_id_number or "",
            id_number_hash=str(front.get("id_number_hash", "")), sex=assessment.facts.get("sex", ""),
            birth_date=f"{card.birth_date:%Y}-**-**" if card.birth_date else "",  # the year is enough to show
            valid_until=assessment.facts.get("valid_until", ""), face_match_band=bands[0], selfie_match_band=bands[1])
    app.identity = outcome
    if outcome.verdict not in ("PASS", "REVIEW"):
        app.record(ev.IDENTITY_NOT_VERIFIED, SYSTEM, {"reason_codes": list(outcome.reason_codes)})
        deps.repo.save_application(app)
        raise IdentityNotVerifiedError("identity could not be verified", {"reason_codes": list(outcome.reason_codes)})
    app.record(ev.IDENTITY_VERIFIED, SYSTEM, {"method": outcome.method})
    deps.repo.save_application(app)
    return {"verified": True, "in_person": in_person}


IN_PERSON_SMS = ("【农商银行】您的贷款申请已收到。请携带本人身份证原件到本行任一网点，或在手机银行预约视频核验，"
                 "由工作人员为您核实身份后继续办理。")


def await_in_person(deps: OriginationStepPorts, application_id: str, task_token: str) -> dict[str, Any]:
    """She chose a branch or a video call over the face: the workflow waits on ``task_token`` until an officer
    records her identity as verified in person (or not); she is told where to go by SMS (once)."""
    app = _live(deps, application_id)
    if app.status is not ApplicationStatus.SUBMITTED or app.identity_route != "IN_PERSON":
        raise InvalidTransitionError("the application is not waiting for an in-person verification",
                                     {"status": app.status.value})
    first = app.task_token is None
    app.task_token = task_token  # a retried invocation: the newest token is the one the workflow waits on
    if first:
        app.record(ev.IN_PERSON_VERIFICATION_AWAITED, SYSTEM, {})
    deps.repo.save_application(app)
    if first:
        deps.notifier.send_sms(app.customer_id, app.applicant_phone, "IN_PERSON_VERIFICATION", IN_PERSON_SMS)
    return {"waiting": True}


def _note_newer_card(deps: OriginationStepPorts, customer_number: str, card: IdCard) -> None:
    """A newer card with the record's number: its expiry goes on file at the bank."""
    record = deps.customer_records.record(customer_number)
    if record is None:
        return
    renewed = renewed_expiry(record.id_card_valid_until, card.valid_until, card.long_term)
    if renewed is not False:
        deps.customer_records.note_id_card_expiry(customer_number, renewed)  # type: ignore[arg-type]
        logger.info("ID card expiry renewed on the bank's record", extra={"customer_number": customer_number})


def _one_person_one_customer(deps: OriginationStepPorts, app: LoanApplication, id_hash: str, verdict: str,
                             reasons: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    if deps.identities.bind_identity(id_hash, app.customer_id) != app.customer_id:
        return "FAIL", (ID_NUMBER_HELD_BY_ANOTHER_CUSTOMER,)
    now, rules = deps.clock.now(), VelocityPolicy(deps.settings.velocity_max_applications,
                                                  timedelta(days=deps.settings.velocity_window_days))
    seen: dict[str, int] = {}
    for kind, value_hash in (("PHONE", deps.cipher.keyed_hash(app.applicant_phone)), ("DEVICE", app.device_id_hash),
                             ("ID_NUMBER", id_hash)):
        if value_hash:
            deps.identities.record_sighting(kind, value_hash, app.application_id, now)
            seen[kind] = deps.identities.applications_seen(kind, value_hash, now - rules.window)
    velocity = velocity_reasons(seen, rules)
    return (worse(verdict, "REVIEW"), reasons + velocity) if velocity else (verdict, reasons)


def _face_match(deps: OriginationStepPorts, selfie: DocumentRecord, front: DocumentRecord,
                app: LoanApplication) -> tuple[str, tuple[str, ...], tuple[str, str]]:
    if not app.has_consent("BIOMETRIC"):
        return "FAIL", ("BIOMETRIC_CONSENT_REQUIRED",), ("", "")
    if app.liveness_passed_at is None or app.liveness_reference is None:
        return "FAIL", ("LIVENESS_NOT_PASSED",), ("", "")
    size = deps.settings.max_upload_bytes  # exactly the versions that were read at upload, never later bytes
    live = deps.documents.get_upload(app.liveness_reference[0], size, app.liveness_reference[1])
    portrait = deps.documents.get_upload(front.s3_key, size, front.s3_version)
    uploaded_selfie = deps.documents.get_upload(selfie.s3_key, size, selfie.s3_version)
    policy = FacePolicy()
    card, own = deps.faces.similarity(live, portrait), deps.faces.similarity(live, uploaded_selfie)
    verdict, reasons = live_face_verdict(card, own, policy)
    return verdict, reasons, (match_band(card, policy), match_band(own, policy))


def id_card_from_documents(deps: OriginationStepPorts, application_id: str, front: DocumentRecord,
                           back: DocumentRecord) -> IdCard:
    f, b = front.fields, back.fields
    return IdCard(
        name=f.get("name"), sex=f.get("sex"), ethnicity=None,
        birth_date=date.fromisoformat(deps.cipher.decrypt(f["birth_date_sealed"], application_id))
        if f.get("birth_date_sealed") else None, address=None,
        id_number=deps.cipher.decrypt(f["id_number_sealed"], application_id),
        issuing_authority=b.get("issuing_authority"),
        valid_from=date.fromisoformat(b["valid_from"]) if b.get("valid_from") else None,
        valid_until=date.fromisoformat(b["valid_until"]) if b.get("valid_until") else None,
        long_term=bool(b.get("long_term")),
        min_confidence=min(int(f.get("confidence", 0)), int(b.get("confidence", 0))) / 100)


def gather_credit_data(deps: OriginationStepPorts, application_id: str) -> dict[str, Any]:
    from . import credit  # the credit code loads with the steps that use it, not with the API function

    app = _live(deps, application_id)
    summary = credit.gather(deps, app)  # raises CreditDataUnavailableError: retried by the workflow
    app = deps.repo.get_application(application_id)  # the report event may have scored it meanwhile
    app.record(ev.CREDIT_DATA_GATHERED, SYSTEM, summary)
    deps.repo.save_application(app)
    return {"gathered": True}


def score(deps: OriginationStepPorts, application_id: str) -> dict[str, Any]:
    app = _live(deps, application_id)
    if app.decision is None:
        from . import credit

        risk = credit.assess(deps, application_id)
        if risk is None:
            raise CreditDataUnavailableError("the credit reports have not landed")
        app = deps.repo.get_application(application_id)
        app.decision = credit.decide(deps, app, risk)
        if app.identity is not None and app.identity.verdict == "REVIEW" and \
                app.decision.outcome is not DecisionOutcome.DECLINE:
            # a borderline identity never gets an automatic offer: a risk officer looks first
            app.decision = replace(app.decision, outcome=DecisionOutcome.REFER,
                                   reason_codes=(*app.identity.reason_codes, *app.decision.reason_codes))
        app.record(ev.CREDIT_DECIDED, SYSTEM, {"outcome": app.decision.outcome.value,
                                             "reason_codes": list(app.decision.reason_codes),
                                             "credit_limit_fen": app.decision.credit_limit.fen
                                             if app.decision.credit_limit else None})
        deps.repo.save_application(app)
    metrics.add_metric(name=f"Decision{app.decision.outcome.value.title()}", unit="Count", value=1)
    return {"outcome": app.decision.outcome.value,
            "offer_validity_seconds": deps.settings.offer_validity_seconds}


def await_review(deps: OriginationStepPorts, application_id: str, task_token: str) -> dict[str, Any]:
    """Refers the application to a risk officer; the workflow waits on ``task_token`` until one decides."""
    app = _live(deps, application_id)
    if app.status is ApplicationStatus.SUBMITTED:
        app.task_token = task_token
        app.move_to(ApplicationStatus.UNDER_REVIEW, ev.APPLICATION_REFERRED, SYSTEM,
                    {"reason_codes": list(app.decision.reason_codes) if app.decision else []})
    elif app.status is ApplicationStatus.UNDER_REVIEW:
        app.task_token = task_token  # a retried invocation: the newest token is the one the workflow waits on
    else:
        raise InvalidTransitionError(f"cannot refer an application that is {app.status}")
    deps.repo.save_application(app)
    return {"waiting": True}


def make_offer(deps: OriginationStepPorts, application_id: str, task_token: str) -> dict[str, Any]:
    """Opens the offer; the workflow waits on ``task_token`` until the contract is signed or the offer lapses."""
    app = _live(deps, application_id)
    if app.status is ApplicationStatus.OFFERED:
        app.task_token = task_token
        deps.repo.save_application(app)
        return {"waiting": True}
    decision = app.decision
    if decision is None or decision.credit_limit is None or decision.annual_rate is None:
        raise InvalidTransitionError("no approved decision to offer")
    product = PRODUCTS[app.product_code]
    now = deps.clock.now()
    offer = Offer(credit_limit=decision.credit_limit, annual_rate=decision.annual_rate,
                  term_months=product.term_months, repayment_methods=product.repayment_methods,
                  valid_until=offer_valid_until(now, deps.settings.offer_validity_seconds))
    app.make_offer(offer, task_token)
    deps.repo.save_application(app)
    example = worked_example(offer.credit_limit, offer.annual_rate, offer.term_months, offer.repayment_methods,
                             deps.clock.today())
    price = example.price(offer.annual_rate, product.fees)
    deps.notifier.send_sms(app.customer_id, app.applicant_phone, "OFFER_MADE",
                           f"【农商银行】您的{product.name_zh}申请已获批，额度{offer.credit_limit}，"
                           f"年化利率{price.apr * 100:.2f}%；"
                           f"全额借用{example.term_months}个月的综合融资成本{price.total_cost}（利息与费用合计）。"
                           "请在手机银行查看并确认。")
    return {"waiting": True}


def decline(deps: OriginationStepPorts, application_id: str, error: dict[str, Any] | None = None) -> dict[str, Any]:
    app = _live(deps, application_id)
    if app.status is ApplicationStatus.DECLINED:
        return {"status": app.status.value}
    if error is not None:  # reached from a Catch (identity not verified): the reasons are on the application
        reasons_found = app.identity.reason_codes if app.identity else ()
        app.decision = Decision(DecisionOutcome.DECLINE, ("IDENTITY_NOT_VERIFIED", *reasons_found))
    reasons = list(app.decision.reason_codes) if app.decision else []
    app.task_token = None
    app.move_to(ApplicationStatus.DECLINED, ev.APPLICATION_DECLINED, SYSTEM, {"reason_codes": reasons})
    deps.repo.save_application(app)
    return {"status": app.status.value}


def expire_offer(deps: OriginationStepPorts, application_id: str) -> dict[str, Any]:
    """Reached when the offer's wait timed out. If the signature landed in the same instant, carry on."""
    app = deps.repo.get_application(application_id)
    if app.status is ApplicationStatus.SIGNED:
        return {"signed": True}
    if app.status in (ApplicationStatus.OFFERED, ApplicationStatus.ACCEPTED):
        app.task_token = None
        app.move_to(ApplicationStatus.EXPIRED, ev.OFFER_EXPIRED, SYSTEM)
        deps.repo.save_application(app)
        deps.repo.discard_code(application_id, CONTRACT_SIGNING)  # a signing code dies with its offer
    return {"signed": False, "status": app.status.value}


def activate_credit_line(deps: OriginationStepPorts, application_id: str) -> dict[str, Any]:
    """The line, with the application's move to ACTIVE, in one write. When a RED cause stands against the customer
    (a RED warning on another of her lines, or a standing RED record) the line is created FROZEN and given a
    warning of those causes - never an instant of being usable. Safe to run again: a line frozen at activation
    whose warning was not written yet gets it now."""
    app = deps.repo.get_application(application_id)
    red = monitoring.known_risks_of(deps, app.customer_id, app.identity.id_number_hash if app.identity else "",
                                    app.business.registration_no).red
    if app.status is ApplicationStatus.ACTIVE and app.credit_line_id:
        line = deps.repo.get_credit_line(app.credit_line_id)
        if red and line.status is CreditLineStatus.FROZEN and \
                deps.warnings.open_warning_of_line(line.credit_line_id) is None:
            monitoring.freeze_at_activation(deps, line, red)
        return {"credit_line_id": app.credit_line_id}
    if app.offer is None:
        raise InvalidTransitionError("no offer to activate")
    product = PRODUCTS[app.product_code]
    now = deps.clock.now()
    line = CreditLine(
        credit_line_id=f"line_{uuid.uuid4().hex}", customer_id=app.customer_id,
        application_id=app.application_id, limit=app.offer.credit_limit, available=app.offer.credit_limit,
        annual_rate=app.offer.annual_rate, term_months=app.offer.term_months,
        repayment_methods=app.offer.repayment_methods, payout_account_no=app.payout_account_no,
        product_code=app.product_code, created_at=now,  # the clock's time: the sweep dates activation by it
        valid_until=_line_expiry(now, product.line_validity_months),
        status=opening_status(bool(red)))
    app.credit_line_id = line.credit_line_id
    app.move_to(ApplicationStatus.ACTIVE, ev.CREDIT_LINE_ACTIVATED, SYSTEM, {"credit_line_id": line.credit_line_id,
                                                             "limit_fen": line.limit.fen})
    event = DomainEvent(ev.CREDIT_LINE_ACTIVATED, line.credit_line_id, SYSTEM,
                        {"application_id": app.application_id, "limit_fen": line.limit.fen,
                         "status": line.status.value})
    deps.repo.activate_credit_line(app, line, event)
    # post-loan monitoring finds the borrower of a business the registry or the tax authority reports on
    deps.identities.bind_business(monitoring.business_hash(deps.cipher, app.business.registration_no), app.customer_id)
    if red:
        monitoring.freeze_at_activation(deps, line, red)
        deps.notifier.send_sms(app.customer_id, app.applicant_phone, "CREDIT_LINE_FROZEN", monitoring.FROZEN_NOTICE)
    else:
        deps.notifier.send_sms(app.customer_id, app.applicant_phone, "CREDIT_LINE_ACTIVE",
                               "【农商银行】您的经营贷额度已生效，可在手机银行随借随还。")
    metrics.add_metric(name="CreditLineActivated", unit="Count", value=1)
    return {"credit_line_id": line.credit_line_id}


def _line_expiry(now: datetime, months: int) -> datetime:
    """A line valid for 12 months from 31 Jan ends on 31 Jan next year; from 29 Feb, on 28 Feb."""
    end = add_months(business_date(now), months)  # by the Beijing date the line was activated on
    start = beijing_time(now)
    return start.replace(year=end.year, month=end.month, day=end.day).astimezone(now.tzinfo)


def record_failure(deps: OriginationStepPorts, application_id: str, error: dict[str, Any]) -> dict[str, Any]:
    """The Catch-all: records which step failed and why (error name only: causes may carry input)."""
    app = deps.repo.get_application(application_id)
    reason = str(error.get("Error", "UnknownError"))
    if app.is_terminal:
        logger.warning("failure after a terminal state", extra={"reason": reason, "status": app.status.value})
        return {"status": app.status.value}
    app.failure_reason = reason
    app.task_token = None
    app.move_to(ApplicationStatus.FAILED, ev.APPLICATION_FAILED, SYSTEM, {"reason": reason})
    deps.repo.save_application(app)
    metrics.add_metric(name="ApplicationFailed", unit="Count", value=1)
    return {"status": app.status.value, "reason": reason}
