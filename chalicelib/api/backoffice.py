"""Back-office routes for risk officers (Cognito group from settings). Customers get 403 here."""

from __future__ import annotations

from chalice import Blueprint, Response

from .. import bootstrap
from ..domain.classification import LoanClass
from ..domain.contract import chinese_capital_amount
from ..domain.early_warning import Level
from ..domain.errors import InvalidTransitionError
from ..domain.money import Money
from ..services import monitoring
from ..services.back_office import back_office_queries, in_person, reconciliation, review
from ..services.compliance import human_reviews
from ..services.monitoring import portfolio, sweep
from ..services.origination import contracts
from ..services.servicing import drawdowns
from . import models as m
from . import views
from .auth import jwt_authorizer
from .compliance import officer_human_review_out
from .http import current_request, groups, handles_errors, live_session, ok, parse, parse_query, require_group
from .labels import CLASSIFICATION_REASON_ZH, LEDGER_KIND_ZH, account_zh
from .spec import operation

backoffice = Blueprint(__name__)
AUTH = {"authorizer": jwt_authorizer}


@backoffice.route("/v1/admin/reviews", methods=["GET"], **AUTH)
@operation("Applications waiting for a risk officer (masked), and customers' requests for a person to review an "
           "automated decision", {200: m.ReviewListOut}, tags=("back-office",), errors=(400, 401, 403))
@handles_errors
def list_reviews() -> Response:
    deps = bootstrap.deps()
    require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    now = deps.clock.now()
    return ok(m.ReviewListOut(items=[views.review_item(a) for a in review.pending_reviews(deps)],
                              human_reviews=[officer_human_review_out(r, now)
                                             for r in human_reviews.open_reviews(deps)]))


@backoffice.route("/v1/admin/reviews/{application_id}/decision", methods=["POST"], **AUTH)
@operation("Approve (optionally with a lower line) or decline a referred application",
           {200: m.ReviewDecisionOut}, m.ReviewDecisionRequest, tags=("back-office",),
           errors=(400, 401, 403, 404, 409, 422))
@handles_errors
@live_session
def decide_review(application_id: str) -> Response:
    deps = bootstrap.deps()
    officer = require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    body = parse(current_request(), m.ReviewDecisionRequest)
    limit = Money(body.credit_limit_fen) if body.credit_limit_fen is not None else None
    app = review.decide(deps, officer, application_id, body.decision, body.comment, limit,
                        compliance_officer=deps.settings.compliance_officer_group in groups(current_request()))
    assert app.decision is not None
    awaiting = app.first_approval is not None and app.task_token is not None
    return ok(m.ReviewDecisionOut(
        application_id=app.application_id, decision=body.decision,
        status="AWAITING_SECOND_APPROVAL" if awaiting else "DECIDED",
        credit_limit_fen=(int(app.first_approval["credit_limit_fen"]) if awaiting and app.first_approval
                          else app.decision.credit_limit.fen if app.decision.credit_limit else None),
        decided_by=officer))


@backoffice.route("/v1/admin/applications/{application_id}/reveal", methods=["POST"], **AUTH)
@operation("Reveal one masked field of an application (ID number, phone, payout account) with a reason; audited",
           {200: m.RevealOut}, m.RevealRequest, tags=("back-office",), errors=(400, 401, 403, 404, 422))
@handles_errors
@live_session
def reveal_field(application_id: str) -> Response:
    deps = bootstrap.deps()
    officer = require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    body = parse(current_request(), m.RevealRequest)
    value = review.reveal(deps, officer, application_id, body.field, body.reason)
    return ok(m.RevealOut(application_id=application_id, field=body.field, value=value))


@backoffice.route("/v1/admin/reconciliation", methods=["GET"], **AUTH)
@operation("The ledger reconciled against the core banking system: matched items and breaks",
           {200: m.ReconciliationOut}, tags=("back-office",), errors=(400, 401, 403))
@handles_errors
def reconciliation_report() -> Response:
    deps = bootstrap.deps()
    require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    return ok(m.ReconciliationOut(**reconciliation.reconcile(deps)))


@backoffice.route("/v1/admin/contracts/{application_id}/archive-timestamp", methods=["POST"], **AUTH)
@operation("Renew a signed contract's archive timestamp (PAdES-LTA): a new version of the write-once object",
           {200: m.ContractOut}, tags=("back-office",), errors=(400, 401, 403, 404, 409, 503))
@handles_errors
def renew_archive_timestamp(application_id: str) -> Response:
    deps = bootstrap.deps()
    require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    contracts.renew_archive_timestamp(deps, application_id, deps.clock.now())
    app, url = back_office_queries.signed_contract(deps, application_id)
    return ok(views.contract(app, url, deps.settings.download_url_seconds))


@backoffice.route("/v1/admin/warnings", methods=["GET"], **AUTH)
@operation("Post-loan early warnings: the officers' worklist, strongest and oldest task first",
           {200: m.WarningListOut}, tags=("back-office",), errors=(400, 401, 403, 422), query=m.WarningQuery)
@handles_errors
def list_warnings() -> Response:
    deps = bootstrap.deps()
    require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    query = parse_query(current_request(), m.WarningQuery)
    now = deps.clock.now()
    found = back_office_queries.warnings(deps, now, query.status, Level[query.level] if query.level else None,
                                         overdue_only=query.overdue == "true")
    return ok(m.WarningListOut(items=[views.warning_out(w.warning, w.line_status, now) for w in found]))


@backoffice.route("/v1/admin/credit-lines/{credit_line_id}", methods=["GET"], **AUTH)
@operation("A credit line as the back office sees it (masked): its history, its loans with schedules, "
           "classification and its history, and the ledger", {200: m.OfficerLineOut}, tags=("back-office",),
           errors=(401, 403, 404))
@handles_errors
def get_line_for_officer(credit_line_id: str) -> Response:
    deps = bootstrap.deps()
    require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    found = back_office_queries.line_file(deps, credit_line_id)
    line, book, warning = found.line, found.ledger, found.open_warning
    today, now = deps.clock.today(), deps.clock.now()
    loans = [m.OfficerLoanOut(loan=views.loan(ln, today, views.price_of(ln, line.product_code)),
                              classification=ln.review.loan_class,  # type: ignore[arg-type]
                              classification_zh=LoanClass[ln.review.loan_class].label_zh,
                              under_observation=ln.under_observation(today),
                              closed_schedules=[m.ClosedScheduleOut(
                                  closed_at=c["closed_at"], request_id=c["request_id"],
                                  instalments=len(c["schedule"]), maturity=c["schedule"][-1]["due_date"])
                                  for c in found.closed_schedules.get(ln.loan_id, [])],
                              bucket=ln.review.bucket, worst_days_past_due=ln.review.worst_dpd,
                              classification_history=[
                                  m.ClassificationChangeOut(
                                      at=h["at"], from_class=h["from"], to_class=h["to"], reasons=h["reasons"],
                                      reasons_zh=[CLASSIFICATION_REASON_ZH.get(r, r) for r in h["reasons"]])
                                  for h in history])
             for ln, history in found.loans]
    return ok(m.OfficerLineOut(
        line=views.credit_line(line, now, found.notice),
        limit_in_words=chinese_capital_amount(line.limit), customer_id=line.customer_id,
        application_id=line.application_id, history=views.line_history(line, found.history),
        drawdowns=[views.drawdown(d) for d in found.drawdowns],
        loans=loans, repayments=[m.RepaymentRowOut(reference=t.reference, booked_at=t.booked_at,
                                                   amount_fen=sum(leg.debit.fen for leg in t.legs))
                                 for t in book if t.kind == "REPAYMENT"],
        ledger=[m.LedgerTransactionOut(
            transaction_id=t.transaction_id, kind=t.kind, kind_zh=LEDGER_KIND_ZH.get(t.kind, t.kind),
            reference=t.reference, booked_at=t.booked_at,
            legs=[m.LedgerLegOut(account=leg.account, account_zh=account_zh(leg.account), debit_fen=leg.debit.fen,
                                 credit_fen=leg.credit.fen) for leg in t.legs]) for t in book],
        open_warning_id=warning.warning_id if warning else None))


@backoffice.route("/v1/admin/credit-lines/{credit_line_id}/bureau-refresh", methods=["POST"], **AUTH)
@operation("Ask the credit bureau again for the line's borrower now (the sweep does it monthly) and rescore: a fall "
           "of two grades or more raises an ORANGE warning; every run is kept", {200: m.RescoreOut},
           tags=("back-office",), errors=(401, 403, 404, 409, 503))
@handles_errors
def refresh_bureau(credit_line_id: str) -> Response:
    deps = bootstrap.deps()
    require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    customer = back_office_queries.customer_of_line(deps, credit_line_id)
    run = sweep.refresh_bureau(deps, customer, credit_line_id, deps.clock.now())
    if run is None:
        raise InvalidTransitionError("the bureau has no record for this borrower", {"credit_line_id": credit_line_id})
    status, warning = back_office_queries.line_after_rescoring(deps, credit_line_id)
    return ok(m.RescoreOut(**run, line_status=status,
                           warning_level=warning.level.name if warning else None))  # type: ignore[arg-type]


@backoffice.route("/v1/admin/portfolio", methods=["GET"], **AUTH)
@operation("The portfolio: outstanding by delinquency bucket and by classification (from the daily sweep), "
           "lines frozen, warnings open by level, today's disbursements and collections",
           {200: m.PortfolioOut}, tags=("back-office",), errors=(401, 403, 422), query=m.PortfolioQuery)
@handles_errors
def get_portfolio() -> Response:
    deps = bootstrap.deps()
    require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    query = parse_query(current_request(), m.PortfolioQuery)
    return ok(m.PortfolioOut(**portfolio.portfolio(deps, query.date)))


@backoffice.route("/v1/admin/model-monitoring", methods=["GET"], **AUTH)
@operation("Model monitoring: score stability (PSI) of new applications and of the rescored book against the "
           "training baseline, with model warnings at 0.10 (watch) and 0.25 (act); vintage curves; roll rates",
           {200: m.ModelMonitoringOut}, tags=("back-office",), errors=(401, 403))
@handles_errors
def get_model_monitoring() -> Response:
    deps = bootstrap.deps()
    require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    return ok(m.ModelMonitoringOut(**portfolio.model_monitoring(deps)))


@backoffice.route("/v1/admin/drawdowns/awaiting-approval", methods=["GET"], **AUTH)
@operation("Drawdowns held for an officer because an ORANGE early warning is open on the line, oldest first",
           {200: m.AwaitingDrawdownListOut}, tags=("back-office",), errors=(401, 403))
@handles_errors
def list_awaiting_drawdowns() -> Response:
    deps = bootstrap.deps()
    require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    items = []
    for dd, warning in back_office_queries.awaiting_drawdowns(deps):
        items.append(m.AwaitingDrawdownOut(
            drawdown=views.drawdown(dd), warning_id=warning.warning_id if warning else None,
            warning_level=warning.level.name if warning else None,  # type: ignore[arg-type]
            reason_codes=list(warning.reason_codes) if warning else [],
            reasons_zh=views.reasons_zh(warning) if warning else []))
    return ok(m.AwaitingDrawdownListOut(items=items))


@backoffice.route("/v1/admin/drawdowns/{drawdown_id}/decision", methods=["POST"], **AUTH)
@operation("An officer approves (the drawdown goes on: reserve, pay, book) or declines a drawdown held by an "
           "early warning, with a comment in the drawdown's history", {200: m.DrawdownOut}, m.DrawdownDecisionIn,
           tags=("back-office",), errors=(400, 401, 403, 404, 409, 422))
@handles_errors
@live_session
def decide_drawdown(drawdown_id: str) -> Response:
    deps = bootstrap.deps()
    officer = require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    body = parse(current_request(), m.DrawdownDecisionIn)
    return ok(views.drawdown(drawdowns.decide_awaiting(deps, officer, drawdown_id, body.decision == "APPROVE",
                                                       body.comment)))


@backoffice.route("/v1/admin/warnings/{warning_id}", methods=["GET"], **AUTH)
@operation("One early warning with its evidence (masked) and history", {200: m.WarningOut},
           tags=("back-office",), errors=(400, 401, 403, 404))
@handles_errors
def get_warning(warning_id: str) -> Response:
    deps = bootstrap.deps()
    require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    found = back_office_queries.warning(deps, warning_id)
    return ok(views.warning_out(found.warning, found.line_status, deps.clock.now()))


@backoffice.route("/v1/admin/warnings/{warning_id}/disposition", methods=["POST"], **AUTH)
@operation("An officer's disposition of a warning: keep the line frozen, unfreeze it, close a false alarm, reduce "
           "the limit (never below what is drawn; a large cut is confirmed by a second officer), or propose "
           "acceleration; with a comment, audited in the warning's and the line's history", {200: m.WarningOut},
           m.DispositionRequest, tags=("back-office",), errors=(400, 401, 403, 404, 409, 422))
@handles_errors
@live_session
def dispose_warning(warning_id: str) -> Response:
    deps = bootstrap.deps()
    officer = require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    body = parse(current_request(), m.DispositionRequest)
    now = deps.clock.now()
    warning = monitoring.dispose(deps, officer, warning_id, monitoring.DispositionRequest(
        monitoring.Disposition(body.action), body.comment, body.new_limit_fen), now,
        compliance_officer=deps.settings.compliance_officer_group in groups(current_request()))
    return ok(views.warning_out(warning, back_office_queries.with_line(deps, warning).line_status, now))


@backoffice.route("/v1/admin/in-person-verifications", methods=["GET"], **AUTH)
@operation("Applicants waiting to be verified in person (no biometric consent: a branch or a video call), oldest "
           "first, masked", {200: m.InPersonListOut}, tags=("back-office",), errors=(401, 403))
@handles_errors
def list_in_person_verifications() -> Response:
    deps = bootstrap.deps()
    require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    return ok(m.InPersonListOut(items=[views.in_person_item(a) for a in in_person.waiting(deps)]))


@backoffice.route("/v1/admin/applications/{application_id}/in-person-verification", methods=["POST"], **AUTH)
@operation("An officer who saw the applicant and her card (in a branch or on a video call) records the outcome: "
           "VERIFIED resumes the application, NOT_VERIFIED declines it; audited (officer, channel, branch, time)",
           {200: m.InPersonVerificationOut}, m.InPersonVerificationIn, tags=("back-office",),
           errors=(400, 401, 403, 404, 409, 422))
@handles_errors
@live_session
def record_in_person_verification(application_id: str) -> Response:
    deps = bootstrap.deps()
    officer = require_group(current_request(), deps.settings.risk_officer_group, deps.settings.admin_require_mfa)
    body = parse(current_request(), m.InPersonVerificationIn)
    app = in_person.record(deps, officer, application_id, body.outcome == "VERIFIED", body.channel, body.branch,
                           body.comment)
    assert app.in_person is not None
    return ok(m.InPersonVerificationOut(application_id=application_id, **app.in_person))
