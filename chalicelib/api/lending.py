"""Customer routes of servicing: credit lines, drawdowns, loans."""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.money import Money
from ..domain.repayment_method import RepaymentMethod
from ..services import customer_queries
from ..services.servicing import credit_lines, drawdowns, loans, repayments
from ..services.servicing.drawdowns import DrawdownCommand
from . import models as m
from . import views
from .auth import jwt_authorizer
from .http import (
    current_request,
    customer_id,
    handles_errors,
    idempotency_key,
    live_session,
    login,
    ok,
    parse,
    parse_query,
)
from .spec import operation

lending = Blueprint(__name__)
AUTH = {"authorizer": jwt_authorizer}


@lending.route("/v1/credit-lines", methods=["GET"], **AUTH)
@operation("My credit lines, newest first, a page at a time", {200: m.CreditLineListOut}, errors=(400, 401, 422),
           query=m.PageQuery)
@handles_errors
def list_credit_lines() -> Response:
    deps = bootstrap.deps()
    page = parse_query(current_request(), m.PageQuery)
    customer = customer_id(current_request())
    found = customer_queries.my_credit_lines(deps, customer, page.limit, page.cursor)
    now = deps.clock.now()
    notices = customer_queries.notices_of(deps, found.items)
    items = [views.credit_line(x, now, notices[x.credit_line_id]) for x in found.items]
    return ok(m.CreditLineListOut(items=items, next_cursor=found.next_cursor))


@lending.route("/v1/drawdowns", methods=["GET"], **AUTH)
@operation("My drawdowns, newest first, a page at a time", {200: m.DrawdownListOut}, errors=(400, 401, 422),
           query=m.PageQuery)
@handles_errors
def list_drawdowns() -> Response:
    deps = bootstrap.deps()
    page = parse_query(current_request(), m.PageQuery)
    customer = customer_id(current_request())
    found = customer_queries.my_drawdowns(deps, customer, page.limit, page.cursor)
    return ok(m.DrawdownListOut(items=[views.drawdown(d) for d in found.items], next_cursor=found.next_cursor))


@lending.route("/v1/loans", methods=["GET"], **AUTH)
@operation("My loans, newest first, each with its next instalment, a page at a time", {200: m.LoanListOut},
           errors=(400, 401, 422), query=m.PageQuery)
@handles_errors
def list_loans() -> Response:
    deps = bootstrap.deps()
    page = parse_query(current_request(), m.PageQuery)
    found = customer_queries.my_loans(deps, customer_id(current_request()), page.limit, page.cursor)
    today = deps.clock.today()
    return ok(m.LoanListOut(items=[views.loan_summary(ln, today) for ln in found.items], next_cursor=found.next_cursor))


@lending.route("/v1/credit-lines/{credit_line_id}/drawdown-quote", methods=["POST"], **AUTH)
@operation("Preview a drawdown: the schedule, total interest and APR it would have if confirmed now, under the "
           "drawdown's own rules. Nothing is reserved or recorded", {200: m.DrawdownQuoteOut}, m.DrawdownQuoteIn,
           errors=(400, 401, 404, 409, 422))
@handles_errors
def quote_drawdown(credit_line_id: str) -> Response:
    deps = bootstrap.deps()
    body = parse(current_request(), m.DrawdownQuoteIn)
    loan, price = drawdowns.quote_drawdown(deps, customer_id(current_request()), credit_line_id,
                                           Money(body.amount_fen), body.term_months,
                                           RepaymentMethod(body.repayment_method))
    return ok(views.drawdown_quote(loan, price))


@lending.route("/v1/credit-lines/{credit_line_id}", methods=["GET"], **AUTH)
@operation("My credit line: limit, available amount, status, and a notice in plain words when the bank has "
           "paused it or reviews new drawdowns", {200: m.CreditLineOut})
@handles_errors
def get_credit_line(credit_line_id: str) -> Response:
    deps = bootstrap.deps()
    line = credit_lines.owned_line(deps, customer_id(current_request()), credit_line_id)
    return ok(views.credit_line(line, deps.clock.now(), customer_queries.notice_of(deps, line)))


@lending.route("/v1/credit-lines/{credit_line_id}/history", methods=["GET"], **AUTH)
@operation("My credit line's history: activation, each reservation, release and repayment of principal, "
           "freezes", {200: m.CreditLineHistoryOut})
@handles_errors
def get_credit_line_history(credit_line_id: str) -> Response:
    deps = bootstrap.deps()
    line = credit_lines.owned_line(deps, customer_id(current_request()), credit_line_id)
    return ok(views.line_history(line, customer_queries.line_trail(deps, line)))


@lending.route("/v1/credit-lines/{credit_line_id}/closure", methods=["POST"], **AUTH)
@operation("Close my credit line (nothing drawn or owed on it; final)", {200: m.CreditLineOut},
           errors=(400, 401, 404, 409))
@handles_errors
@live_session
def close_credit_line(credit_line_id: str) -> Response:
    deps = bootstrap.deps()
    closed = credit_lines.close_line(deps, customer_id(current_request()), credit_line_id)
    return ok(views.credit_line(closed, deps.clock.now()))


@lending.route("/v1/credit-lines/{credit_line_id}/drawdowns", methods=["POST"], **AUTH)
@operation("Draw from the line. Idempotency-Key required: a replay returns the same body; the same key with "
           "another body is a 422", {202: m.DrawdownAcceptedOut}, m.DrawdownRequestIn,
           headers=("Idempotency-Key",), errors=(400, 401, 404, 409, 422, 503))
@handles_errors
@live_session
def create_drawdown(credit_line_id: str) -> Response:
    request = current_request()
    key = idempotency_key(request)
    body = parse(request, m.DrawdownRequestIn)
    cmd = DrawdownCommand(credit_line_id, Money(body.amount_fen), body.term_months,
                          RepaymentMethod(body.repayment_method), body.account_no, body.payout_account_id,
                          login(request))
    dd = drawdowns.request_drawdown(bootstrap.deps(), customer_id(request), key, cmd)
    return ok(views.drawdown_accepted(dd), 202, {"Location": f"/v1/drawdowns/{dd.drawdown_id}"})


@lending.route("/v1/drawdowns/{drawdown_id}", methods=["GET"], **AUTH)
@operation("A drawdown's progress", {200: m.DrawdownOut})
@handles_errors
def get_drawdown(drawdown_id: str) -> Response:
    return ok(views.drawdown(drawdowns.owned_drawdown(bootstrap.deps(), customer_id(current_request()), drawdown_id)))


@lending.route("/v1/loans/{loan_id}", methods=["GET"], **AUTH)
@operation("A loan and its repayment schedule", {200: m.LoanOut})
@handles_errors
def get_loan(loan_id: str) -> Response:
    deps = bootstrap.deps()
    loan = loans.owned_loan(deps, customer_id(current_request()), loan_id)
    return ok(views.loan(loan, deps.clock.today(), loans.price_of(deps, loan)))


@lending.route("/v1/loans/{loan_id}/repayment-quote", methods=["POST"], **AUTH)
@operation("What repaying early costs today: the whole loan (no body) or a part of its principal, with the "
           "schedule after a part prepayment", {200: m.RepaymentQuoteOut}, m.RepaymentQuoteIn,
           body_required=False, errors=(400, 401, 404, 409, 422))
@handles_errors
def repayment_quote(loan_id: str) -> Response:
    request = current_request()
    body = parse(request, m.RepaymentQuoteIn, optional=True)
    principal = Money(body.principal_fen) if body.principal_fen is not None else None
    loan, q = repayments.quote(bootstrap.deps(), customer_id(request), loan_id, principal)
    return ok(views.repayment_quote(loan, q))


@lending.route("/v1/loans/{loan_id}/repayments", methods=["POST"], **AUTH)
@operation("Repay early the quoted amount, whole or part. Idempotency-Key required", {200: m.RepaymentOut},
           m.RepaymentRequestIn, headers=("Idempotency-Key",), errors=(400, 401, 404, 409, 422))
@handles_errors
@live_session
def repay_loan(loan_id: str) -> Response:
    request = current_request()
    key = idempotency_key(request)
    body = parse(request, m.RepaymentRequestIn)
    done = repayments.repay(bootstrap.deps(), customer_id(request), loan_id, key, body.quoted_total_fen,
                            body.principal_fen)
    return ok(m.RepaymentOut(**{k: done[k] for k in ("repayment_id", "loan_id", "principal_fen", "interest_fen",
                                                     "total_fen", "as_of", "loan_status")}))
