"""The back office's audit search: who did what, when, to which application or line.

Every state change writes its event in the same transaction as the change; an officer's acts (decisions,
dispositions, reveals, look-ups, views of card images) are also indexed by business day. A search by officer,
action or period reads those days; a search by application reads that application's own trail and its line's,
so the customer's and the system's steps are there too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from ...domain.business_date import business_date
from ...domain.errors import NotFoundError, ValidationError
from ...domain.events import OFFICER
from ...ports import LendingRepository


class AuditPorts(Protocol):
    """The ports the audit use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    repo: LendingRepository


MAX_DAYS = 31  # one month of days per search: each day is one index read
MAX_RESULTS = 500


@dataclass(frozen=True)
class AuditQuery:
    start: date
    end: date
    officer: str | None = None
    action: str | None = None
    application_id: str | None = None


def search(deps: AuditPorts, query: AuditQuery) -> tuple[list[dict[str, Any]], bool]:
    """Newest first; the flag says more matched than are returned (narrow the search)."""
    if query.end < query.start:
        raise ValidationError("the period ends before it starts", {"field": "to"})
    days = (query.end - query.start).days + 1
    if days > MAX_DAYS:
        raise ValidationError(f"search at most {MAX_DAYS} days at a time", {"field": "from", "days": days})
    if query.application_id:
        found = _trail_of_application(deps, query.application_id)
    else:
        found = [entry for n in range(days) for entry in deps.repo.staff_actions(query.start + timedelta(days=n))]
    actor = f"{OFFICER}{query.officer}" if query.officer else None
    matched = [e for e in found
               if query.start <= business_date(_when(e)) <= query.end
               and (actor is None or e["actor"] == actor) and (query.action is None or e["event"] == query.action)]
    matched.sort(key=lambda e: (e["occurred_at"], e.get("event_id", "")), reverse=True)
    return matched[:MAX_RESULTS], len(matched) > MAX_RESULTS


def _trail_of_application(deps: AuditPorts, application_id: str) -> list[dict[str, Any]]:
    try:
        app = deps.repo.get_application(application_id)
    except NotFoundError:
        raise NotFoundError("no such application") from None
    trail = deps.repo.audit_trail(application_id)
    if app.credit_line_id:
        trail += deps.repo.audit_trail(app.credit_line_id)
    return trail


def _when(entry: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(entry["occurred_at"])
