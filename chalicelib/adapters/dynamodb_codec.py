"""Mapping between domain objects and DynamoDB items. Amounts are stored as integer fen (DynamoDB numbers),
rates as decimal strings, times as ISO-8601 UTC strings."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from ..domain.aml import AmlCase, AmlCaseKind, AmlCaseStatus
from ..domain.application import (
    ApplicationStatus,
    ApplicationSummary,
    BankCustomerLink,
    BusinessDetails,
    Consent,
    Decision,
    DecisionOutcome,
    IdentityOutcome,
    LoanApplication,
    Offer,
    RepaymentMethod,
    RiskSummary,
)
from ..domain.bureau_reporting import BureauReport, ReportStatus
from ..domain.business_date import business_date
from ..domain.complaint import Complaint, ComplaintCategory, ComplaintStatus
from ..domain.credit_dispute import CreditDispute, DisputeStatus
from ..domain.credit_line import CreditLine, CreditLineStatus, CreditLineSummary
from ..domain.customer_record import PreApproval
from ..domain.drawdown import Drawdown, DrawdownStatus, DrawdownSummary
from ..domain.due_diligence import DueDiligence
from ..domain.events import DomainEvent, is_staff_action
from ..domain.face import LivenessAttempts
from ..domain.funnel import stage_of
from ..domain.human_review import HumanReview, ReviewOutcome
from ..domain.ledger import LedgerTransaction, Leg
from ..domain.loan import Instalment, Loan, LoanReview, LoanStatus, RepaymentClaim
from ..domain.money import Money
from ..domain.one_time_code import OneTimeCode
from ..domain.portfolio import shard_of
from ..ports import DocumentRecord
from .contract_records import contract_from_dict, contract_to_dict

_ser = TypeSerializer()
_deser = TypeDeserializer()


def dump_item(item: dict[str, Any]) -> dict[str, Any]:
    """Python values to DynamoDB's typed attributes (integers of fen stay integers: Decimal on the way back)."""
    return {k: _ser.serialize(v) for k, v in item.items()}


def load_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _deser.deserialize(v) for k, v in item.items()}


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _drop_none(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v is not None}


# ---- keys ----------------------------------------------------------------------------------------------
def application_key(application_id: str) -> dict[str, str]:
    return {"PK": f"APPLICATION#{application_id}", "SK": "APPLICATION"}


def credit_line_key(credit_line_id: str) -> dict[str, str]:
    return {"PK": f"CREDITLINE#{credit_line_id}", "SK": "CREDITLINE"}


def drawdown_key(drawdown_id: str) -> dict[str, str]:
    return {"PK": f"DRAWDOWN#{drawdown_id}", "SK": "DRAWDOWN"}


def loan_key(loan_id: str) -> dict[str, str]:
    return {"PK": f"LOAN#{loan_id}", "SK": "LOAN"}


def code_key(application_id: str, purpose: str) -> dict[str, str]:
    return {"PK": f"APPLICATION#{application_id}", "SK": f"OTP#{purpose}"}


def code_to_item(code: OneTimeCode) -> dict[str, Any]:
    return {**code_key(code.application_id, code.purpose), "entity": "ONE_TIME_CODE",
            "application_id": code.application_id, "purpose": code.purpose, "code_hash": code.code_hash,
            "sent_at": code.sent_at.isoformat(), "expires_at": code.expires_at.isoformat(),
            "sent_day": code.sent_day.isoformat(), "sent_that_day": code.sent_that_day, "attempts": code.attempts}


def code_from_item(item: dict[str, Any]) -> OneTimeCode:
    return OneTimeCode(application_id=item["application_id"], purpose=item["purpose"], code_hash=item["code_hash"],
                       sent_at=datetime.fromisoformat(item["sent_at"]),
                       expires_at=datetime.fromisoformat(item["expires_at"]),
                       sent_day=date.fromisoformat(item["sent_day"]), sent_that_day=int(item["sent_that_day"]),
                       attempts=int(item["attempts"]))


def repayment_key(scope: str, key: str) -> dict[str, str]:
    """A repayment's permanent idempotency record, under its scope (a customer's keys, or the system's)."""
    return {"PK": f"REPAYMENT#{scope}#{key}", "SK": "REPAYMENT"}


def idempotency_key(customer_id: str, key: str) -> dict[str, str]:
    return {"PK": f"IDEMPOTENCY#{customer_id}#{key}", "SK": "IDEMPOTENCY"}


# ---- applications --------------------------------------------------------------------------------------
def application_to_item(app: LoanApplication) -> dict[str, Any]:
    d = app.decision
    o = app.offer
    c = app.contract
    return _drop_none({
        **application_key(app.application_id),
        "GSI1PK": f"CUSTOMER#{app.customer_id}",
        "GSI1SK": f"APPLICATION#{app.created_at.isoformat()}#{app.application_id}",
        "GSI2PK": f"APPLICATION_STATUS#{app.status.value}",
        "GSI2SK": f"{app.updated_at.isoformat()}#{app.application_id}",
        "entity": "APPLICATION",
        "application_id": app.application_id,
        "customer_id": app.customer_id,
        "product_code": app.product_code,
        "requested_amount_fen": app.requested_amount.fen,
        "purpose": app.purpose,
        "applicant_name": app.applicant_name,
        "applicant_phone": app.applicant_phone,
        "business": {
            "name": app.business.name,
            "registration_no": app.business.registration_no,
            "years_in_business": app.business.years_in_business,
            "annual_revenue_fen": app.business.annual_revenue.fen,
        },
        "payout_account_no": app.payout_account_no,
        "consents": [_drop_none({"kind": x.kind, "version": x.version, "granted_at": _iso(x.granted_at),
                                 "withdrawn_at": _iso(x.withdrawn_at)}) for x in app.consents],
        "status": app.status.value,
        "version": app.version,
        "created_at": _iso(app.created_at),
        "updated_at": _iso(app.updated_at),
        "decision": None if d is None else _drop_none({
            "outcome": d.outcome.value, "reason_codes": list(d.reason_codes), "decided_by": d.decided_by,
            "credit_limit_fen": d.credit_limit.fen if d.credit_limit else None,
            "annual_rate": str(d.annual_rate) if d.annual_rate is not None else None,
            # JSON text: a record's facts hold ratios that DynamoDB's numbers would not keep as written
            "known_risks": json.dumps(list(d.known_risks), ensure_ascii=False) if d.known_risks else None}),
        "offer": None if o is None else {
            "credit_limit_fen": o.credit_limit.fen, "annual_rate": str(o.annual_rate),
            "term_months": list(o.term_months), "repayment_methods": [m.value for m in o.repayment_methods],
            "valid_until": _iso(o.valid_until)},
        "contract": None if c is None else contract_to_dict(c),
        "credit_line_id": app.credit_line_id,
        "bank_customer": None if app.bank_customer is None else _drop_none(asdict(app.bank_customer)),
        "due_diligence": None if app.due_diligence is None else asdict(app.due_diligence),
        "identity_route": app.identity_route, "in_person": app.in_person,
        "identity": None if app.identity is None else {**asdict(app.identity),
                                                       "reason_codes": list(app.identity.reason_codes)},
        "risk": None if app.risk is None else {**asdict(app.risk), "reasons": list(app.risk.reasons),
                                               "contributions": list(app.risk.contributions)},
        "first_approval": app.first_approval,
        "failure_reason": app.failure_reason,
        "task_token": app.task_token,
        "phone_verified_at": _iso(app.phone_verified_at),
        "submitted_at": _iso(app.submitted_at),
        "device_id_hash": app.device_id_hash,
        "liveness_session_id": app.liveness_session_id,
        "liveness_passed_at": _iso(app.liveness_passed_at),
        "liveness_reference": list(app.liveness_reference) if app.liveness_reference else None,
        "liveness": {"failures": [t.isoformat() for t in app.liveness.failures],
                     "locked_until": _iso(app.liveness.locked_until), "lockouts": app.liveness.lockouts,
                     "session_starts": [t.isoformat() for t in app.liveness.session_starts]},
    })


def application_summary_from_item(item: dict[str, Any]) -> ApplicationSummary:
    """The list's line from the clear attributes alone (the envelope is not opened)."""
    return ApplicationSummary(item["application_id"], ApplicationStatus(item["status"]), item["product_code"],
                              Money(int(item["requested_amount_fen"])), item["business_name_masked"],
                              item.get("credit_line_id"), datetime.fromisoformat(item["created_at"]),
                              datetime.fromisoformat(item["updated_at"]))


def application_from_item(item: dict[str, Any]) -> LoanApplication:
    b = item["business"]
    d = item.get("decision")
    o = item.get("offer")
    c = item.get("contract")
    return LoanApplication(
        application_id=item["application_id"],
        customer_id=item["customer_id"],
        product_code=item["product_code"],
        requested_amount=Money(int(item["requested_amount_fen"])),
        purpose=item["purpose"],
        applicant_name=item["applicant_name"],
        applicant_phone=item["applicant_phone"],
        business=BusinessDetails(b["name"], b["registration_no"], int(b["years_in_business"]),
                                 Money(int(b["annual_revenue_fen"]))),
        payout_account_no=item["payout_account_no"],
        consents=tuple(Consent(x["kind"], x["version"], datetime.fromisoformat(x["granted_at"]),
                               _dt(x.get("withdrawn_at"))) for x in item["consents"]),
        status=ApplicationStatus(item["status"]),
        version=int(item["version"]),
        created_at=datetime.fromisoformat(item["created_at"]),
        updated_at=datetime.fromisoformat(item["updated_at"]),
        decision=None if d is None else Decision(
            DecisionOutcome(d["outcome"]), tuple(d["reason_codes"]),
            Money(int(d["credit_limit_fen"])) if "credit_limit_fen" in d else None,
            Decimal(d["annual_rate"]) if "annual_rate" in d else None, d.get("decided_by", "system"),
            tuple(json.loads(d["known_risks"])) if d.get("known_risks") else ()),
        offer=None if o is None else Offer(
            Money(int(o["credit_limit_fen"])), Decimal(o["annual_rate"]), tuple(int(t) for t in o["term_months"]),
            tuple(RepaymentMethod(m) for m in o["repayment_methods"]), datetime.fromisoformat(o["valid_until"])),
        contract=None if c is None else contract_from_dict(c),
        credit_line_id=item.get("credit_line_id"),
        identity=None if item.get("identity") is None else IdentityOutcome(
            **{**item["identity"], "reason_codes": tuple(item["identity"]["reason_codes"])}),
        risk=None if item.get("risk") is None else RiskSummary(**{
            **item["risk"], "score": int(item["risk"]["score"]), "reasons": tuple(item["risk"]["reasons"]),
            "contributions": tuple(item["risk"].get("contributions", ())),
            "verified_revenue_fen": int(item["risk"]["verified_revenue_fen"]),
            "existing_debt_fen": int(item["risk"]["existing_debt_fen"])}),
        first_approval=_native(item["first_approval"]) if item.get("first_approval") else None,
        failure_reason=item.get("failure_reason"),
        task_token=item.get("task_token"),
        phone_verified_at=_dt(item.get("phone_verified_at")),
        submitted_at=_dt(item.get("submitted_at")),
        device_id_hash=item.get("device_id_hash", ""),
        bank_customer=BankCustomerLink(**item["bank_customer"]) if item.get("bank_customer") else None,
        due_diligence=DueDiligence(**item["due_diligence"]) if item.get("due_diligence") else None,
        identity_route=item.get("identity_route", "FACE"), in_person=item.get("in_person"),
        liveness_session_id=item.get("liveness_session_id"),
        liveness_passed_at=_dt(item.get("liveness_passed_at")),
        liveness_reference=(item["liveness_reference"][0], item["liveness_reference"][1])
        if item.get("liveness_reference") else None,
        liveness=_liveness(item.get("liveness") or {}),
    )


# ---- documents -----------------------------------------------------------------------------------------
def document_to_item(doc: DocumentRecord) -> dict[str, Any]:
    return {"PK": application_key(doc.application_id)["PK"], "SK": f"DOCUMENT#{doc.doc_type}",
            "entity": "DOCUMENT", "application_id": doc.application_id, "doc_type": doc.doc_type,
            "s3_key": doc.s3_key, "s3_version": doc.s3_version, "size": doc.size, "etag": doc.etag,
            "received_at": doc.received_at.isoformat(),
            "status": doc.status, "reason_codes": list(doc.reason_codes), "fields": _plain(doc.fields)}


def document_from_item(item: dict[str, Any]) -> DocumentRecord:
    return DocumentRecord(item["application_id"], item["doc_type"], item["s3_key"], int(item["size"]),
                          item["etag"], datetime.fromisoformat(item["received_at"]), item.get("status", "RECEIVED"),
                          tuple(item.get("reason_codes", [])), _native(item.get("fields", {})),
                          item.get("s3_version", ""))


def _native(value: Any) -> Any:
    """DynamoDB numbers come back as Decimal; the fields we store are ints, strings, bools and maps."""
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_native(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    return value


# ---- ledger --------------------------------------------------------------------------------------------
def ledger_to_item(credit_line_id: str, txn: LedgerTransaction) -> dict[str, Any]:
    return _drop_none({
        "PK": f"LEDGER#{credit_line_id}", "SK": f"TXN#{txn.booked_at.isoformat()}#{txn.transaction_id}",
        "GSI2PK": f"LEDGER_DAY#{business_date(txn.booked_at).isoformat()}", "GSI2SK": txn.transaction_id,
        "entity": "LEDGER_TRANSACTION", "transaction_id": txn.transaction_id, "kind": txn.kind,
        "reference": txn.reference, "booked_at": txn.booked_at.isoformat(), "reverses": txn.reverses,
        "legs": [{"account": leg.account, "debit_fen": leg.debit.fen, "credit_fen": leg.credit.fen}
                 for leg in txn.legs]})


def ledger_from_item(item: dict[str, Any]) -> LedgerTransaction:
    return LedgerTransaction(item["kind"], item["reference"],
                             tuple(Leg(leg["account"], Money(int(leg["debit_fen"])), Money(int(leg["credit_fen"])))
                                   for leg in item["legs"]),
                             transaction_id=item["transaction_id"], booked_at=datetime.fromisoformat(item["booked_at"]),
                             reverses=item.get("reverses"))


# ---- audit events --------------------------------------------------------------------------------------
def event_to_item(pk: str, event: DomainEvent) -> dict[str, Any]:
    return {
        "PK": pk,
        "SK": f"EVENT#{event.occurred_at.isoformat()}#{event.event_id}",
        "entity": "AUDIT_EVENT",
        "event_id": event.event_id,
        "event": event.name,
        "aggregate_id": event.aggregate_id,
        "actor": event.actor,
        "occurred_at": event.occurred_at.isoformat(),
        "data": _plain(event.data),
        # an officer's act is also found by its business day (the back office's audit search); the rest is not
        **({"GSI2PK": f"STAFF_ACTIONS#{business_date(event.occurred_at).isoformat()}",
            "GSI2SK": f"{event.occurred_at.isoformat()}#{event.event_id}"} if is_staff_action(event) else {}),
        # a stage of the origination funnel (applied, offered, signed, first payout), found by its business day
        **({"GSI1PK": f"MILESTONES#{business_date(event.occurred_at).isoformat()}",
            "GSI1SK": f"{event.occurred_at.isoformat()}#{event.event_id}"} if stage_of(event) else {}),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        raise TypeError("floats are not stored")
    return value


# ---- credit lines --------------------------------------------------------------------------------------
def credit_line_to_item(line: CreditLine) -> dict[str, Any]:
    return {
        **credit_line_key(line.credit_line_id),
        "GSI1PK": f"CUSTOMER#{line.customer_id}",
        "GSI1SK": f"CREDITLINE#{line.created_at.isoformat()}#{line.credit_line_id}",
        "GSI2PK": f"SWEEP_SHARD#{shard_of(line.credit_line_id):02d}",  # the daily sweep reads a shard's lines
        "GSI2SK": line.credit_line_id,
        "entity": "CREDIT_LINE",
        "credit_line_id": line.credit_line_id,
        "customer_id": line.customer_id,
        "application_id": line.application_id,
        "limit_fen": line.limit.fen,
        "available_fen": line.available.fen,
        "annual_rate": str(line.annual_rate),
        "term_months": list(line.term_months),
        "repayment_methods": [m.value for m in line.repayment_methods],
        "payout_account_no": line.payout_account_no,
        "valid_until": line.valid_until.isoformat(),
        "product_code": line.product_code,
        "status": line.status.value,
        "version": line.version,
        "created_at": line.created_at.isoformat(),
    }


def credit_line_from_item(item: dict[str, Any]) -> CreditLine:
    return CreditLine(
        credit_line_id=item["credit_line_id"],
        customer_id=item["customer_id"],
        application_id=item["application_id"],
        limit=Money(int(item["limit_fen"])),
        available=Money(int(item["available_fen"])),
        annual_rate=Decimal(item["annual_rate"]),
        term_months=tuple(int(t) for t in item["term_months"]),
        repayment_methods=tuple(RepaymentMethod(m) for m in item["repayment_methods"]),
        payout_account_no=item["payout_account_no"],
        valid_until=datetime.fromisoformat(item["valid_until"]),
        product_code=item["product_code"],
        status=CreditLineStatus(item["status"]),
        version=int(item["version"]),
        created_at=datetime.fromisoformat(item["created_at"]),
    )


def credit_line_summary_from_item(item: dict[str, Any]) -> CreditLineSummary:
    """The list's line from the clear attributes alone (the envelope is not opened)."""
    return CreditLineSummary(
        item["credit_line_id"], item["customer_id"], Money(int(item["limit_fen"])), Money(int(item["available_fen"])),
        Decimal(item["annual_rate"]), tuple(int(t) for t in item["term_months"]),
        tuple(RepaymentMethod(m) for m in item["repayment_methods"]), item["payout_account_masked"],
        datetime.fromisoformat(item["valid_until"]), item["product_code"], CreditLineStatus(item["status"]),
        datetime.fromisoformat(item["created_at"]))


# ---- drawdowns and loans -------------------------------------------------------------------------------
def drawdown_to_item(dd: Drawdown) -> dict[str, Any]:
    return _drop_none({
        **drawdown_key(dd.drawdown_id),
        "GSI1PK": f"CUSTOMER#{dd.customer_id}",
        "GSI1SK": f"DRAWDOWN#{dd.created_at.isoformat()}#{dd.drawdown_id}",
        # sparse: only a drawdown waiting for an officer is listed (the item is rewritten whole on each change)
        **({"GSI2PK": "DRAWDOWN_STATUS#AWAITING_APPROVAL", "GSI2SK": dd.created_at.isoformat()}
           if dd.status.value == "AWAITING_APPROVAL" else {}),
        "entity": "DRAWDOWN",
        "drawdown_id": dd.drawdown_id,
        "credit_line_id": dd.credit_line_id,
        "customer_id": dd.customer_id,
        "amount_fen": dd.amount.fen,
        "term_months": dd.term_months,
        "repayment_method": dd.repayment_method.value,
        "account_no": dd.account_no,
        "request_hash": dd.request_hash,
        "status": dd.status.value,
        "loan_id": dd.loan_id,
        "core_reference": dd.core_reference,
        "failure_reason": dd.failure_reason,
        "payout_started_at": dd.payout_started_at.isoformat() if dd.payout_started_at else None,
        "version": dd.version,
        "created_at": dd.created_at.isoformat(),
        "updated_at": dd.updated_at.isoformat(),
    })


def drawdown_from_item(item: dict[str, Any]) -> Drawdown:
    return Drawdown(
        drawdown_id=item["drawdown_id"],
        credit_line_id=item["credit_line_id"],
        customer_id=item["customer_id"],
        amount=Money(int(item["amount_fen"])),
        term_months=int(item["term_months"]),
        repayment_method=RepaymentMethod(item["repayment_method"]),
        account_no=item["account_no"],
        request_hash=item["request_hash"],
        status=DrawdownStatus(item["status"]),
        loan_id=item.get("loan_id"),
        core_reference=item.get("core_reference"),
        failure_reason=item.get("failure_reason"),
        payout_started_at=_dt(item.get("payout_started_at")),
        version=int(item["version"]),
        created_at=datetime.fromisoformat(item["created_at"]),
        updated_at=datetime.fromisoformat(item["updated_at"]),
    )


def drawdown_summary_from_item(item: dict[str, Any]) -> DrawdownSummary:
    """The list's drawdown from the clear attributes alone (the envelope is not opened)."""
    return DrawdownSummary(
        item["drawdown_id"], item["credit_line_id"], item["customer_id"], Money(int(item["amount_fen"])),
        int(item["term_months"]), RepaymentMethod(item["repayment_method"]), item["account_masked"],
        DrawdownStatus(item["status"]), item.get("loan_id"), item.get("failure_reason"),
        datetime.fromisoformat(item["created_at"]), datetime.fromisoformat(item["updated_at"]))


def loan_to_item(loan: Loan) -> dict[str, Any]:
    assert loan.outstanding_principal is not None
    return {
        **loan_key(loan.loan_id),
        "GSI1PK": f"CUSTOMER#{loan.customer_id}",
        "GSI1SK": f"LOAN#{loan.created_at.isoformat()}#{loan.loan_id}",
        **review_attributes(loan.review),
        "GSI2PK": f"LOAN_STATUS#{loan.status.value}",  # the auto-debit run reads the active loans
        "GSI2SK": f"{loan.created_at.isoformat()}#{loan.loan_id}",
        "entity": "LOAN",
        "instalments_paid": loan.instalments_paid,
        "overdue_since": loan.overdue_since.isoformat() if loan.overdue_since else "",
        "loan_id": loan.loan_id,
        "drawdown_id": loan.drawdown_id,
        "credit_line_id": loan.credit_line_id,
        "customer_id": loan.customer_id,
        "principal_fen": loan.principal.fen,
        "outstanding_principal_fen": loan.outstanding_principal.fen,
        "annual_rate": str(loan.annual_rate),
        "term_months": loan.term_months,
        "repayment_method": loan.repayment_method.value,
        "start_date": loan.start_date.isoformat(),
        "status": loan.status.value,
        "created_at": loan.created_at.isoformat(),
        "schedule": schedule_to_items(loan.schedule),
        "interest_paid_to": loan.interest_paid_to.isoformat() if loan.interest_paid_to else "",
        "accrued_through": loan.accrued_through,
        "grace_months": loan.grace_months,
        "extended_months": loan.extended_months,
        "restructured_on": loan.restructured_on.isoformat() if loan.restructured_on else "",
        "observed_until": loan.observed_until.isoformat() if loan.observed_until else "",
        "written_off_on": loan.written_off_on.isoformat() if loan.written_off_on else "",
        "written_off_fen": loan.written_off_fen,
        "recovered_fen": loan.recovered_fen,
    }


def schedule_to_items(schedule: tuple[Instalment, ...]) -> list[dict[str, Any]]:
    return [{"number": i.number, "due_date": i.due_date.isoformat(), "principal_fen": i.principal.fen,
             "interest_fen": i.interest.fen} for i in schedule]


def review_attributes(review: LoanReview) -> dict[str, Any]:
    return {"loan_class": review.loan_class, "bucket": review.bucket, "worst_dpd": review.worst_dpd,
            "roll_month": review.roll_month, "roll_start_bucket": review.roll_start_bucket}


def line_loan_item(loan: Loan) -> dict[str, Any]:
    """The line's record of a loan booked on it (the sweep finds a line's loans in the line's partition)."""
    return {"PK": credit_line_key(loan.credit_line_id)["PK"], "SK": f"LOAN#{loan.loan_id}", "entity": "LINE_LOAN",
            "loan_id": loan.loan_id}


def loan_from_item(item: dict[str, Any]) -> Loan:
    return Loan(
        loan_id=item["loan_id"],
        drawdown_id=item["drawdown_id"],
        credit_line_id=item["credit_line_id"],
        customer_id=item["customer_id"],
        principal=Money(int(item["principal_fen"])),
        annual_rate=Decimal(item["annual_rate"]),
        term_months=int(item["term_months"]),
        repayment_method=RepaymentMethod(item["repayment_method"]),
        start_date=date.fromisoformat(item["start_date"]),
        schedule=tuple(Instalment(int(i["number"]), date.fromisoformat(i["due_date"]), Money(int(i["principal_fen"])),
                                  Money(int(i["interest_fen"]))) for i in item["schedule"]),
        status=LoanStatus(item["status"]),
        outstanding_principal=Money(int(item["outstanding_principal_fen"])),
        created_at=datetime.fromisoformat(item["created_at"]),
        instalments_paid=int(item.get("instalments_paid", 0)),
        overdue_since=date.fromisoformat(item["overdue_since"]) if item.get("overdue_since") else None,
        interest_paid_to=date.fromisoformat(item["interest_paid_to"]) if item.get("interest_paid_to") else None,
        accrued_through=int(item.get("accrued_through", 0)),
        grace_months=int(item.get("grace_months", 0)),
        extended_months=int(item.get("extended_months", 0)),
        restructured_on=_day(item.get("restructured_on")),
        observed_until=_day(item.get("observed_until")),
        written_off_on=_day(item.get("written_off_on")),
        written_off_fen=int(item.get("written_off_fen", 0)),
        recovered_fen=int(item.get("recovered_fen", 0)),
        claim=_claim(item),
        review=LoanReview(str(item.get("loan_class", "NORMAL")), str(item.get("bucket", "CURRENT")),
                          int(item.get("worst_dpd", 0)), str(item.get("roll_month", "")),
                          str(item.get("roll_start_bucket", "CURRENT"))),
    )


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _liveness(stored: dict[str, Any]) -> LivenessAttempts:
    return LivenessAttempts(failures=tuple(datetime.fromisoformat(t) for t in stored.get("failures", [])),
                            locked_until=_dt(stored.get("locked_until")), lockouts=int(stored.get("lockouts", 0)),
                            session_starts=tuple(datetime.fromisoformat(t) for t in stored.get("session_starts", [])))


def _claim(item: dict[str, Any]) -> RepaymentClaim | None:
    if not item.get("repayment_claim"):
        return None
    return RepaymentClaim(item["repayment_claim"], datetime.fromisoformat(item["repayment_claimed_at"]),
                          _native(item.get("repayment_claim_pending", {})))


def pre_approval_key(customer_number: str) -> dict[str, str]:
    return {"PK": f"PREAPPROVAL#{customer_number}", "SK": "PREAPPROVAL"}


def pre_approval_to_item(p: PreApproval) -> dict[str, Any]:
    return {**pre_approval_key(p.customer_number), "entity": "PRE_APPROVAL", "customer_number": p.customer_number,
            "limit_fen": p.limit.fen, "annual_rate_from": p.annual_rate_from, "valid_until": p.valid_until.isoformat(),
            "computed_at": p.computed_at.isoformat(), "reasons": list(p.reasons)}


def pre_approval_from_item(item: dict[str, Any]) -> PreApproval:
    return PreApproval(item["customer_number"], Money(int(item["limit_fen"])), item["annual_rate_from"],
                       datetime.fromisoformat(item["valid_until"]), datetime.fromisoformat(item["computed_at"]),
                       tuple(item.get("reasons", [])))


def complaint_key(complaint_id: str) -> dict[str, str]:
    return {"PK": f"COMPLAINT#{complaint_id}", "SK": "COMPLAINT"}


def complaint_to_item(c: Complaint) -> dict[str, Any]:
    return _drop_none({
        **complaint_key(c.complaint_id), "entity": "COMPLAINT", "complaint_id": c.complaint_id,
        "customer_id": c.customer_id, "category": c.category.value, "text": c.text, "subject_id": c.subject_id,
        "opened_at": c.opened_at.isoformat(), "due_at": c.due_at.isoformat(), "status": c.status.value,
        "reply": c.reply, "replied_by": c.replied_by, "replied_at": _iso(c.replied_at), "version": c.version,
        "GSI1PK": f"CUSTOMER#{c.customer_id}", "GSI1SK": f"COMPLAINT#{c.opened_at.isoformat()}#{c.complaint_id}",
        "GSI2PK": f"COMPLAINT_STATUS#{c.status.value}", "GSI2SK": f"{c.due_at.isoformat()}#{c.complaint_id}"})


def complaint_from_item(item: dict[str, Any]) -> Complaint:
    return Complaint(item["complaint_id"], item["customer_id"], ComplaintCategory(item["category"]), item["text"],
                     item.get("subject_id"), datetime.fromisoformat(item["opened_at"]),
                     datetime.fromisoformat(item["due_at"]), ComplaintStatus(item["status"]), item.get("reply", ""),
                     item.get("replied_by", ""),
                     datetime.fromisoformat(item["replied_at"]) if item.get("replied_at") else None,
                     int(item["version"]))


def bureau_report_key(reporting_date: date) -> dict[str, str]:
    return {"PK": f"BUREAU_REPORT#{reporting_date.isoformat()}", "SK": "BUREAU_REPORT"}


def bureau_report_to_item(r: BureauReport) -> dict[str, Any]:
    return _drop_none({
        **bureau_report_key(r.reporting_date), "entity": "BUREAU_REPORT",
        "reporting_date": r.reporting_date.isoformat(),
        "status": r.status.value, "requested_by": r.requested_by, "requested_at": r.requested_at.isoformat(),
        "s3_key": r.s3_key, "sha256": r.sha256, "accounts": r.accounts, "corrections": r.corrections,
        "notices_sent": r.notices_sent, "generated_at": _iso(r.generated_at), "version": r.version,
        "receipt": r.receipt or None, "GSI2PK": "BUREAU_REPORTS", "GSI2SK": r.reporting_date.isoformat()})


def bureau_report_from_item(item: dict[str, Any]) -> BureauReport:
    return BureauReport(date.fromisoformat(item["reporting_date"]), ReportStatus(item["status"]),
                        item["requested_by"], datetime.fromisoformat(item["requested_at"]), item.get("s3_key", ""),
                        item.get("sha256", ""), int(item.get("accounts", 0)), int(item.get("corrections", 0)),
                        int(item.get("notices_sent", 0)),
                        datetime.fromisoformat(item["generated_at"]) if item.get("generated_at") else None,
                        int(item["version"]), item.get("receipt", ""))


def dispute_key(dispute_id: str) -> dict[str, str]:
    return {"PK": f"DISPUTE#{dispute_id}", "SK": "DISPUTE"}


def dispute_to_item(d: CreditDispute) -> dict[str, Any]:
    return _drop_none({
        **dispute_key(d.dispute_id), "entity": "DISPUTE", "dispute_id": d.dispute_id, "customer_id": d.customer_id,
        "account_id": d.account_id, "reporting_date": d.reporting_date.isoformat(), "text": d.text,
        "filed_by": d.filed_by, "opened_at": d.opened_at.isoformat(), "due_at": d.due_at.isoformat(),
        "status": d.status.value, "finding": d.finding, "corrected_fields": json.dumps(d.corrected_fields),
        "resolved_by": d.resolved_by, "resolved_at": _iso(d.resolved_at),
        "reported_on": d.reported_on.isoformat() if d.reported_on else None, "version": d.version,
        "GSI1PK": f"CUSTOMER#{d.customer_id}", "GSI1SK": f"DISPUTE#{d.opened_at.isoformat()}#{d.dispute_id}",
        "GSI2PK": f"DISPUTE_STATUS#{d.status.value}", "GSI2SK": f"{d.due_at.isoformat()}#{d.dispute_id}"})


def dispute_from_item(item: dict[str, Any]) -> CreditDispute:
    return CreditDispute(
        item["dispute_id"], item["customer_id"], item["account_id"], date.fromisoformat(item["reporting_date"]),
        item["text"], item["filed_by"], datetime.fromisoformat(item["opened_at"]),
        datetime.fromisoformat(item["due_at"]), DisputeStatus(item["status"]), item.get("finding", ""),
        json.loads(item.get("corrected_fields", "{}")), item.get("resolved_by", ""),
        datetime.fromisoformat(item["resolved_at"]) if item.get("resolved_at") else None,
        date.fromisoformat(item["reported_on"]) if item.get("reported_on") else None, int(item["version"]))


def aml_case_key(case_id: str) -> dict[str, str]:
    return {"PK": f"AML#{case_id}", "SK": "AML_CASE"}


def aml_case_to_item(c: AmlCase) -> dict[str, Any]:
    return _drop_none({
        **aml_case_key(c.case_id), "entity": "AML_CASE", "case_id": c.case_id, "customer_id": c.customer_id,
        "kind": c.kind.value, "subject_id": c.subject_id, "opened_at": c.opened_at.isoformat(),
        "evidence": json.dumps(c.evidence, ensure_ascii=False), "status": c.status.value,
        "decided_by": c.decided_by or None, "decided_at": _iso(c.decided_at), "comment": c.comment or None,
        "version": c.version, "GSI2PK": f"AML_STATUS#{c.status.value}",
        "GSI2SK": f"{c.opened_at.isoformat()}#{c.case_id}"})


def aml_case_from_item(item: dict[str, Any]) -> AmlCase:
    return AmlCase(item["case_id"], item["customer_id"], AmlCaseKind(item["kind"]), item["subject_id"],
                   datetime.fromisoformat(item["opened_at"]), json.loads(item["evidence"]),
                   AmlCaseStatus(item["status"]), item.get("decided_by", ""),
                   datetime.fromisoformat(item["decided_at"]) if item.get("decided_at") else None,
                   item.get("comment", ""), int(item["version"]))


def human_review_key(review_id: str) -> dict[str, str]:
    return {"PK": f"HUMAN_REVIEW#{review_id}", "SK": "HUMAN_REVIEW"}


def human_review_to_item(r: HumanReview) -> dict[str, Any]:
    status = "OPEN" if r.open else "DECIDED"
    return _drop_none({
        **human_review_key(r.review_id), "entity": "HUMAN_REVIEW", "review_id": r.review_id,
        "application_id": r.application_id, "customer_id": r.customer_id, "decided": r.decided, "reason": r.reason,
        "requested_at": r.requested_at.isoformat(), "due_at": r.due_at.isoformat(),
        "outcome": r.outcome.value if r.outcome else None, "comment": r.comment, "decided_by": r.decided_by,
        "decided_at": _iso(r.decided_at), "version": r.version,
        "GSI2PK": f"HUMAN_REVIEW_STATUS#{status}", "GSI2SK": f"{r.due_at.isoformat()}#{r.review_id}"})


def human_review_from_item(item: dict[str, Any]) -> HumanReview:
    return HumanReview(item["review_id"], item["application_id"], item["customer_id"], item["decided"],
                       item["reason"], datetime.fromisoformat(item["requested_at"]),
                       datetime.fromisoformat(item["due_at"]),
                       ReviewOutcome(item["outcome"]) if item.get("outcome") else None, item.get("comment", ""),
                       item.get("decided_by", ""),
                       datetime.fromisoformat(item["decided_at"]) if item.get("decided_at") else None,
                       int(item["version"]))
