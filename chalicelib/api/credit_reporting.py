"""Credit-bureau reporting: officers generate (or get) a month's report; customers and officers file disputes
about what a report said, officers resolve them."""

from __future__ import annotations

from datetime import datetime

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.bureau_reporting import LAYOUT, BureauReport, ReportStatus
from ..domain.credit_dispute import CreditDispute
from ..services.compliance import credit_reporting
from . import models as m
from .auth import jwt_authorizer
from .http import current_request, customer_id, handles_errors, live_session, ok, parse, require_group
from .spec import operation

reporting = Blueprint(__name__)
AUTH = {"authorizer": jwt_authorizer}


def report_out(r: BureauReport) -> m.BureauReportOut:
    return m.BureauReportOut(reporting_date=r.reporting_date, status=r.status.value, layout=LAYOUT,
                             s3_key=r.s3_key or None, sha256=r.sha256 or None, accounts=r.accounts,
                             corrections=r.corrections, notices_sent=r.notices_sent, receipt=r.receipt or None,
                             requested_by=r.requested_by, requested_at=r.requested_at, generated_at=r.generated_at)


@reporting.route("/v1/admin/credit-bureau-reports", methods=["POST"], **AUTH)
@operation("Generate the credit-bureau report of a month end (征信报送): 201 when this request generated it, 200 "
           "with the same report when it exists, 202 while another request is generating it; one file per date",
           {201: m.BureauReportOut, 200: m.BureauReportOut, 202: m.BureauReportOut}, m.BureauReportIn,
           tags=("back-office",), errors=(400, 401, 403, 422, 503))
@handles_errors
@live_session
def generate_report() -> Response:
    deps = bootstrap.deps()
    officer = require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    body = parse(current_request(), m.BureauReportIn)
    found, generated = credit_reporting.report(deps, body.reporting_date, f"officer:{officer}")
    status = 201 if generated else 200 if found.status is ReportStatus.GENERATED else 202
    return ok(report_out(found), status)


@reporting.route("/v1/admin/credit-bureau-reports", methods=["GET"], **AUTH)
@operation("The credit-bureau reports made, the newest reporting date first", {200: m.BureauReportListOut},
           tags=("back-office",), errors=(401, 403))
@handles_errors
def list_reports() -> Response:
    deps = bootstrap.deps()
    require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    return ok(m.BureauReportListOut(items=[report_out(r) for r in credit_reporting.reports(deps)]))


def dispute_out(d: CreditDispute) -> m.DisputeOut:
    return m.DisputeOut(dispute_id=d.dispute_id, account_id=d.account_id, reporting_date=d.reporting_date,
                        text=d.text, status=d.status.value, opened_at=d.opened_at, due_at=d.due_at,
                        finding=d.finding or None, resolved_at=d.resolved_at, reported_on=d.reported_on)


def officer_dispute_out(d: CreditDispute, now: datetime) -> m.OfficerDisputeOut:
    return m.OfficerDisputeOut(**dispute_out(d).model_dump(), customer_id=d.customer_id, filed_by=d.filed_by,
                               corrected_fields=d.corrected_fields, overdue=d.overdue(now))


@reporting.route("/v1/credit-disputes", methods=["POST"], **AUTH)
@operation("Object to what the bank reported to the credit bureau about one of my lines or loans (异议): 201 with "
           "the date the bank's finding is due (20 days)", {201: m.DisputeOut}, m.DisputeIn,
           errors=(400, 401, 404, 422))
@handles_errors
@live_session
def file_dispute() -> Response:
    body = parse(current_request(), m.DisputeIn)
    me = customer_id(current_request())
    found = credit_reporting.file_dispute(bootstrap.deps(), me, body.account_id, body.reporting_date, body.text,
                                          f"customer:{me}")
    return ok(dispute_out(found), 201)


@reporting.route("/v1/credit-disputes", methods=["GET"], **AUTH)
@operation("My disputes about credit-bureau reports, newest first, with the bank's findings",
           {200: m.DisputeListOut}, errors=(401,))
@handles_errors
def list_my_disputes() -> Response:
    found = credit_reporting.my_disputes(bootstrap.deps(), customer_id(current_request()))
    return ok(m.DisputeListOut(items=[dispute_out(d) for d in found]))


@reporting.route("/v1/admin/credit-disputes", methods=["POST"], **AUTH)
@operation("An officer files a dispute on a customer's behalf (she objected by phone or at a branch): 201",
           {201: m.DisputeOut}, m.DisputeIn, tags=("back-office",), errors=(400, 401, 403, 404, 422))
@handles_errors
@live_session
def file_dispute_for_her() -> Response:
    deps = bootstrap.deps()
    officer = require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    body = parse(current_request(), m.DisputeIn)
    found = credit_reporting.file_dispute(deps, None, body.account_id, body.reporting_date, body.text,
                                          f"officer:{officer}")
    return ok(dispute_out(found), 201)


@reporting.route("/v1/admin/credit-disputes", methods=["GET"], **AUTH)
@operation("Open disputes, the earliest due first, each saying whether it is overdue", {200: m.OfficerDisputeListOut},
           tags=("back-office",), errors=(401, 403))
@handles_errors
def list_open_disputes() -> Response:
    deps = bootstrap.deps()
    require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    now = deps.clock.now()
    return ok(m.OfficerDisputeListOut(items=[officer_dispute_out(d, now)
                                             for d in credit_reporting.open_disputes(deps)]))


@reporting.route("/v1/admin/credit-disputes/{dispute_id}/resolution", methods=["POST"], **AUTH)
@operation("An officer's finding on a dispute (once; audited): CORRECTED with the record's fields as they should "
           "have read (the next report carries the correction) or UPHELD; the customer is told by SMS",
           {200: m.OfficerDisputeOut}, m.DisputeResolutionIn, tags=("back-office",),
           errors=(400, 401, 403, 404, 409, 422))
@handles_errors
@live_session
def resolve_dispute(dispute_id: str) -> Response:
    deps = bootstrap.deps()
    officer = require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    body = parse(current_request(), m.DisputeResolutionIn)
    found = credit_reporting.resolve_dispute(deps, officer, dispute_id, body.outcome == "CORRECTED", body.finding,
                                             {str(k): v for k, v in body.corrected_fields.items()})
    return ok(officer_dispute_out(found, deps.clock.now()))
