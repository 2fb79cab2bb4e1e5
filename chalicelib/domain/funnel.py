"""The origination funnel (applied -> offered -> signed -> drawn) and the time from submission to first payout.

Each stage is a fact already in the audit trail: the event that moved the application (or, for "drawn", the
booking of a line's first loan). Those events are indexed by business day when written, in the same transaction
as the change they record, so the funnel is read from the facts, never from a counter that could drift."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from . import events as ev
from .events import DomainEvent

STAGES = ("APPLIED", "OFFERED", "SIGNED", "DRAWN")
_BY_EVENT = {ev.APPLICATION_SUBMITTED: "APPLIED", ev.OFFER_MADE: "OFFERED", ev.CONTRACT_SIGNED: "SIGNED"}


def stage_of(event: DomainEvent) -> str | None:
    if event.name == ev.LOAN_BOOKED:
        return "DRAWN" if event.data.get("first_on_line") else None
    return _BY_EVENT.get(event.name)


def first_payout_data(credit_line_id: str, submitted_at: datetime | None) -> dict[str, Any]:
    """What a first loan's booking event carries for the funnel (ids and a time: no personal data)."""
    return {"first_on_line": True, "credit_line_id": credit_line_id,
            **({"submitted_at": submitted_at.isoformat()} if submitted_at else {})}


def funnel(milestones: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per stage and the submission-to-first-payout times of a period's milestones (audit entries).

    Drawn counts lines, once each: two first drawdowns of a new line booked in the same instant can both carry
    the first-loan mark, and the earliest is the one that counts."""
    seen: dict[str, set[str]] = {stage: set() for stage in STAGES}
    first_payouts: dict[str, float] = {}
    for m in sorted(milestones, key=lambda m: m["occurred_at"]):
        stage = stage_of_entry(m)
        if stage is None:
            continue
        data = m.get("data") or {}
        subject = str(data.get("credit_line_id") or m["aggregate_id"]) if stage == "DRAWN" else m["aggregate_id"]
        if subject in seen[stage]:
            continue
        seen[stage].add(subject)
        if stage == "DRAWN" and data.get("submitted_at"):
            waited = datetime.fromisoformat(m["occurred_at"]) - datetime.fromisoformat(data["submitted_at"])
            first_payouts[subject] = max(0.0, waited.total_seconds())
    waits = sorted(first_payouts.values())
    return {"counts": {stage: len(seen[stage]) for stage in STAGES},
            "submission_to_first_payout": {"count": len(waits), "median_seconds": nearest_rank(waits, 0.5),
                                           "p90_seconds": nearest_rank(waits, 0.9)}}


def stage_of_entry(entry: dict[str, Any]) -> str | None:
    return stage_of(DomainEvent(entry["event"], entry["aggregate_id"], entry.get("actor", ""), entry.get("data") or {}))


def nearest_rank(ordered: list[float], q: float) -> int | None:
    """The q-quantile by the nearest-rank method (a value that occurred), in whole seconds."""
    if not ordered:
        return None
    return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)])
