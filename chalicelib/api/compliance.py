"""Complaints: the customer files and reads hers; officers answer the open ones, earliest due first."""

from __future__ import annotations

from datetime import datetime

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.aml import AmlCase
from ..domain.complaint import Complaint, ComplaintCategory
from ..domain.human_review import HumanReview, ReviewOutcome
from ..services.compliance import aml, complaints, human_reviews
from . import models as m
from .auth import jwt_authorizer
from .http import current_request, customer_id, groups, handles_errors, live_session, ok, parse, require_group
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


def human_review_out(r: HumanReview) -> m.HumanReviewOut:
    return m.HumanReviewOut(review_id=r.review_id, application_id=r.application_id,
                            status="OPEN" if r.open else "DECIDED", reason=r.reason, requested_at=r.requested_at,
                            due_at=r.due_at, outcome=r.outcome.value if r.outcome else None,
                            comment=r.comment or None, decided_at=r.decided_at)


def officer_human_review_out(r: HumanReview, now: datetime) -> m.OfficerHumanReviewOut:
    return m.OfficerHumanReviewOut(**human_review_out(r).model_dump(), decided=r.decided, overdue=r.overdue(now))


@compliance.route("/v1/applications/{application_id}/human-review", methods=["POST"], **AUTH)
@operation("Ask for a person to review the system's decision on my application (PIPL Art. 24): once; 201 with the "
           "date the outcome is due (15 days)", {201: m.HumanReviewOut}, m.HumanReviewIn,
           errors=(400, 401, 404, 409, 422))
@handles_errors
@live_session
def request_human_review(application_id: str) -> Response:
    body = parse(current_request(), m.HumanReviewIn)
    found = human_reviews.request_review(bootstrap.deps(), customer_id(current_request()), application_id,
                                         body.reason)
    return ok(human_review_out(found), 201)


@compliance.route("/v1/admin/human-reviews/{review_id}/decision", methods=["POST"], **AUTH)
@operation("An officer's outcome of a person's review: the decision stands (UPHELD) or is overturned; the comment "
           "is told to the customer; audited", {200: m.HumanReviewOut}, m.HumanReviewDecisionIn,
           tags=("back-office",), errors=(400, 401, 403, 404, 409, 422))
@handles_errors
@live_session
def decide_human_review(review_id: str) -> Response:
    deps = bootstrap.deps()
    officer = require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    body = parse(current_request(), m.HumanReviewDecisionIn)
    return ok(human_review_out(human_reviews.decide(deps, officer, review_id, ReviewOutcome(body.outcome),
                                                    body.comment)))


def aml_case_out(c: AmlCase) -> m.AmlCaseOut:
    return m.AmlCaseOut(case_id=c.case_id, customer_id=c.customer_id, kind=c.kind.value, kind_zh=c.kind.name_zh,
                        subject_id=c.subject_id, opened_at=c.opened_at, evidence=c.evidence, status=c.status.value,
                        decided_by=c.decided_by or None, decided_at=c.decided_at, comment=c.comment or None)


@compliance.route("/v1/admin/aml-cases", methods=["GET"], **AUTH)
@operation("The anti-money-laundering worklist: open cases, the oldest first (compliance officers only)",
           {200: m.AmlCaseListOut}, tags=("back-office",), errors=(401, 403))
@handles_errors
def list_aml_cases() -> Response:
    deps = bootstrap.deps()
    require_group(current_request(), deps.settings.compliance_officer_group, deps.settings.admin_require_mfa)
    return ok(m.AmlCaseListOut(items=[aml_case_out(c) for c in aml.open_cases(deps)]))


@compliance.route("/v1/admin/aml-cases/{case_id}/decision", methods=["POST"], **AUTH)
@operation("A compliance officer's decision on a case: REPORT (a suspicious transaction report) or CLOSE, once, "
           "audited; the decided case is kept write-once for ten years", {200: m.AmlCaseOut}, m.AmlDecisionIn,
           tags=("back-office",), errors=(400, 401, 403, 404, 409, 422))
@handles_errors
@live_session
def decide_aml_case(case_id: str) -> Response:
    deps = bootstrap.deps()
    officer = require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    body = parse(current_request(), m.AmlDecisionIn)
    found = aml.decide(deps, officer, case_id, body.outcome == "REPORT", body.comment,
                       deps.settings.compliance_officer_group in groups(current_request()))
    return ok(aml_case_out(found))
