"""A loan's life after payout: the customer asks for more time and reads her messages; officers decide
restructurings (two of them), work the collections by bucket within the contact rules, and write off losses (two of
them), crediting later recoveries."""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.classification import Bucket
from ..domain.collections import (
    ESCALATIONS,
    CollectionCase,
    ContactChannel,
    ContactOutcome,
    ContactParty,
)
from ..domain.money import Money
from ..domain.restructuring import RestructuringKind, RestructuringOutcome, RestructuringRequest
from ..domain.write_off import WriteOffProposal
from ..services.workout import collections, messages, restructuring, write_off
from . import models as m
from .auth import jwt_authorizer
from .http import current_request, customer_id, handles_errors, idempotency_key, live_session, ok, parse, require_group
from .labels import CHANNEL_ZH, ESCALATION_ZH, OUTCOME_ZH, PROMISE_ZH, REMINDER_ZH, RESTRUCTURING_ZH, WRITE_OFF_ZH
from .spec import operation

workout = Blueprint(__name__)
AUTH = {"authorizer": jwt_authorizer}
OFFICER_ERRORS = (400, 401, 403, 404, 409, 422)


def _officer() -> str:
    deps = bootstrap.deps()
    return require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)


def request_out(r: RestructuringRequest, officers_see: bool = False) -> m.RestructuringRequestOut:
    """The customer's view names no member of staff; the officers' names who decided."""
    return m.RestructuringRequestOut(
        request_id=r.request_id, loan_id=r.loan_id, kind=r.kind.value, kind_zh=r.kind.name_zh,
        extra_months=r.extra_months, reason=r.reason,
        requested_by="OFFICER" if r.requested_by.startswith("officer:") else "CUSTOMER",
        requested_at=r.requested_at, status=r.status.value, status_zh=RESTRUCTURING_ZH[r.status.value],
        decisions=[m.OfficerDecisionOut(officer_id=d.officer_id if officers_see else None, outcome=d.outcome.value,
                                        comment=d.comment, at=d.at) for d in r.decisions])


def officer_request_out(r: RestructuringRequest) -> m.OfficerRestructuringOut:
    return m.OfficerRestructuringOut(**request_out(r, officers_see=True).model_dump(), customer_id=r.customer_id,
                                     credit_line_id=r.credit_line_id)


# ---- the customer ---------------------------------------------------------------------------------------
@workout.route("/v1/loans/{loan_id}/restructuring-requests", methods=["POST"], **AUTH)
@operation("Ask for more time to repay one of my loans (展期): 201 with the request; two officers decide and I am "
           "told by SMS and in my messages", {201: m.RestructuringRequestOut}, m.RestructuringRequestIn,
           errors=(400, 401, 404, 409, 422))
@handles_errors
@live_session
def ask_for_restructuring(loan_id: str) -> Response:
    body = parse(current_request(), m.RestructuringRequestIn)
    found = restructuring.customer_asks(bootstrap.deps(), customer_id(current_request()), loan_id,
                                        RestructuringKind(body.kind), body.extra_months, body.reason)
    return ok(request_out(found), 201, {"Location": "/v1/restructuring-requests"})


@workout.route("/v1/restructuring-requests", methods=["GET"], **AUTH)
@operation("My restructuring requests, newest first, with their outcome", {200: m.RestructuringListOut},
           errors=(401,))
@handles_errors
def my_restructuring_requests() -> Response:
    found = restructuring.requests_of(bootstrap.deps(), customer_id(current_request()))
    return ok(m.RestructuringListOut(items=[request_out(r) for r in found]))


@workout.route("/v1/messages", methods=["GET"], **AUTH)
@operation("My messages in the app, newest first: repayment reminders and the bank's answers to my requests",
           {200: m.MessageListOut}, errors=(401,))
@handles_errors
def my_messages() -> Response:
    found = messages.messages_of(bootstrap.deps(), customer_id(current_request()))
    return ok(m.MessageListOut(items=[m.MessageOut(message_id=x.message_id, kind=x.kind, title=x.title, text=x.text,
                                                   at=x.at, subject_id=x.subject_id) for x in found]))


# ---- restructuring, for officers ------------------------------------------------------------------------
@workout.route("/v1/admin/restructuring-requests", methods=["GET"], **AUTH)
@operation("Restructuring requests awaiting a decision, oldest first", {200: m.OfficerRestructuringListOut},
           tags=("back-office",), errors=(401, 403))
@handles_errors
def list_restructuring_requests() -> Response:
    _officer()
    found = restructuring.open_requests(bootstrap.deps())
    return ok(m.OfficerRestructuringListOut(items=[officer_request_out(r) for r in found]))


@workout.route("/v1/admin/loans/{loan_id}/restructuring-requests", methods=["POST"], **AUTH)
@operation("An officer proposes a restructuring; two other officers decide", {201: m.OfficerRestructuringOut},
           m.RestructuringRequestIn, tags=("back-office",), errors=OFFICER_ERRORS)
@handles_errors
@live_session
def propose_restructuring(loan_id: str) -> Response:
    officer = _officer()
    body = parse(current_request(), m.RestructuringRequestIn)
    found = restructuring.officer_proposes(bootstrap.deps(), officer, loan_id, RestructuringKind(body.kind),
                                           body.extra_months, body.reason)
    return ok(officer_request_out(found), 201)


@workout.route("/v1/admin/restructuring-requests/{request_id}/decision", methods=["POST"], **AUTH)
@operation("One officer's decision: a decline ends it; the second approval, by a different officer, books the new "
           "schedule (the same officer twice: 409 SECOND_OFFICER_REQUIRED)", {200: m.OfficerRestructuringOut},
           m.RestructuringDecisionIn, tags=("back-office",), errors=OFFICER_ERRORS)
@handles_errors
@live_session
def decide_restructuring(request_id: str) -> Response:
    officer = _officer()
    body = parse(current_request(), m.RestructuringDecisionIn)
    found = restructuring.decide(bootstrap.deps(), officer, request_id, RestructuringOutcome(body.outcome),
                                 body.comment)
    return ok(officer_request_out(found))


# ---- write-off and recoveries ---------------------------------------------------------------------------
def write_off_out(p: WriteOffProposal, single_officer_max_fen: int) -> m.WriteOffOut:
    return m.WriteOffOut(loan_id=p.loan_id, customer_id=p.customer_id, credit_line_id=p.credit_line_id,
                         status=p.status.value, status_zh=WRITE_OFF_ZH[p.status.value], amount_fen=p.amount_fen,
                         reason=p.reason, proposed_by=p.proposed_by, proposed_at=p.proposed_at,
                         decided_by=p.decided_by or None, decided_at=p.decided_at, comment=p.comment or None,
                         needs_second_officer=p.needs_second_officer(single_officer_max_fen))


@workout.route("/v1/admin/loans/{loan_id}/write-off", methods=["POST"], **AUTH)
@operation("核销: the first officer proposes (201), a second, different officer confirms (200) and the loan leaves "
           "the balance sheet; only a loan classified 损失 qualifies (409 WRITE_OFF_NOT_ELIGIBLE)",
           {200: m.WriteOffOut, 201: m.WriteOffOut}, m.WriteOffIn, tags=("back-office",), errors=OFFICER_ERRORS)
@handles_errors
@live_session
def write_off_loan(loan_id: str) -> Response:
    officer = _officer()
    body = parse(current_request(), m.WriteOffIn)
    deps = bootstrap.deps()
    found = write_off.propose_or_confirm(deps, officer, loan_id, body.reason)
    single = deps.settings.write_off_single_officer_max_fen
    return ok(write_off_out(found, single), 200 if found.status.value == "CONFIRMED" else 201)


@workout.route("/v1/admin/loans/{loan_id}/write-off/decline", methods=["POST"], **AUTH)
@operation("The second officer does not confirm a proposed write-off", {200: m.WriteOffOut}, m.WriteOffDeclineIn,
           tags=("back-office",), errors=OFFICER_ERRORS)
@handles_errors
@live_session
def decline_write_off(loan_id: str) -> Response:
    officer = _officer()
    body = parse(current_request(), m.WriteOffDeclineIn)
    deps = bootstrap.deps()
    return ok(write_off_out(write_off.decline(deps, officer, loan_id, body.comment),
                            deps.settings.write_off_single_officer_max_fen))


@workout.route("/v1/admin/write-offs", methods=["GET"], **AUTH)
@operation("Write-offs proposed and awaiting a second officer, oldest first", {200: m.WriteOffListOut},
           tags=("back-office",), errors=(401, 403))
@handles_errors
def list_write_offs() -> Response:
    _officer()
    deps = bootstrap.deps()
    single = deps.settings.write_off_single_officer_max_fen
    return ok(m.WriteOffListOut(items=[write_off_out(p, single) for p in write_off.open_write_offs(deps)]))


@workout.route("/v1/admin/loans/{loan_id}/recoveries", methods=["POST"], **AUTH)
@operation("Money collected from the borrower's own account on a written-off loan, credited to it. "
           "Idempotency-Key required", {201: m.RecoveryOut}, m.RecoveryIn, headers=("Idempotency-Key",),
           tags=("back-office",), errors=OFFICER_ERRORS)
@handles_errors
@live_session
def record_recovery(loan_id: str) -> Response:
    officer = _officer()
    key = idempotency_key(current_request())
    body = parse(current_request(), m.RecoveryIn)
    done = write_off.record_recovery(bootstrap.deps(), officer, loan_id, Money(body.amount_fen), key)
    return ok(m.RecoveryOut(**{k: done[k] for k in ("recovery_id", "loan_id", "amount_fen", "owed_after_fen",
                                                    "core_reference")}), 201)


# ---- collections ----------------------------------------------------------------------------------------
def case_out(c: CollectionCase, max_per_week: int, now_contacts: int) -> m.CollectionCaseOut:
    return m.CollectionCaseOut(
        customer_id=c.customer_id, days_past_due=c.days_past_due, bucket=c.bucket, overdue_fen=c.overdue_fen,
        escalation=ESCALATIONS[c.escalation], escalation_zh=ESCALATION_ZH[ESCALATIONS[c.escalation]],
        arrears=[m.ArrearsOut(loan_id=a.loan_id, days_past_due=a.days_past_due, overdue_fen=a.overdue_fen,
                              bucket=a.bucket) for a in c.arrears],
        contacts=[m.ContactOut(at=x.at, channel=x.channel.value, channel_zh=CHANNEL_ZH[x.channel.value], by=x.by,
                               outcome=x.outcome.value, outcome_zh=OUTCOME_ZH[x.outcome.value],
                               note=REMINDER_ZH.get(x.note, x.note)) for x in reversed(c.contacts)],
        contacts_this_week=now_contacts, max_contacts_per_week=max_per_week,
        promises=[m.PromiseOut(promise_id=p.promise_id, amount_fen=p.amount_fen, promised_date=p.promised_date,
                               made_at=p.made_at, status=p.status.value, status_zh=PROMISE_ZH[p.status.value])
                  for p in c.promises],
        pending_reminders=[m.PendingReminderOut(loan_id=r.loan_id, instalment=r.instalment, kind=r.kind.value,
                                                kind_zh=REMINDER_ZH[r.kind.value], due_date=r.due_date)
                           for r in c.pending])


def _case(c: CollectionCase) -> m.CollectionCaseOut:
    deps = bootstrap.deps()
    return case_out(c, deps.settings.collection_max_contacts_per_week, c.contacts_in_week(deps.clock.now()))


@workout.route("/v1/admin/collections", methods=["GET"], **AUTH)
@operation("The collections worklist by delinquency bucket, the most days past due first",
           {200: m.CollectionWorklistOut}, tags=("back-office",), errors=(401, 403))
@handles_errors
def collection_worklist() -> Response:
    _officer()
    cases = collections.worklist(bootstrap.deps())
    return ok(m.CollectionWorklistOut(buckets=[
        m.CollectionBucketOut(bucket=b.value, cases=[_case(c) for c in cases if c.bucket == b.value])
        for b in Bucket if b is not Bucket.CURRENT]))


@workout.route("/v1/admin/collections/{customer_id}", methods=["GET"], **AUTH)
@operation("One borrower's collection case: arrears, contacts, promises, reminders held by the rules",
           {200: m.CollectionCaseOut}, tags=("back-office",), errors=(401, 403, 404))
@handles_errors
def collection_case(customer_id: str) -> Response:
    _officer()
    return ok(_case(collections.case_of(bootstrap.deps(), customer_id)))


@workout.route("/v1/admin/collections/{customer_id}/contacts", methods=["POST"], **AUTH)
@operation("Log a contact with the borrower (only her; 8:00-21:00 Beijing; at most the week's number: else 422)",
           {201: m.CollectionCaseOut}, m.ContactIn, tags=("back-office",), errors=OFFICER_ERRORS)
@handles_errors
@live_session
def log_contact(customer_id: str) -> Response:
    officer = _officer()
    body = parse(current_request(), m.ContactIn)
    found = collections.log_contact(bootstrap.deps(), officer, customer_id, ContactParty(body.party),
                                    ContactChannel(body.channel), ContactOutcome(body.outcome), body.note)
    return ok(_case(found), 201)


@workout.route("/v1/admin/collections/{customer_id}/promises", methods=["POST"], **AUTH)
@operation("Record the borrower's promise to pay (within 30 days); broken, the case escalates",
           {201: m.CollectionCaseOut}, m.PromiseIn, tags=("back-office",), errors=OFFICER_ERRORS)
@handles_errors
@live_session
def record_promise(customer_id: str) -> Response:
    officer = _officer()
    body = parse(current_request(), m.PromiseIn)
    deps = bootstrap.deps()
    collections.promise_to_pay(deps, officer, customer_id, Money(body.amount_fen), body.promised_date)
    return ok(_case(collections.case_of(deps, customer_id)), 201)
