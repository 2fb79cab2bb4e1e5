"""Customer routes of origination: /v1/applications/..."""

from __future__ import annotations

import base64

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.application import BusinessDetails, LoanApplication
from ..domain.due_diligence import DueDiligence
from ..domain.errors import InvalidTransitionError, ValidationError
from ..domain.money import Money
from ..services import customer_queries
from ..services.origination import contracts, liveness, origination
from ..services.origination.origination import NewApplication
from . import models as m
from . import views
from .auth import jwt_authorizer
from .http import (
    current_request,
    customer_id,
    device_id,
    handles_errors,
    live_session,
    login,
    ok,
    parse,
    parse_query,
)
from .spec import operation

applications = Blueprint(__name__)
AUTH = {"authorizer": jwt_authorizer}


def _view(app: LoanApplication) -> m.ApplicationOut:
    deps = bootstrap.deps()
    return views.application(app, customer_queries.documents_of(deps, app), deps.clock.today())


@applications.route("/v1/applications", methods=["POST"], **AUTH)
@operation("Start an application (consents first). A customer the bank knows sends the amount, purpose, consents "
           "and one of her accounts by id; a customer new to the bank types her details", {201: m.ApplicationOut},
           m.CreateApplicationRequest, errors=(400, 401, 404, 422, 503))
@handles_errors
def create_application() -> Response:
    body = parse(current_request(), m.CreateApplicationRequest)
    b = body.business
    cmd = NewApplication(
        product_code=body.product_code, requested_amount=Money(body.requested_amount_fen), purpose=body.purpose,
        consents=tuple((c.kind, c.version) for c in body.consents), login=login(current_request()),
        applicant_name=body.applicant.name if body.applicant else None,
        applicant_phone=body.applicant.phone if body.applicant else None,
        business=BusinessDetails(b.name, b.registration_no, b.years_in_business, Money(b.annual_revenue_fen))
        if b else None,
        payout_account_no=body.payout_account_no, payout_account_id=body.payout_account_id,
        due_diligence=DueDiligence(body.due_diligence.nature_of_business,
                                   body.due_diligence.beneficial_owner == "APPLICANT",
                                   body.due_diligence.beneficial_owner_name or "", body.due_diligence.industry),
        identity_route=body.identity_verification,
        device_id=device_id(current_request()))
    deps = bootstrap.deps()
    app = origination.create_application(deps, customer_id(current_request()), cmd)
    return ok(views.application(app, [], deps.clock.today()), 201,
              {"Location": f"/v1/applications/{app.application_id}"})


@applications.route("/v1/applications", methods=["GET"], **AUTH)
@operation("My applications, newest first, a page at a time", {200: m.ApplicationListOut}, errors=(400, 401, 422),
           query=m.PageQuery)
@handles_errors
def list_applications() -> Response:
    deps = bootstrap.deps()
    page = parse_query(current_request(), m.PageQuery)
    found = customer_queries.my_applications(deps, customer_id(current_request()), page.limit, page.cursor)
    return ok(m.ApplicationListOut(items=[views.application_summary(a) for a in found.items],
                                   next_cursor=found.next_cursor))


@applications.route("/v1/applications/{application_id}", methods=["GET"], **AUTH)
@operation("One of my applications: status, next action, decision, offer", {200: m.ApplicationOut})
@handles_errors
def get_application(application_id: str) -> Response:
    app = customer_queries.my_application(bootstrap.deps(), customer_id(current_request()), application_id)
    return ok(_view(app))


@applications.route("/v1/applications/{application_id}/documents", methods=["POST"], **AUTH)
@operation("A presigned S3 POST for one document (type and size enforced by S3)", {201: m.UploadInstructionsOut},
           m.DocumentUploadRequest, errors=(400, 401, 404, 409, 422))
@handles_errors
def request_document_upload(application_id: str) -> Response:
    body = parse(current_request(), m.DocumentUploadRequest)
    post = origination.request_upload(bootstrap.deps(), customer_id(current_request()), application_id, body.type,
                                      body.content_type)
    return ok(m.UploadInstructionsOut(document_type=body.type, **post), 201)


@applications.route("/v1/applications/{application_id}/submit", methods=["POST"], **AUTH)
@operation("Submit for a decision; starts the origination workflow", {202: m.ApplicationOut},
           errors=(400, 401, 404, 409))
@handles_errors
def submit_application(application_id: str) -> Response:
    app = origination.submit(bootstrap.deps(), customer_id(current_request()), application_id)
    return ok(_view(app), 202)


@applications.route("/v1/applications/{application_id}/withdrawal", methods=["POST"], **AUTH)
@operation("Withdraw the application (stops the workflow)", {200: m.ApplicationOut}, errors=(400, 401, 404, 409))
@handles_errors
def withdraw_application(application_id: str) -> Response:
    app = origination.withdraw(bootstrap.deps(), customer_id(current_request()), application_id)
    return ok(_view(app))


@applications.route("/v1/applications/{application_id}/offer", methods=["GET"], **AUTH)
@operation("The open offer", {200: m.OfferOut}, errors=(400, 401, 404, 409))
@handles_errors
def get_offer(application_id: str) -> Response:
    app = customer_queries.my_application(bootstrap.deps(), customer_id(current_request()), application_id)
    if app.offer is None:
        raise InvalidTransitionError("there is no offer on this application", {"status": app.status.value})
    return ok(views.offer(app, bootstrap.deps().clock.today()))


@applications.route("/v1/applications/{application_id}/offer/acceptance", methods=["POST"], **AUTH)
@operation("Accept the offer; the contract is generated", {201: m.ContractOut}, errors=(400, 401, 404, 409))
@handles_errors
@live_session
def accept_offer(application_id: str) -> Response:
    deps = bootstrap.deps()
    origination.accept_offer(deps, customer_id(current_request()), application_id)
    return _contract(application_id, 201)


def _contract(application_id: str, status: int) -> Response:
    deps = bootstrap.deps()
    app, url = origination.contract_download(deps, customer_id(current_request()), application_id)
    return ok(views.contract(app, url, deps.settings.download_url_seconds), status)


@applications.route("/v1/applications/{application_id}/contract", methods=["GET"], **AUTH)
@operation("The contract: status, sha256 and a short-lived download URL", {200: m.ContractOut},
           errors=(400, 401, 404, 409))
@handles_errors
def get_contract(application_id: str) -> Response:
    return _contract(application_id, 200)


@applications.route("/v1/applications/{application_id}/contract/document", methods=["GET"], **AUTH)
@operation("The contract's PDF itself (base64), for a client that shows it page by page on the same origin: the "
           "unsigned PDF to review before signing, the signed one after, with its sha256",
           {200: m.ContractDocumentOut}, errors=(400, 401, 404, 409))
@handles_errors
def get_contract_document(application_id: str) -> Response:
    deps = bootstrap.deps()
    app, pdf = origination.contract_document(deps, customer_id(current_request()), application_id)
    assert app.contract is not None
    return ok(m.ContractDocumentOut(
        application_id=application_id, contract_no=app.contract.contract_no,
        status="SIGNED" if app.contract.signed_at else "UNSIGNED",
        sha256=(app.contract.signed_sha256 or app.contract.sha256) if app.contract.signed_at else app.contract.sha256,
        pdf_base64=base64.b64encode(pdf).decode()))


@applications.route("/v1/applications/{application_id}/contract/agreement", methods=["GET"], **AUTH)
@operation("The contract's words as data (title, key terms, clauses), the same agreement its PDF was drawn from, "
           "for the app to show at phone width; 409 CONTRACT_WORDS_NOT_KEPT for a v1 contract (read its PDF)",
           {200: m.AgreementOut}, errors=(400, 401, 404, 409))
@handles_errors
def get_contract_agreement(application_id: str) -> Response:
    app, words = origination.contract_words(bootstrap.deps(), customer_id(current_request()), application_id)
    return ok(views.agreement(app, words))


@applications.route("/v1/applications/{application_id}/contract/verification", methods=["GET"], **AUTH)
@operation("Validate the stored signed contract again: integrity, each signer, timestamps, PAdES level, any "
           "modification", {200: m.ContractVerificationOut}, errors=(400, 401, 404, 409, 503))
@handles_errors
def verify_contract(application_id: str) -> Response:
    deps = bootstrap.deps()
    app = customer_queries.my_application(deps, customer_id(current_request()), application_id)
    report, matches = contracts.verify(deps, app)
    return ok(views.contract_verification(app, report, matches))


@applications.route("/v1/applications/{application_id}/phone-verification", methods=["POST"], **AUTH)
@operation("Send an SMS code to the applicant's phone (confirm it before submitting; 429 within a minute of the "
           "last code or past the daily limit)", {202: m.OtpSentOut}, errors=(400, 401, 404, 409, 429))
@handles_errors
def send_phone_code(application_id: str) -> Response:
    return _code_sent(origination.send_phone_code(bootstrap.deps(), customer_id(current_request()), application_id))


def _code_sent(app: LoanApplication) -> Response:
    settings = bootstrap.deps().settings
    return ok(m.OtpSentOut(sent_to=views.mask_phone(app.applicant_phone), expires_in=settings.otp_ttl_seconds,
                           resend_after=settings.otp_resend_seconds), 202)


@applications.route("/v1/applications/{application_id}/phone-verification/confirmation", methods=["POST"], **AUTH)
@operation("Confirm the phone with the SMS code (5 wrong guesses lock the code)", {200: m.ApplicationOut},
           m.SignatureRequest, errors=(400, 401, 404, 409, 422, 429))
@handles_errors
def confirm_phone(application_id: str) -> Response:
    body = parse(current_request(), m.SignatureRequest)
    customer = customer_id(current_request())
    return ok(_view(origination.confirm_phone(bootstrap.deps(), customer, application_id, body.otp)))


@applications.route("/v1/applications/{application_id}/contract/otp", methods=["POST"], **AUTH)
@operation("Send a signing code by SMS (to the confirmed phone; 429 within a minute of the last code or past the "
           "daily limit)", {202: m.OtpSentOut}, errors=(400, 401, 404, 409, 429))
@handles_errors
def send_contract_otp(application_id: str) -> Response:
    return _code_sent(origination.send_signing_otp(bootstrap.deps(), customer_id(current_request()), application_id))


@applications.route("/v1/applications/{application_id}/contract/signature", methods=["POST"], **AUTH)
@operation("Sign the contract with the SMS code (503 where contract signing is not connected)", {200: m.ContractOut},
           m.SignatureRequest, errors=(400, 401, 404, 409, 422, 429, 503))
@handles_errors
@live_session
def sign_contract(application_id: str) -> Response:
    body = parse(current_request(), m.SignatureRequest)
    origination.sign_contract(bootstrap.deps(), customer_id(current_request()), application_id, body.otp)
    return _contract(application_id, 200)


@applications.route("/v1/applications/{application_id}/consents/{kind}/withdrawal", methods=["POST"], **AUTH)
@operation("Withdraw a consent (PIPL). Before the line is active this withdraws the application",
           {200: m.ApplicationOut}, errors=(400, 401, 404, 409, 422))
@handles_errors
def withdraw_consent(application_id: str, kind: str) -> Response:
    if kind not in ("PERSONAL_INFORMATION", "CREDIT_BUREAU", "BIOMETRIC"):
        raise ValidationError("unknown consent", {"kind": kind})
    app = origination.withdraw_consent(bootstrap.deps(), customer_id(current_request()), application_id, kind)
    return ok(_view(app))


@applications.route("/v1/applications/{application_id}/liveness-sessions", methods=["POST"], **AUTH)
@operation("Start a face liveness session (needs the BIOMETRIC consent)", {201: m.LivenessSessionOut},
           errors=(400, 401, 404, 409, 429))
@handles_errors
def start_liveness(application_id: str) -> Response:
    session_id = liveness.start_session(bootstrap.deps(), customer_id(current_request()), application_id)
    return ok(m.LivenessSessionOut(session_id=session_id), 201)


@applications.route("/v1/applications/{application_id}/liveness-sessions/{session_id}/result", methods=["POST"],
                    **AUTH)
@operation("The outcome of a finished liveness session: PASS, RETRY or FAIL", {200: m.LivenessResultOut},
           errors=(400, 401, 404, 409, 429))
@handles_errors
def liveness_result(application_id: str, session_id: str) -> Response:
    outcome = liveness.session_result(bootstrap.deps(), customer_id(current_request()), application_id, session_id)
    return ok(m.LivenessResultOut(outcome=outcome))  # type: ignore[arg-type]
