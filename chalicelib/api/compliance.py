"""Complaints: the customer files and reads hers; officers answer the open ones, earliest due first."""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.complaint import Complaint, ComplaintCategory
from ..services.compliance import complaints
from . import models as m
from .auth import jwt_authorizer
from .http import current_request, customer_id, handles_errors, live_session, ok, parse, require_group
from .spec import operation

compliance = Blueprint(__name__)
AUTH = {"authorizer": jwt_authorizer}


def complaint_out(c: Complaint) -> m.ComplaintOut:
    return m.ComplaintOut(complaint_id=c.complaint_id, category=c.category.value,
                          category_zh=c.category.name_zh, text=c.text, subject_id=c.subject_id,
                          status=c.status.value, opened_at=c.opened_at, due_at=c.due_at,
                          reply=c.reply or None, replied_at=c.replied_at)


@compliance.route("/v1/complaints", methods=["POST"], **AUTH)
@operation("File a complaint (投诉), about one of my lines or loans if about one: 201 with its id and the date "
           "the bank's answer is due (15 days)", {201: m.ComplaintOut}, m.ComplaintIn)
@handles_errors
@live_session
def file_complaint() -> Response:
    body = parse(current_request(), m.ComplaintIn)
    found = complaints.file_complaint(bootstrap.deps(), customer_id(current_request()),
                                      ComplaintCategory(body.category), body.text, body.subject_id)
    return ok(complaint_out(found), 201, {"Location": "/v1/complaints"})


@compliance.route("/v1/complaints", methods=["GET"], **AUTH)
@operation("My complaints, newest first, with the bank's answers", {200: m.ComplaintListOut}, errors=(401,))
@handles_errors
def list_my_complaints() -> Response:
    found = complaints.my_complaints(bootstrap.deps(), customer_id(current_request()))
    return ok(m.ComplaintListOut(items=[complaint_out(c) for c in found]))


@compliance.route("/v1/admin/complaints", methods=["GET"], **AUTH)
@operation("Open complaints, the earliest due first, each saying whether it is overdue",
           {200: m.OfficerComplaintListOut}, tags=("back-office",), errors=(401, 403))
@handles_errors
def list_open_complaints() -> Response:
    deps = bootstrap.deps()
    require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    now = deps.clock.now()
    return ok(m.OfficerComplaintListOut(items=[
        m.OfficerComplaintOut(**complaint_out(c).model_dump(), customer_id=c.customer_id, overdue=c.overdue(now))
        for c in complaints.open_complaints(deps)]))


@compliance.route("/v1/admin/complaints/{complaint_id}/reply", methods=["POST"], **AUTH)
@operation("An officer's answer to a complaint (once; audited); the customer is told by SMS and in the app",
           {200: m.ComplaintOut}, m.ComplaintReplyIn, tags=("back-office",), errors=(400, 401, 403, 404, 409, 422))
@handles_errors
@live_session
def reply_to_complaint(complaint_id: str) -> Response:
    deps = bootstrap.deps()
    officer = require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    body = parse(current_request(), m.ComplaintReplyIn)
    return ok(complaint_out(complaints.answer(deps, officer, complaint_id, body.reply)))
