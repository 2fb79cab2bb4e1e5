"""Back-office routes for finding a customer and reading their file: look-up, the customer's applications and
lines, card images (watermarked), the contract with its verification, the audit search and the origination
figures. Risk officers only; every personal-data access is in the audit trail."""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.contract import chinese_capital_amount
from ..domain.errors import InvalidTransitionError
from ..services.back_office import audit, back_office_queries, customer_file
from ..services.monitoring import portfolio
from ..services.origination import contracts
from . import models as m
from . import views
from .auth import jwt_authorizer
from .http import current_request, handles_errors, ok, parse, parse_query, require_group
from .spec import operation

officer_files = Blueprint(__name__)
AUTH = {"authorizer": jwt_authorizer}
TAGS = ("back-office",)


def _officer() -> str:
    deps = bootstrap.deps()
    return require_group(current_request(), deps.settings.risk_officer_group,
                         deps.settings.admin_require_mfa)


@officer_files.route("/v1/admin/customers/search", methods=["POST"], **AUTH)
@operation("Find a customer by ID number, application or credit line (the number in the body, never a URL); a "
           "look-up by ID number is audited, matched or not", {200: m.CustomerFileOut}, m.CustomerSearchIn,
           tags=TAGS, errors=(400, 401, 403, 404, 422))
@handles_errors
def search_customer() -> Response:
    officer = _officer()
    deps = bootstrap.deps()
    body = parse(current_request(), m.CustomerSearchIn)
    customer_id = customer_file.look_up(deps, officer, id_number=body.id_number, application_id=body.application_id,
                                        credit_line_id=body.credit_line_id)
    return ok(views.customer_file(customer_file.customer_file(deps, customer_id), deps.clock.now()))


@officer_files.route("/v1/admin/customers/{customer_id}", methods=["GET"], **AUTH)
@operation("A customer's file (masked): applications and credit lines, newest first", {200: m.CustomerFileOut},
           tags=TAGS, errors=(401, 403, 404))
@handles_errors
def get_customer(customer_id: str) -> Response:
    _officer()
    deps = bootstrap.deps()
    return ok(views.customer_file(customer_file.customer_file(deps, customer_id), deps.clock.now()))


@officer_files.route("/v1/admin/applications/{application_id}/card-images", methods=["GET"], **AUTH)
@operation("The ID card and selfie as watermarked copies (仅供审核, officer, time) behind links that live a minute "
           "and are never cached; each opening is audited", {200: m.CardImagesOut}, tags=TAGS, errors=(401, 403, 404))
@handles_errors
def get_card_images(application_id: str) -> Response:
    officer = _officer()
    deps = bootstrap.deps()
    images = customer_file.card_images(deps, officer, application_id, deps.clock.now())
    return ok(m.CardImagesOut(application_id=application_id, expires_in=deps.settings.review_copy_url_seconds,
                              items=[m.CardImageOut(doc_type=i.doc_type, status=i.status, url=i.url,  # type: ignore[arg-type]
                                                    reason_codes=list(i.reason_codes)) for i in images]))


@officer_files.route("/v1/admin/applications/{application_id}/contract", methods=["GET"], **AUTH)
@operation("The contract on record: a short-lived download link, the limit as the contract writes it, and the "
           "signed PDF validated again (signatures, timestamps, PAdES level, the recorded sha256)",
           {200: m.OfficerContractOut}, tags=TAGS, errors=(401, 403, 404, 409))
@handles_errors
def get_contract_for_officer(application_id: str) -> Response:
    _officer()
    deps = bootstrap.deps()
    app = back_office_queries.application(deps, application_id)
    if app.contract is None:
        raise InvalidTransitionError("no contract yet: the offer was not accepted", {"status": app.status.value})
    verification = None
    if app.contract.signed_at is not None:
        report, matches = contracts.verify(deps, app)
        verification = views.contract_verification(app, report, matches)
    limit = app.offer.credit_limit if app.offer else None
    return ok(m.OfficerContractOut(
        contract=views.contract(app, contracts.download_link(deps, app), deps.settings.download_url_seconds),
        credit_limit_fen=limit.fen if limit else None,
        credit_limit_in_words=chinese_capital_amount(limit) if limit else None, verification=verification))


@officer_files.route("/v1/admin/audit", methods=["GET"], **AUTH)
@operation("Search the audit trail: officers' acts by day, officer and action, or an application's whole trail",
           {200: m.AuditOut}, tags=TAGS, errors=(401, 403, 404, 422), query=m.AuditQuery)
@handles_errors
def search_audit() -> Response:
    _officer()
    deps = bootstrap.deps()
    q = parse_query(current_request(), m.AuditQuery)
    start = q.from_ or deps.clock.today()
    found, truncated = audit.search(deps, audit.AuditQuery(start, q.to or start, q.officer, q.action,
                                                           q.application_id))
    return ok(m.AuditOut(items=[views.audit_entry(e) for e in found], truncated=truncated))


@officer_files.route("/v1/admin/origination", methods=["GET"], **AUTH)
@operation("The origination funnel (applied → offered → signed → first payout) and the time from submission to "
           "first payout (median, p90) over a period, with each day's stages, disbursements and collections",
           {200: m.OriginationOut}, tags=TAGS, errors=(401, 403, 422), query=m.OriginationQuery)
@handles_errors
def get_origination() -> Response:
    _officer()
    deps = bootstrap.deps()
    q = parse_query(current_request(), m.OriginationQuery)
    return ok(m.OriginationOut.model_validate(portfolio.origination(deps, q.from_, q.to)))
