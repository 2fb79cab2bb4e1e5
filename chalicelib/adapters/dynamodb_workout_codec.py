"""DynamoDB items of a loan's life after payout: restructuring requests, write-off proposals, collection cases and
the app's messages. Each entity's fields travel as one JSON ``body`` beside the attributes its indexes and
conditions read (status, version, the index keys)."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from ..domain.collections import (
    CollectionCase,
    Contact,
    ContactChannel,
    ContactOutcome,
    LoanArrears,
    PromiseStatus,
    PromiseToPay,
    Reminder,
    ReminderKind,
)
from ..domain.restructuring import (
    OfficerDecision,
    RestructuringKind,
    RestructuringOutcome,
    RestructuringRequest,
    RestructuringStatus,
)
from ..domain.write_off import WriteOffProposal, WriteOffStatus
from ..ports import CustomerMessage


def _json(value: Any) -> str:
    def default(o: Any) -> str:
        if isinstance(o, (date, datetime)):
            return o.isoformat()
        raise TypeError(type(o))

    return json.dumps(value, default=default, ensure_ascii=False, sort_keys=True)


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


# ---- restructuring requests ------------------------------------------------------------------------------
def restructuring_key(request_id: str) -> dict[str, str]:
    return {"PK": f"RESTRUCTURING#{request_id}", "SK": "RESTRUCTURING"}


def restructuring_guard_key(loan_id: str) -> dict[str, str]:
    """One open request per loan: this item exists while one is open."""
    return {"PK": f"LOAN#{loan_id}", "SK": "RESTRUCTURING_OPEN"}


def restructuring_to_item(r: RestructuringRequest) -> dict[str, Any]:
    body = {k: v for k, v in asdict(r).items() if k != "pending_events"}
    return {**restructuring_key(r.request_id), "entity": "RESTRUCTURING_REQUEST", "request_id": r.request_id,
            "status": r.status.value, "version": r.version, "body": _json(body),
            "GSI1PK": f"CUSTOMER#{r.customer_id}", "GSI1SK": f"RESTRUCTURING#{r.requested_at.isoformat()}",
            # sparse: only open requests are in the officers' worklist index
            **({"GSI2PK": "RESTRUCTURING_STATUS#OPEN", "GSI2SK": f"{r.requested_at.isoformat()}#{r.request_id}"}
               if r.status.open else {})}


def restructuring_from_item(item: dict[str, Any]) -> RestructuringRequest:
    b = json.loads(item["body"])
    return RestructuringRequest(
        b["request_id"], b["loan_id"], b["customer_id"], b["credit_line_id"], RestructuringKind(b["kind"]),
        int(b["extra_months"]), b["reason"], b["requested_by"], datetime.fromisoformat(b["requested_at"]),
        RestructuringStatus(b["status"]),
        tuple(OfficerDecision(d["officer_id"], RestructuringOutcome(d["outcome"]), d["comment"],
                              datetime.fromisoformat(d["at"])) for d in b["decisions"]),
        int(item["version"]))


# ---- write-off proposals ----------------------------------------------------------------------------------
def write_off_key(loan_id: str) -> dict[str, str]:
    return {"PK": f"LOAN#{loan_id}", "SK": "WRITE_OFF"}


def write_off_to_item(p: WriteOffProposal) -> dict[str, Any]:
    body = {k: v for k, v in asdict(p).items() if k != "pending_events"}
    return {**write_off_key(p.loan_id), "entity": "WRITE_OFF_PROPOSAL", "status": p.status.value,
            "version": p.version, "body": _json(body),
            **({"GSI2PK": "WRITE_OFF_STATUS#PROPOSED", "GSI2SK": f"{p.proposed_at.isoformat()}#{p.loan_id}"}
               if p.status is WriteOffStatus.PROPOSED else {})}


def write_off_from_item(item: dict[str, Any]) -> WriteOffProposal:
    b = json.loads(item["body"])
    return WriteOffProposal(b["loan_id"], b["customer_id"], b["credit_line_id"], b["reason"], int(b["amount_fen"]),
                            b["proposed_by"], datetime.fromisoformat(b["proposed_at"]), WriteOffStatus(b["status"]),
                            b["decided_by"], _dt(b["decided_at"]), b["comment"], int(item["version"]))


def recovery_key(recovery_id: str) -> dict[str, str]:
    return {"PK": f"RECOVERY#{recovery_id}", "SK": "RECOVERY"}


# ---- collection cases -------------------------------------------------------------------------------------
def collection_key(customer_id: str) -> dict[str, str]:
    return {"PK": f"COLLECTION#{customer_id}", "SK": "COLLECTION"}


def collection_to_item(c: CollectionCase) -> dict[str, Any]:
    body = {k: v for k, v in asdict(c).items() if k != "pending_events"}
    return {**collection_key(c.customer_id), "entity": "COLLECTION_CASE", "customer_id": c.customer_id,
            "version": c.version, "body": _json(body),
            # sparse: the worklist holds borrowers with something late, the most days past due first
            **({"GSI2PK": "COLLECTION_CASES", "GSI2SK": f"{9999 - min(c.days_past_due, 9999):04d}#{c.customer_id}"}
               if c.days_past_due > 0 else {})}


def collection_from_item(item: dict[str, Any]) -> CollectionCase:
    b = json.loads(item["body"])
    return CollectionCase(
        b["customer_id"],
        tuple(LoanArrears(a["loan_id"], int(a["days_past_due"]), int(a["overdue_fen"]), a["bucket"])
              for a in b["arrears"]),
        tuple(_reminder(r) for r in b["pending"]), tuple(b["sent_keys"]),
        tuple(Contact(datetime.fromisoformat(c["at"]), ContactChannel(c["channel"]), c["by"],
                      ContactOutcome(c["outcome"]), c["note"], c["reminder_key"]) for c in b["contacts"]),
        tuple(PromiseToPay(p["promise_id"], int(p["amount_fen"]), date.fromisoformat(p["promised_date"]),
                           datetime.fromisoformat(p["made_at"]), p["recorded_by"], PromiseStatus(p["status"]))
              for p in b["promises"]),
        int(b["escalation"]), _dt(b["updated_at"]), int(item["version"]))


def _reminder(r: dict[str, Any]) -> Reminder:
    return Reminder(r["loan_id"], int(r["instalment"]), ReminderKind(r["kind"]), date.fromisoformat(r["due_date"]),
                    int(r["amount_fen"]))


# ---- the app's messages -----------------------------------------------------------------------------------
def message_to_item(customer_id: str, m: CustomerMessage) -> dict[str, Any]:
    return {"PK": f"MESSAGES#{customer_id}", "SK": f"MESSAGE#{m.at.isoformat()}#{m.message_id}",
            "entity": "CUSTOMER_MESSAGE", "body": _json(asdict(m))}


def message_from_item(item: dict[str, Any]) -> CustomerMessage:
    b = json.loads(item["body"])
    return CustomerMessage(b["message_id"], b["kind"], b["title"], b["text"], datetime.fromisoformat(b["at"]),
                           b["subject_id"])
