"""Reconciliation of the ledger against the core banking system: every payout and collection the core made must
be booked in the ledger with the same amount, and every booked disbursement or repayment must exist at the core.
Breaks are listed by kind so operations can act (e.g. money paid out by the core whose drawdown stalled after a
timeout is "in the core, not booked")."""

from __future__ import annotations

from typing import Any, Protocol

from ...observability import metrics
from ...ports import CoreBanking, LendingRepository


class ReconciliationPorts(Protocol):
    """The ports the reconciliation use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    core_banking: CoreBanking
    repo: LendingRepository


def reconcile(deps: ReconciliationPorts) -> dict[str, Any]:
    core = {(e["kind"], e["id"]): int(e["amount_fen"]) for e in deps.core_banking.statement()}
    booked: dict[tuple[str, str], int] = {}
    for txn in deps.repo.all_ledger_transactions():
        if txn.kind == "DISBURSEMENT":
            booked[("PAYOUT", txn.reference)] = txn.amount.fen
        elif txn.kind == "REPAYMENT":
            booked[("COLLECTION", txn.reference)] = txn.amount.fen
    breaks = []
    for key in sorted(set(core) | set(booked)):
        kind, ref = key
        if key not in booked:
            breaks.append({"kind": kind, "id": ref, "problem": "AT_CORE_NOT_BOOKED", "core_fen": core[key]})
        elif key not in core:
            breaks.append({"kind": kind, "id": ref, "problem": "BOOKED_NOT_AT_CORE", "ledger_fen": booked[key]})
        elif core[key] != booked[key]:
            breaks.append({"kind": kind, "id": ref, "problem": "AMOUNT_DIFFERS", "core_fen": core[key],
                           "ledger_fen": booked[key]})
    matched = [k for k in core if k in booked and core[k] == booked[k]]
    metrics.add_metric(name="ReconciliationBreaks", unit="Count", value=len(breaks))  # alarmed on when above 0
    return {"matched": len(matched), "matched_fen": sum(core[k] for k in matched), "breaks": breaks}
