"""A signal about a borrower becomes (or changes) the line's early warning; a RED warning freezes the line in the same
write. Only what a signal decides is written, with a version check: two signals racing for the same line cannot
both open a warning, and a freeze is recorded with the warning that orders it or not at all."""

from __future__ import annotations

import uuid
from dataclasses import fields
from typing import Any, Protocol

from ...domain import events as ev
from ...domain.classification import ClassificationPolicy
from ...domain.early_warning import (
    Cause,
    EarlyWarning,
    HistoryEntry,
    Level,
    Outcome,
    Signal,
    WarningEvent,
    WarningPolicy,
    WarningStatus,
    apply_signal,
    warning_of_known_causes,
)
from ...domain.errors import (
    ConcurrentModificationError,
)
from ...domain.events import DomainEvent
from ...observability import logger, metrics
from ...ports import Clock, LendingRepository, Notifier, WarningStore
from ...settings import Settings
from .notices import FROZEN_NOTICE, tell_customer


class EvaluationPorts(Protocol):
    """What evaluating a signal touches: the line, its warning, the customer's notice, the thresholds."""

    notifier: Notifier
    repo: LendingRepository
    settings: Settings
    warnings: WarningStore


class SignalPorts(EvaluationPorts, Protocol):
    """What the signals' use cases touch: evaluation's, and the clock (a line activated frozen)."""

    clock: Clock


def warning_policy(settings: Settings) -> WarningPolicy:
    """Every threshold from its setting, by name (WARNING_TAX_DROP_RATIO is tax_drop_ratio)."""
    return WarningPolicy(**{f.name: getattr(settings, f"warning_{f.name}") for f in fields(WarningPolicy)})


def classification_policy(deps: SignalPorts) -> ClassificationPolicy:
    """From settings: the constructor refuses thresholds laxer than the Measures (a bad setting fails loudly)."""
    substandard, doubtful, loss = deps.settings.classification_days
    return ClassificationPolicy(substandard, doubtful, loss)


def new_warning_id() -> str:
    return f"warn_{uuid.uuid4().hex}"


def evaluate(deps: EvaluationPorts, credit_line_id: str, signal: Signal, policy: WarningPolicy | None = None,
             attempts: int = 3) -> Outcome:
    """Applies one signal to the line's warning (re-reading and retrying when another signal wrote first)."""
    for attempt in range(attempts):
        try:
            return _evaluate_once(deps, credit_line_id, signal, policy or warning_policy(deps.settings))
        except ConcurrentModificationError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _evaluate_once(deps: EvaluationPorts, credit_line_id: str, signal: Signal, policy: WarningPolicy) -> Outcome:
    line = deps.repo.get_credit_line(credit_line_id)
    current = deps.warnings.open_warning_of_line(credit_line_id)
    outcome = apply_signal(current, signal, policy, new_id=new_warning_id(), customer_id=line.customer_id,
                           credit_line_id=credit_line_id, settled=deps.warnings.settled_causes(credit_line_id))
    if outcome.action in {"NO_RISK", "DUPLICATE"} or outcome.warning is None:
        return outcome
    warning = outcome.warning
    freeze = None
    if warning.status is WarningStatus.OPEN and warning.level is Level.RED:
        freeze = line.freeze(DomainEvent(ev.CREDIT_LINE_FROZEN, credit_line_id, "system:early-warning",
                                         {"warning_id": warning.warning_id, "reasons": list(warning.reason_codes)}))
    if freeze is not None:
        warning.history.append(HistoryEntry(WarningEvent.LINE_FROZEN, signal.observed_at))
    deps.warnings.save_warning(warning, freeze)
    logger.info("early warning", extra={"credit_line_id": credit_line_id, "warning_id": warning.warning_id,
                                        "action": outcome.action, "level": warning.level.name,
                                        "frozen": freeze is not None})
    metrics.add_metric(name=f"EarlyWarning{outcome.action.title()}", unit="Count", value=1)
    if freeze is not None:
        tell_customer(deps, line.application_id, line.customer_id, "CREDIT_LINE_FROZEN", FROZEN_NOTICE)
    return outcome


def freeze_at_activation(deps: SignalPorts, line: Any, causes: tuple[Cause, ...]) -> EarlyWarning:
    """A line activated while a RED cause stands was created FROZEN (origination_steps.activate_credit_line); its
    own warning carries those causes and records the freeze, so that an officer's disposition gives it back."""
    now = deps.clock.now()
    warning = warning_of_known_causes(causes, new_id=new_warning_id(), customer_id=line.customer_id,
                                      credit_line_id=line.credit_line_id, at=now)
    event = DomainEvent(ev.CREDIT_LINE_FROZEN, line.credit_line_id, "system:early-warning",
                        {"warning_id": warning.warning_id, "reasons": list(warning.reason_codes),
                         "at_activation": True})
    deps.warnings.save_warning(warning, line.note(event))  # (born FROZEN: its history says why)
    logger.info("line frozen at activation", extra={"credit_line_id": line.credit_line_id,
                                                     "warning_id": warning.warning_id})
    metrics.add_metric(name="EarlyWarningRaised", unit="Count", value=1)
    return warning
