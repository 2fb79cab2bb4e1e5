"""The credit step: gather bureau and tax data (stored as reports in S3), score with the risk model, apply the
policy rules, decide, size the line and price it. Scoring runs when the bureau report lands (event-triggered)
and again, idempotently, from the workflow."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, Protocol

from ...domain import events as ev
from ...domain.aml import AmlCaseKind
from ...domain.application import Decision, DecisionOutcome, LoanApplication, RiskSummary
from ...domain.bank_data import (
    THIN_FILE_APPROVED_ON_BANK_DATA,
    THIN_FILE_REFERRED_ON_BANK_DATA,
    THIN_FILE_WEAK_RELATIONSHIP,
    BankDataPolicy,
    bank_knock_outs,
    capped_terms,
    thin_file_scorecard,
)
from ...domain.credit import CreditFacts, CreditPolicy, CreditTerms, knock_outs, terms_for, within_exposure
from ...domain.credit_line import CreditLineStatus, CreditLineSummary
from ...domain.customer_record import BankRelationship
from ...domain.errors import ConcurrentModificationError, InvalidTransitionError
from ...domain.known_risks import KnownRisks
from ...domain.money import Money
from ...domain.pre_approval import BELOW_PRE_APPROVAL, below_pre_approval
from ...domain.products import PRODUCTS, Product
from ...observability import logger
from ...ports import (
    Clock,
    CreditBureau,
    CustomerRecords,
    FieldCipher,
    LendingRepository,
    ReportStore,
    TaxAuthority,
    WarningStore,
)
from ...settings import Settings
from .. import monitoring
from ..compliance import aml
from .documents import birth_date_of


class CreditPorts(Protocol):
    """The ports the credit use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    bureau: CreditBureau
    cipher: FieldCipher
    customer_records: CustomerRecords
    clock: Clock
    repo: LendingRepository
    reports: ReportStore
    settings: Settings
    tax: TaxAuthority
    warnings: WarningStore


SYSTEM = "system:credit"


def gather(deps: CreditPorts, app: LoanApplication) -> dict[str, Any]:
    """Fetches both sources (CreditDataUnavailableError is retried by the workflow) and stores the reports."""
    if app.identity is None or not app.identity.id_number_hash:
        raise InvalidTransitionError("identity must be verified before credit data is gathered")
    front = next(d for d in deps.repo.documents_of(app.application_id) if d.doc_type == "ID_CARD_FRONT")
    bureau = deps.bureau.report(deps.cipher.decrypt(front.fields["id_number_sealed"], app.application_id))
    tax = deps.tax.monthly_figures(app.business.registration_no, app.business.annual_revenue)
    deps.reports.put_report(app.application_id, "tax", {"months": tax})
    deps.reports.put_report(app.application_id, "bureau", bureau if bureau is not None else {"no_record": True})
    # written last: its arrival means both reports are complete, whatever order their own events come in
    deps.reports.put_report(app.application_id, "manifest", {"reports": ["bureau", "tax"]})
    return {"bureau_record": bureau.get("record") if bureau else None, "tax_months": len(tax)}


def assess(deps: CreditPorts, application_id: str) -> RiskSummary | None:
    """Scores from the stored reports; None while the reports have not both landed. Idempotent."""
    app = deps.repo.get_application(application_id)
    if app.risk is not None:
        return app.risk
    bureau = deps.reports.get_report(application_id, "bureau")
    tax = deps.reports.get_report(application_id, "tax")
    if bureau is None or tax is None:
        return None
    from ...scoring.model import RiskModel  # loaded by the steps that score, not by the API function

    revenue = sum(int(m["invoiced_sales_fen"]) for m in tax["months"])
    if bureau.get("no_record"):
        risk = RiskSummary("", 0, "", ("NO_CREDIT_HISTORY",), RiskModel.load().version, None, revenue, 0)
    else:
        assessment = RiskModel.load().assess(bureau)
        debt = max(0, round(float(bureau["BILL_AMT1"]) * 100))  # bureau balances are in yuan
        risk = RiskSummary(f"{assessment.pd:.6f}", assessment.score, assessment.grade, assessment.reasons,
                           assessment.model_version, str(bureau.get("record")), revenue, debt,
                           tuple(f"{c:.4f}" for c in assessment.contributions))
    app.risk = risk
    app.record(ev.APPLICATION_SCORED, SYSTEM, {"grade": risk.grade, "score": risk.score, "model": risk.model_version,
                                               "reasons": list(risk.reasons)})
    try:
        deps.repo.save_application(app)
    except ConcurrentModificationError:  # the report's event and the workflow's step scored at once: one won
        scored = deps.repo.get_application(application_id).risk
        if scored is None:
            raise
        return scored
    if risk.grade:  # model monitoring: this month's new applications, per grade band (after the save: once)
        deps.warnings.count_grade(deps.clock.today().isoformat()[:7], "NEW_APPLICATIONS", risk.grade)
    logger.info("application scored", extra={"application_id": application_id, "grade": risk.grade})
    return risk


def policy_of(settings: Settings, product: Product) -> CreditPolicy:
    """The product's eligibility, never wider than the bank's settings allow."""
    low, high = product.eligibility.age_bounds(settings.min_age, settings.max_age)
    return CreditPolicy(min_age=low, max_age=high, min_business_years=product.eligibility.min_business_years,
                        legal_rate_cap=settings.legal_rate_cap)


def business_years(deps: CreditPorts, app: LoanApplication, today: date) -> int:
    """The licence's establishment date when a licence was read; the declared years otherwise."""
    licence = next((d for d in deps.repo.documents_of(app.application_id)
                    if d.doc_type == "BUSINESS_LICENCE" and d.status == "READ" and d.fields.get("established")), None)
    if licence is None:
        return app.business.years_in_business
    established = date.fromisoformat(str(licence.fields["established"]))
    return today.year - established.year - ((today.month, today.day) < (established.month, established.day))


def decide(deps: CreditPorts, app: LoanApplication, risk: RiskSummary) -> Decision:
    """The decision, then what the bank already knows of the applicant: anything known (short of the RED court
    record that declines by rule) sends an approval to a risk officer, with the evidence for the review. A line
    below her pre-approval (and below what she asked for) says so."""
    decision, known = _decide(deps, app, risk)
    decision = _within_exposure(deps, app, decision)
    pre = deps.repo.pre_approval_of(app.bank_customer.customer_number) if app.bank_customer else None
    if decision.credit_limit is not None and below_pre_approval(decision.credit_limit, app.requested_amount, pre):
        decision = replace(decision, reason_codes=(*decision.reason_codes, BELOW_PRE_APPROVAL))
    diligence = app.due_diligence.reason_codes if app.due_diligence else ()
    if diligence and decision.outcome is not DecisionOutcome.DECLINE:  # a compliance officer looks first
        decision = replace(decision, outcome=DecisionOutcome.REFER, reason_codes=(*diligence, *decision.reason_codes))
    if not known.refers:
        return decision
    if known.sanctioned:
        aml.open_case(deps.repo, deps.clock.now(), app.customer_id, AmlCaseKind.SANCTIONS_HIT, app.application_id,
                      f"application:{app.application_id}",
                      {"at": "APPLICATION", "application_id": app.application_id})
    if decision.outcome is DecisionOutcome.APPROVE:
        decision = replace(decision, outcome=DecisionOutcome.REFER)
    if decision.outcome is DecisionOutcome.REFER:
        decision = replace(decision, reason_codes=(*known.reason_codes(), *decision.reason_codes))
    return replace(decision, known_risks=known.evidence())


def _within_exposure(deps: CreditPorts, app: LoanApplication, decision: Decision) -> Decision:
    """The bank's cap on one borrower's lines together: the limit of her other live lines counts against it."""
    if decision.credit_limit is None or decision.outcome is DecisionOutcome.DECLINE:
        return decision
    lines: list[CreditLineSummary] = []
    cursor: str | None = None
    while True:
        page, cursor = deps.repo.credit_lines_of(app.customer_id, 50, cursor)
        lines += page
        if cursor is None:
            break
    now = deps.clock.now()
    live = (CreditLineStatus.ACTIVE, CreditLineStatus.FROZEN)
    other = sum(x.limit.fen for x in lines if x.status_at(now) in live)
    cap = Money(deps.settings.max_exposure_per_borrower_fen)
    limit, why = within_exposure(decision.credit_limit, Money(other), cap, PRODUCTS[app.product_code])
    if why is None:
        return decision
    if limit is None:
        return Decision(DecisionOutcome.DECLINE, (why,))
    return replace(decision, credit_limit=limit, reason_codes=(*decision.reason_codes, why))


def relationship_of(deps: CreditPorts, app: LoanApplication, today: date) -> BankRelationship | None:
    """What the bank's own record says of a customer it knows (read at the decision: today's figures)."""
    if app.bank_customer is None:
        return None
    record = deps.customer_records.record(app.bank_customer.customer_number)
    return record.relationship(today) if record is not None else None


def _decide(deps: CreditPorts, app: LoanApplication, risk: RiskSummary) -> tuple[Decision, KnownRisks]:
    today = deps.clock.today()
    relationship = relationship_of(deps, app, today)
    bank_policy = BankDataPolicy(inflow_multiple=deps.settings.bank_inflow_limit_multiple)

    def within_flows(terms: CreditTerms | None) -> tuple[CreditTerms | None, tuple[str, ...]]:
        if terms is None or relationship is None:
            return terms, ()
        return capped_terms(terms, relationship, bank_policy, product)

    product = PRODUCTS[app.product_code]
    policy = policy_of(deps.settings, product)
    identity = app.identity
    facts = CreditFacts(
        birth_date=birth_date_of(deps.repo, deps.cipher, app.application_id),
        identity_verdict=identity.verdict if identity else None,
        business_years=business_years(deps, app, today),
        bureau_current_status=None,
        existing_debt=Money(risk.existing_debt_fen), annual_revenue=Money(risk.verified_revenue_fen),
        requested=app.requested_amount,
        blacklisted=bool(identity and identity.id_number_hash and deps.repo.is_blacklisted(identity.id_number_hash)),
        known_risks=monitoring.known_risks_of(deps, app.customer_id, identity.id_number_hash if identity else "",
                                              app.business.registration_no))
    bureau = deps.reports.get_report(app.application_id, "bureau") or {}
    if "PAY_0" in bureau:
        facts = CreditFacts(**{**facts.__dict__, "bureau_current_status": int(float(bureau["PAY_0"]))})
    failed = knock_outs(facts, policy, today) + (bank_knock_outs(relationship) if relationship else [])
    if failed:
        return Decision(DecisionOutcome.DECLINE, tuple(failed)), facts.known_risks
    if not risk.grade and relationship is not None:  # thin file, but the bank knows her: its own data speaks
        card = thin_file_scorecard(relationship)
        if card.outcome(bank_policy) == "APPROVE":
            terms, capped = within_flows(terms_for(bank_policy.thin_file_grade, facts, product, policy))
            if terms is not None:
                return Decision(DecisionOutcome.APPROVE, (THIN_FILE_APPROVED_ON_BANK_DATA, *card.reasons, *capped),
                                terms.credit_limit, terms.annual_rate), facts.known_risks
        terms, capped = within_flows(terms_for("D", facts, product, policy))
        why = (THIN_FILE_REFERRED_ON_BANK_DATA if card.points >= bank_policy.refer_points
               else THIN_FILE_WEAK_RELATIONSHIP)
        return Decision(DecisionOutcome.REFER, (why, *card.reasons, *risk.reasons, *capped),
                        terms.credit_limit if terms else None, terms.annual_rate if terms else None), facts.known_risks
    if not risk.grade:  # thin file: no bureau history to score
        terms = terms_for("D", facts, product, policy)
        return Decision(DecisionOutcome.REFER, risk.reasons, terms.credit_limit if terms else None,
                        terms.annual_rate if terms else None), facts.known_risks
    if risk.grade not in policy.approve_grades | policy.refer_grades:
        return Decision(DecisionOutcome.DECLINE, ("HIGH_RISK_GRADE", *risk.reasons)), facts.known_risks
    terms, capped = within_flows(terms_for(risk.grade, facts, product, policy))
    if terms is None:
        return Decision(DecisionOutcome.DECLINE, ("INSUFFICIENT_REPAYMENT_CAPACITY", *capped)), facts.known_risks
    if risk.grade in policy.refer_grades:
        return Decision(DecisionOutcome.REFER, ("BORDERLINE_RISK_GRADE", *risk.reasons, *capped), terms.credit_limit,
                        terms.annual_rate), facts.known_risks
    return Decision(DecisionOutcome.APPROVE, capped, terms.credit_limit, terms.annual_rate), facts.known_risks
