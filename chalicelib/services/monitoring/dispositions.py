"""Officers dispose of warnings (keep frozen, unfreeze, false alarm, reduce the limit - a large cut confirmed by a
second officer -, propose acceleration); their worklist is the open warnings, strongest and oldest task first."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from ...domain import events as ev
from ...domain.credit_line import CreditLineStatus
from ...domain.early_warning import (
    EarlyWarning,
    HistoryEntry,
    Level,
    Source,
    WarningEvent,
    WarningStatus,
)
from ...domain.errors import (
    ComplianceOfficerRequiredError,
    InvalidTransitionError,
    SecondOfficerRequiredError,
    ValidationError,
)
from ...domain.events import DomainEvent
from ...domain.money import Money
from ...ports import LendingRepository, Notifier, WarningStore
from ...settings import Settings
from .notices import LIMIT_REDUCED_NOTICE, UNFROZEN_NOTICE, frozen_by_warning, tell_customer


class DispositionPorts(Protocol):
    """The ports the dispositions use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    notifier: Notifier
    repo: LendingRepository
    settings: Settings
    warnings: WarningStore


class Disposition(StrEnum):
    KEEP_FROZEN = "KEEP_FROZEN"  # the risk stands: the line stays frozen, the warning stays open
    UNFREEZE = "UNFREEZE"  # the officer judged the risk acceptable: the line is given back, the warning closed
    FALSE_ALARM = "FALSE_ALARM"  # the record was not this customer's, or wrong: closed, line given back
    REDUCE_LIMIT = "REDUCE_LIMIT"  # the risk is acceptable at a lower limit: cut (a large cut waits for a checker)
    CONFIRM_LIMIT_REDUCTION = "CONFIRM_LIMIT_REDUCTION"  # a second officer confirms a proposed large cut
    PROPOSE_ACCELERATION = "PROPOSE_ACCELERATION"  # 提前到期 proposed to legal; line stays frozen, warning open


@dataclass(frozen=True)
class DispositionRequest:
    action: Disposition
    comment: str
    new_limit_fen: int | None = None  # REDUCE_LIMIT only


def dispose(deps: DispositionPorts, officer_id: str, warning_id: str, request: DispositionRequest,
            now: datetime, compliance_officer: bool = False) -> EarlyWarning:
    """An officer's decision on a warning, with a comment, in the warning's history and the line's. A warning
    raised by a sanctions or watch-list entry is closed (and its line unfrozen) only by a compliance officer."""
    if len(request.comment.strip()) < 4:
        raise ValidationError("a disposition needs a comment that says why", {"field": "comment"})
    warning = deps.warnings.get_warning(warning_id)
    if warning.status is not WarningStatus.OPEN:
        raise InvalidTransitionError("the warning is already closed", {"status": warning.status.value})
    if (request.action is not Disposition.KEEP_FROZEN and not compliance_officer
            and any(c.source is Source.SANCTIONS for c in warning.causes)):
        raise ComplianceOfficerRequiredError("a warning raised by a sanctions or watch-list entry is a compliance "
                                             "officer's to close")
    line = deps.repo.get_credit_line(warning.credit_line_id)
    entry = HistoryEntry(WarningEvent.DISPOSED, now, action=request.action.value, by=officer_id,
                         comment=request.comment.strip())
    # the officer's act in the audit trail (searchable by officer and day), whatever else it changes
    audit = DomainEvent(ev.WARNING_DISPOSED, warning_id, ev.officer_actor(officer_id),
                        {"action": request.action.value, "credit_line_id": line.credit_line_id,
                         "level": warning.level.name, "comment": request.comment.strip(),
                         **({"new_limit_fen": request.new_limit_fen} if request.new_limit_fen is not None else {})},
                        occurred_at=now)
    if request.action in (Disposition.REDUCE_LIMIT, Disposition.CONFIRM_LIMIT_REDUCTION,
                          Disposition.PROPOSE_ACCELERATION):
        return _change_terms(deps, officer_id, warning, line, request, entry, audit)
    closes = request.action is not Disposition.KEEP_FROZEN
    warning.record(entry, closes)
    change = None
    settle: tuple[str, ...] = ()
    if closes:
        settle = tuple(c.cause_key for c in warning.causes)  # the same records do not raise it again
        if frozen_by_warning(warning):
            change = line.unfreeze(DomainEvent(ev.CREDIT_LINE_UNFROZEN, line.credit_line_id, f"officer:{officer_id}",
                                               {"warning_id": warning_id, "disposition": request.action.value}))
    deps.warnings.save_warning(warning, change, settle, audit)
    if change is not None:
        tell_customer(deps, line.application_id, line.customer_id, "CREDIT_LINE_UNFROZEN", UNFROZEN_NOTICE)
    return warning


def _change_terms(deps: DispositionPorts, officer_id: str, warning: EarlyWarning, line: Any,
                  request: DispositionRequest, entry: HistoryEntry, audit: DomainEvent) -> EarlyWarning:
    """A limit cut (at once, or proposed for a second officer above the settings' amount, then confirmed by
    another), or acceleration proposed. Each in the warning's history and, when the line changes, the line's."""
    if request.action is Disposition.PROPOSE_ACCELERATION:
        warning.record(replace(entry, event=WarningEvent.ACCELERATION_PROPOSED, outstanding_fen=line.used.fen))
        event = DomainEvent(ev.LOAN_ACCELERATION_PROPOSED, line.credit_line_id, f"officer:{officer_id}",
                            {"warning_id": warning.warning_id, "outstanding_fen": line.used.fen})
        deps.warnings.save_warning(warning, line.note(event), audit=audit)
        return warning
    if request.action is Disposition.CONFIRM_LIMIT_REDUCTION:
        proposal = _pending_reduction(warning)
        if proposal is None:
            raise InvalidTransitionError("no limit reduction is waiting for confirmation")
        if proposal.by == officer_id:
            raise SecondOfficerRequiredError("a second, different officer confirms a large limit reduction",
                                             {"proposed_by": officer_id})
        assert proposal.new_limit_fen is not None
        new_limit = proposal.new_limit_fen
    else:
        if request.new_limit_fen is None:
            raise ValidationError("a limit reduction names the new limit", {"field": "new_limit_fen"})
        new_limit = request.new_limit_fen
    line.cut_limit(Money(new_limit), audit, give_back=False)  # refused here, before a proposal is recorded
    reduction = line.limit.fen - new_limit
    if request.action is Disposition.REDUCE_LIMIT and reduction > deps.settings.limit_reduction_checker_above_fen:
        warning.record(replace(entry, event=WarningEvent.LIMIT_REDUCTION_PROPOSED, new_limit_fen=new_limit,
                               reduction_fen=reduction))
        deps.warnings.save_warning(warning, audit=audit)
        return warning
    # the risk is taken at the lower limit: the line is given back
    warning.record(replace(entry, event=WarningEvent.LIMIT_REDUCED, new_limit_fen=new_limit, reduction_fen=reduction),
                   closes=True)
    unfreeze = line.status is CreditLineStatus.FROZEN and frozen_by_warning(warning)
    event = DomainEvent(ev.CREDIT_LINE_LIMIT_REDUCED, line.credit_line_id, f"officer:{officer_id}",
                        {"warning_id": warning.warning_id, "reduction_fen": reduction, "new_limit_fen": new_limit,
                         "line_unfrozen": unfreeze})
    deps.warnings.save_warning(warning, line.cut_limit(Money(new_limit), event, give_back=unfreeze),
                               tuple(c.cause_key for c in warning.causes), audit)
    tell_customer(deps, line.application_id, line.customer_id, "CREDIT_LINE_LIMIT_REDUCED",
                   LIMIT_REDUCED_NOTICE.format(limit=Money(new_limit)))
    return warning


def _pending_reduction(warning: EarlyWarning) -> HistoryEntry | None:
    """The last proposed cut, unless a later disposition decided otherwise."""
    for entry in reversed(warning.history):
        if entry.event is WarningEvent.LIMIT_REDUCTION_PROPOSED:
            return entry
        if entry.event in (WarningEvent.LIMIT_REDUCED, WarningEvent.DISPOSED):
            return None
    return None


def worklist(warnings: WarningStore, now: datetime, level: Level | None = None,
             overdue_only: bool = False) -> list[EarlyWarning]:
    """Open warnings, strongest and oldest task first; optionally one level, or only tasks past their deadline."""
    found = [w for w in warnings.warnings(WarningStatus.OPEN)
             if (level is None or w.level is level) and (not overdue_only or w.task_due_at < now)]
    return sorted(found, key=lambda w: (-w.level, w.task_due_at))
