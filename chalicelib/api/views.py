"""Domain objects -> response models. What a customer sees of their own personal data is masked here too: the
app already knows it, and screenshots, proxies and support tools should not."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ..domain.application import ApplicationStatus, ApplicationSummary, LoanApplication
from ..domain.contract import Agreement, chinese_capital_amount, worked_example
from ..domain.credit_line import NEXT_ACTION as LINE_NEXT_ACTION
from ..domain.credit_line import CreditLine, CreditLineSummary
from ..domain.credit_line import line_history as credit_line_history
from ..domain.drawdown import Drawdown, DrawdownSummary
from ..domain.drawdown_outcomes import customer_outcome
from ..domain.early_warning import RULES, EarlyWarning
from ..domain.known_risks import COMPLIANCE_REASONS, told_to_customer
from ..domain.loan import Instalment, Loan, loan_next_action, reschedule
from ..domain.loan import price_of as loan_price
from ..domain.masks import mask_business_name, mask_name
from ..domain.pricing import PriceDisclosure
from ..domain.products import PRODUCTS, Product
from ..domain.repayment import RepaymentQuote
from ..domain.signature import VerificationReport
from ..observability import mask_phone
from ..ports import DocumentRecord, OutboxMessage
from ..scoring.reasons import text
from ..settings import Settings
from . import models as m
from .labels import EVENT_ZH, VERDICT_ZH

_DECISION_VISIBLE = {ApplicationStatus.OFFERED, ApplicationStatus.ACCEPTED, ApplicationStatus.SIGNED,
                     ApplicationStatus.ACTIVE, ApplicationStatus.DECLINED, ApplicationStatus.EXPIRED}


def identity(app: LoanApplication) -> m.IdentityOut | None:
    i = app.identity
    if i is None:
        return None
    return m.IdentityOut(verdict=i.verdict, verdict_zh=VERDICT_ZH.get(i.verdict, i.verdict),  # type: ignore[arg-type]
                         reason_codes=list(i.reason_codes), reasons_zh=[text(c)[0] for c in i.reason_codes],
                         name_masked=i.name_masked, id_number_masked=i.id_number_masked, sex=i.sex,
                         birth_date=i.birth_date, valid_until=i.valid_until)


def application(app: LoanApplication, documents: list[DocumentRecord], today: date) -> m.ApplicationOut:
    decision = None
    if app.decision is not None and app.status in _DECISION_VISIBLE:
        shown = told_to_customer(app.decision.reason_codes)
        decision = m.DecisionOut(outcome=app.decision.outcome.value, reason_codes=list(shown), reasons=reasons(shown))
    return m.ApplicationOut(
        application_id=app.application_id, status=app.status.value, next_action=app.next_action,
        product_code=app.product_code, requested_amount_fen=app.requested_amount.fen, purpose=app.purpose,
        applicant_name_masked=mask_name(app.applicant_name), applicant_phone_masked=mask_phone(app.applicant_phone),
        business_name_masked=mask_business_name(app.business.name, app.applicant_name),
        documents_received=sorted(d.doc_type for d in documents),  # type: ignore[misc]
        documents=[m.DocumentOut(type=d.doc_type, key=d.s3_key, status=d.status,  # type: ignore[arg-type]
                                 reason_codes=list(d.reason_codes),
                                 reasons=reasons(d.reason_codes))
                   for d in sorted(documents, key=lambda d: d.doc_type)],
        consents=[m.ConsentOut(kind=c.kind, version=c.version, granted_at=c.granted_at,  # type: ignore[arg-type]
                               withdrawn_at=c.withdrawn_at) for c in app.consents],
        liveness_passed=app.liveness_passed_at is not None, phone_verified=app.phone_verified_at is not None,
        identity_verification=app.identity_route,  # type: ignore[arg-type]
        identity=identity(app), decision=decision,
        offer=offer(app, today) if app.offer else None,
        credit_line_id=app.credit_line_id, failure_reason=app.failure_reason, created_at=app.created_at,
        updated_at=app.updated_at)


def application_summary(a: ApplicationSummary) -> m.ApplicationSummaryOut:
    return m.ApplicationSummaryOut(
        application_id=a.application_id, status=a.status.value, next_action=a.next_action,
        product_code=a.product_code, requested_amount_fen=a.requested_amount.fen,
        business_name_masked=a.business_name_masked, credit_line_id=a.credit_line_id, created_at=a.created_at,
        updated_at=a.updated_at)


def price_out(p: PriceDisclosure) -> m.PriceOut:
    return m.PriceOut(annual_rate=f"{p.annual_rate:.4f}", apr=f"{p.apr:.4f}", interest_fen=p.interest.fen,
                      fees_fen=p.fees.fen, total_cost_fen=p.total_cost.fen,
                      simple_annual_rate=f"{p.simple_annual_rate:.4f}")


def product(p: Product, settings: Settings) -> m.ProductOut:
    """The product as the app shows it before anyone applies: the words are the catalogue's, the ages the
    product's within the bank's settings."""
    low, high = p.eligibility.age_bounds(settings.min_age, settings.max_age)
    rates = [min(price.annual_rate, settings.legal_rate_cap) for _, price in p.pricing_by_grade]
    return m.ProductOut(
        product_code=p.code, name_zh=p.name_zh, summary=p.summary_zh,
        eligibility=[f"年满{low}周岁、不超过{high}周岁的中国大陆居民，持有效居民身份证", *p.eligibility_zh,
                     "本人名下的银行结算账户，用于收款和还款", "无当前逾期"],
        industries=list(p.eligibility.industries), min_line_fen=p.min_line.fen, max_line_fen=p.max_line.fen,
        min_drawdown_fen=p.min_drawdown.fen, max_drawdown_fen=p.max_drawdown.fen,
        min_annual_rate=f"{min(rates):.4f}", max_annual_rate=f"{max(rates):.4f}", terms_months=list(p.term_months),
        repayment_methods=[r.value for r in p.repayment_methods], grace_months=p.grace_months,
        harvest_months=list(p.harvest_months), line_validity_months=p.line_validity_months,
        fees="无任何手续费" if not p.fees else "；".join(f"{f.name_zh} {f.rate * 100:.2f}%" for f in p.fees))


def price_of(ln: Loan, product_code: str) -> PriceDisclosure:
    return loan_price(ln, PRODUCTS[product_code].fees)


def offer(app: LoanApplication, today: date) -> m.OfferOut:
    """``today``: the business date (the worked example starts on it)."""
    assert app.offer is not None
    o = app.offer
    ex = worked_example(o.credit_limit, o.annual_rate, o.term_months, o.repayment_methods, today)
    price = ex.price(o.annual_rate, PRODUCTS[app.product_code].fees)
    return m.OfferOut(credit_limit_fen=o.credit_limit.fen, credit_limit_in_words=chinese_capital_amount(o.credit_limit),
                      annual_rate=f"{o.annual_rate:.4f}", apr=f"{price.apr:.4f}", term_months=list(o.term_months),
                      repayment_methods=[r.value for r in o.repayment_methods], valid_until=o.valid_until,
                      fees_fen=price.fees.fen, price=price_out(price),
                      worked_example=m.WorkedExampleOut(
                          amount_fen=ex.amount.fen, term_months=ex.term_months, repayment_method=ex.method.value,
                          first_instalment_fen=ex.first_instalment.fen, total_interest_fen=ex.total_interest.fen,
                          total_repaid_fen=ex.total_repaid.fen, apr=f"{price.apr:.4f}"))


def contract(app: LoanApplication, url: str, expires_in: int) -> m.ContractOut:
    c = app.contract
    assert c is not None
    return m.ContractOut(
        application_id=app.application_id, contract_no=c.contract_no, status="SIGNED" if c.signed_at else "UNSIGNED",
        template_version=c.template_version, sha256=c.sha256, signed_sha256=c.signed_sha256,
        pades_level=c.pades_level,
        signatures=[m.SignatureOut(field=r.field, signer=r.signer, certificate_serial=r.certificate_serial,
                                   signed_at=r.signed_at, timestamp_at=r.timestamp_at) for r in c.signatures],
        download_url=url, download_expires_in=expires_in, signed_at=c.signed_at,
        words_available=c.agreement_sha256 is not None)


def agreement(app: LoanApplication, a: Agreement) -> m.AgreementOut:
    assert app.contract is not None
    return m.AgreementOut(
        application_id=app.application_id, contract_no=a.contract_no, template_version=a.template_version,
        status="SIGNED" if app.contract.signed_at else "UNSIGNED", title=a.title,
        key_terms=[m.AgreementTermOut(label=k, value=v) for k, v in a.key_terms],
        clauses=[m.AgreementClauseOut(heading=h, text=t) for h, t in a.clauses],
        signature_block=list(a.signature_block))


def contract_verification(app: LoanApplication, report: VerificationReport,
                          matches: bool) -> m.ContractVerificationOut:
    return m.ContractVerificationOut(
        application_id=app.application_id, valid=report.valid and matches, intact=report.intact,
        pades_level=report.pades_level, modified_after_last_signature=report.modified_after_last_signature,
        matches_recorded_sha256=matches, summary=report.summary if matches else "the stored file changed",
        signatures=[m.SignatureCheckOut(field=c.field, signer=c.signer, certificate_serial=c.certificate_serial,
                                        timestamp_at=c.timestamp_at, intact=c.intact, valid=c.valid,
                                        coverage=c.coverage, problem=c.problem) for c in report.signatures])


def credit_line(line: CreditLine | CreditLineSummary, now: datetime, notice: str | None = None) -> m.CreditLineOut:
    return m.CreditLineOut(
        credit_line_id=line.credit_line_id, status=line.status_at(now).value,
        next_action=LINE_NEXT_ACTION[line.status_at(now)], limit_fen=line.limit.fen,
        available_fen=line.available.fen, annual_rate=f"{line.annual_rate:.4f}", term_months=list(line.term_months),
        repayment_methods=[r.value for r in line.repayment_methods],
        payout_account_masked=line.payout_account_masked, valid_until=line.valid_until, notice=notice)


def drawdown_accepted(dd: Drawdown) -> m.DrawdownAcceptedOut:
    """Built only from what was fixed at acceptance, so every replay of the same key gets the same body."""
    return m.DrawdownAcceptedOut(
        drawdown_id=dd.drawdown_id, credit_line_id=dd.credit_line_id, amount_fen=dd.amount.fen,
        term_months=dd.term_months, repayment_method=dd.repayment_method.value,
        accepted_at=dd.created_at, status_url=f"/v1/drawdowns/{dd.drawdown_id}")


def drawdown(dd: Drawdown | DrawdownSummary) -> m.DrawdownOut:
    outcome = customer_outcome(dd)
    return m.DrawdownOut(
        drawdown_id=dd.drawdown_id, credit_line_id=dd.credit_line_id, status=dd.status.value,
        next_action=outcome.next_action, message_zh=outcome.message_zh, amount_fen=dd.amount.fen,
        term_months=dd.term_months,
        repayment_method=dd.repayment_method.value,
        account_masked=dd.account_masked, loan_id=dd.loan_id, failure_reason=dd.failure_reason,
        created_at=dd.created_at, updated_at=dd.updated_at)


def loan(ln: Loan, today: date, price: PriceDisclosure) -> m.LoanOut:
    assert ln.outstanding_principal is not None
    return m.LoanOut(
        loan_id=ln.loan_id, next_action=loan_next_action(ln.status, ln.days_past_due(today)),
        instalments_paid=ln.instalments_paid,
        days_past_due=ln.days_past_due(today), drawdown_id=ln.drawdown_id,
        credit_line_id=ln.credit_line_id, status=ln.status.value,
        principal_fen=ln.principal.fen, outstanding_principal_fen=ln.outstanding_principal.fen,
        annual_rate=f"{ln.annual_rate:.4f}", term_months=ln.term_months,
        repayment_method=ln.repayment_method.value,
        start_date=ln.start_date, total_interest_fen=ln.total_interest.fen, apr=f"{price.apr:.4f}",
        interest_convention=INTEREST_CONVENTION, schedule=instalments(ln.schedule), price=price_out(price),
        extended_months=ln.extended_months, restructured_on=ln.restructured_on, observed_until=ln.observed_until,
        written_off_on=ln.written_off_on, written_off_balance_fen=ln.written_off_balance.fen)


INTEREST_CONVENTION = ("daily rate = annual rate / 360; a whole month = annual rate / 12 (30 days); broken periods "
                       "at the daily rate for the actual days; each figure rounded half up to the fen; the last "
                       "instalment absorbs the rounding")


def instalments(schedule: tuple[Instalment, ...]) -> list[m.InstalmentOut]:
    return [m.InstalmentOut(number=i.number, due_date=i.due_date, principal_fen=i.principal.fen,
                            interest_fen=i.interest.fen, total_fen=i.total.fen) for i in schedule]


def repayment_quote(ln: Loan, q: RepaymentQuote) -> m.RepaymentQuoteOut:
    whole = q.principal == ln.outstanding_principal
    after = () if whole else reschedule(ln, q.as_of, ln.outstanding_principal - q.principal)  # type: ignore[operator]
    return m.RepaymentQuoteOut(
        loan_id=ln.loan_id, as_of=q.as_of, kind="WHOLE" if whole else "PART", principal_fen=q.principal.fen,
        interest_fen=q.interest.fen, total_fen=q.total.fen, interest_days=q.days,
        convention="outstanding principal x annual rate / 360 x days since interest was last paid, rounded half "
                   "up to the fen",
        schedule_after=instalments(after[ln.instalments_paid:]))


def line_history(line: CreditLine, events: list[dict[str, Any]]) -> m.CreditLineHistoryOut:
    return m.CreditLineHistoryOut(
        credit_line_id=line.credit_line_id, limit_fen=line.limit.fen, available_fen=line.available.fen,
        items=[m.LineMovementOut(occurred_at=datetime.fromisoformat(mv.occurred_at), event=mv.event,
                                 event_zh=EVENT_ZH.get(mv.event, mv.event),
                                 reference=mv.reference, available_change_fen=mv.available_change.fen,
                                 status_after=mv.status_after.value if mv.status_after else None)
               for mv in credit_line_history(events)])


def review_item(app: LoanApplication) -> m.ReviewItemOut:
    d, dd = app.decision, app.due_diligence
    return m.ReviewItemOut(
        application_id=app.application_id, status=app.status.value, referred_at=app.updated_at,
        requested_amount_fen=app.requested_amount.fen,
        proposed_limit_fen=d.credit_limit.fen if d and d.credit_limit else None,
        annual_rate=f"{d.annual_rate:.4f}" if d and d.annual_rate is not None else None,
        reason_codes=list(d.reason_codes) if d else [], reasons_zh=[text(c)[0] for c in d.reason_codes] if d else [],
        applicant_name_masked=mask_name(app.applicant_name),
        applicant_phone_masked=mask_phone(app.applicant_phone),
        business_name_masked=mask_business_name(app.business.name, app.applicant_name),
        years_in_business=app.business.years_in_business, annual_revenue_fen=app.business.annual_revenue.fen,
        identity=identity(app), risk=risk(app),
        first_approval_by=str(app.first_approval["officer"]) if app.first_approval else None,
        face_match_band=(app.identity.face_match_band or None) if app.identity else None,  # type: ignore[arg-type]
        selfie_match_band=(app.identity.selfie_match_band or None) if app.identity else None,  # type: ignore[arg-type]
        known_risks=[known_risk(k) for k in d.known_risks] if d else [],
        nature_of_business=dd.nature_of_business if dd else None,
        beneficial_owner=None if dd is None else "APPLICANT" if dd.beneficial_owner_is_applicant else "OTHER",
        beneficial_owner_name_masked=mask_name(dd.beneficial_owner_name) if dd and dd.beneficial_owner_name else None,
        compliance_officer_required=bool(d and COMPLIANCE_REASONS & set(d.reason_codes)))


def in_person_item(app: LoanApplication) -> m.InPersonItemOut:
    return m.InPersonItemOut(application_id=app.application_id, applicant_name_masked=mask_name(app.applicant_name),
                             applicant_phone_masked=mask_phone(app.applicant_phone),
                             id_number_masked=app.identity.id_number_masked if app.identity else None,
                             business_name_masked=mask_business_name(app.business.name, app.applicant_name),
                             submitted_at=app.submitted_at)


def known_risk(k: dict[str, Any]) -> m.WarningCauseOut:
    rule = next((r for r in RULES if r.code == k["rule"]), None)
    return m.WarningCauseOut(rule=k["rule"], level=k["level"], source=k["source"],
                             reason_zh=rule.zh if rule else k["rule"], reason_en=rule.en if rule else k["rule"],
                             first_seen=k["first_seen"], evidence=k["evidence"])


def reasons(codes: tuple[str, ...] | list[str]) -> list[m.ReasonOut]:
    return [m.ReasonOut(code=c, zh=text(c)[0], en=text(c)[1]) for c in codes]


def risk(app: LoanApplication) -> m.RiskOut | None:
    r = app.risk
    if r is None:
        return None
    return m.RiskOut(pd=r.pd, score=r.score, grade=r.grade, reasons=reasons(r.reasons), model_version=r.model_version,
                     bureau_record=r.bureau_record, verified_revenue_fen=r.verified_revenue_fen,
                     existing_debt_fen=r.existing_debt_fen, contributions=list(r.contributions))


def outbox_message(msg: OutboxMessage) -> m.OutboxMessageOut:
    return m.OutboxMessageOut(message_id=msg.message_id, channel=msg.channel,
                              destination_masked=msg.destination_masked, template=msg.template, text=msg.text,
                              sent_at=msg.sent_at)


def reasons_zh(w: EarlyWarning) -> list[str]:
    """A warning's causes as officers read them (the rule's Chinese words, its code when it has none)."""
    words = {r.code: r for r in RULES}
    return [words[c.rule].zh if c.rule in words else c.rule for c in w.causes]


def warning_out(w: EarlyWarning, line_status: str, now: datetime) -> m.WarningOut:
    words = {r.code: r for r in RULES}
    return m.WarningOut(
        warning_id=w.warning_id, credit_line_id=w.credit_line_id, level=w.level.name,  # type: ignore[arg-type]
        status=w.status.value, opened_at=w.opened_at, task_due_at=w.task_due_at,
        task_overdue=w.status.value == "OPEN" and w.task_due_at < now, reason_codes=list(w.reason_codes),
        causes=[m.WarningCauseOut(rule=c.rule, level=c.level.name, source=c.source.value,  # type: ignore[arg-type]
                                  reason_zh=words[c.rule].zh if c.rule in words else c.rule,
                                  reason_en=words[c.rule].en if c.rule in words else c.rule,
                                  first_seen=c.first_seen, evidence=c.evidence) for c in w.causes],
        history=[_history_entry(h.to_dict(), words) for h in w.history], line_status=line_status)


def _history_entry(entry: dict[str, Any], words: dict[str, Any]) -> dict[str, Any]:
    """A warning's history entry with its rule in the officers' words (rule_zh) beside the code."""
    rule = entry.get("rule")
    return {**entry, "rule_zh": words[rule].zh if rule in words else rule} if rule else entry


def customer_file(found: Any, now: datetime) -> m.CustomerFileOut:
    latest = found.applications[0] if found.applications else None
    return m.CustomerFileOut(
        customer_id=found.customer_id,
        applicant_name_masked=mask_name(latest.applicant_name) if latest else "—",
        applicant_phone_masked=mask_phone(latest.applicant_phone) if latest else "—",
        applications=[m.CustomerApplicationOut(
            application_id=a.application_id, status=a.status.value, created_at=a.created_at,
            submitted_at=a.submitted_at, requested_amount_fen=a.requested_amount.fen,
            business_name_masked=mask_business_name(a.business.name, a.applicant_name),
            credit_line_id=a.credit_line_id) for a in found.applications],
        lines=[credit_line(line, now) for line in found.lines])


def audit_entry(entry: dict[str, Any]) -> m.AuditEntryOut:
    actor = str(entry["actor"])
    return m.AuditEntryOut(occurred_at=datetime.fromisoformat(entry["occurred_at"]), event=entry["event"],
                           event_zh=EVENT_ZH.get(str(entry["event"]), str(entry["event"])),
                           actor=actor, officer=actor.split(":", 1)[1] if actor.startswith("officer:") else None,
                           subject_id=entry["aggregate_id"], data=dict(entry.get("data") or {}))


def loan_summary(ln: Loan, today: date) -> m.LoanSummaryOut:
    assert ln.outstanding_principal is not None
    due = ln.next_due() if ln.outstanding_principal.fen else None
    return m.LoanSummaryOut(
        loan_id=ln.loan_id, next_action=loan_next_action(ln.status, ln.days_past_due(today)),
        credit_line_id=ln.credit_line_id, status=ln.status.value, principal_fen=ln.principal.fen,
        outstanding_principal_fen=ln.outstanding_principal.fen, annual_rate=f"{ln.annual_rate:.4f}",
        term_months=ln.term_months, repayment_method=ln.repayment_method.value, start_date=ln.start_date,
        days_past_due=ln.days_past_due(today), next_instalment=instalments((due,))[0] if due else None)


def drawdown_quote(ln: Loan, price: PriceDisclosure) -> m.DrawdownQuoteOut:
    total_interest = ln.total_interest.fen
    return m.DrawdownQuoteOut(
        credit_line_id=ln.credit_line_id, amount_fen=ln.principal.fen,
        amount_in_words=chinese_capital_amount(ln.principal),
        term_months=ln.term_months, repayment_method=ln.repayment_method.value, annual_rate=f"{ln.annual_rate:.4f}",
        apr=f"{price.apr:.4f}", total_interest_fen=total_interest,
        total_repayment_fen=ln.principal.fen + total_interest + price.fees.fen,
        start_date=ln.start_date, interest_convention=INTEREST_CONVENTION, schedule=instalments(ln.schedule),
        price=price_out(price))
