"""Post-loan monitoring: a signal about a borrower becomes (or changes) the line's early warning, and a RED
warning freezes the line in the same write; officers dispose of warnings.

Only what a signal decides is written, with a version check: two signals racing for the same line cannot both
open a warning, and a freeze is recorded with the warning that orders it or not at all. The customer is told in
plain words when a line is frozen or given back; the officer's worklist is the open warnings, strongest first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from ..domain import events as ev
from ..domain.classification import ClassificationPolicy
from ..domain.credit_line import CreditLineStatus
from ..domain.early_warning import (
    Cause,
    EarlyWarning,
    Level,
    Outcome,
    Signal,
    Source,
    WarningPolicy,
    WarningStatus,
    apply_signal,
    assess,
    warning_of_known_causes,
)
from ..domain.errors import (
    ConcurrentModificationError,
    InvalidTransitionError,
    SecondOfficerRequiredError,
    ValidationError,
)
from ..domain.events import DomainEvent
from ..domain.external_records import (
    BUREAU_FIGURES,
    ExternalRecord,
    FeedSource,
    check,
    record_id_of,
    signals_of,
    snapshot_of,
)
from ..domain.known_risks import KnownRisks
from ..domain.money import Money
from ..observability import logger, metrics
from ..ports import LineStatusChange
from ..scoring.features import RAW_FIELDS
from .deps import Dependencies

FROZEN_NOTICE = ("您的小额普惠贷额度因风险复核暂停使用，已有借款按原计划还款。"
                 "如有疑问，请联系您的客户经理或致电本行客服。")
UNFROZEN_NOTICE = "您的小额普惠贷额度已恢复使用。感谢您的配合。"
LIMIT_REDUCED_NOTICE = ("经本行风险复核，您的小额普惠贷额度已调整为{limit}，已有借款按原计划还款。"
                        "如有疑问，请联系您的客户经理或致电本行客服。")


def warning_policy(deps: Dependencies) -> WarningPolicy:
    s = deps.settings
    return WarningPolicy(tax_drop_ratio=s.warning_tax_drop_ratio,
                         red_overdue_elsewhere_fen=s.warning_overdue_elsewhere_fen,
                         red_days_past_due=s.warning_red_days_past_due)


def classification_policy(deps: Dependencies) -> ClassificationPolicy:
    """From settings: the constructor refuses thresholds laxer than the Measures (a bad setting fails loudly)."""
    substandard, doubtful, loss = deps.settings.classification_days
    return ClassificationPolicy(substandard, doubtful, loss)


def new_warning_id() -> str:
    return f"warn_{uuid.uuid4().hex}"


def evaluate(deps: Dependencies, credit_line_id: str, signal: Signal, policy: WarningPolicy | None = None,
             attempts: int = 3) -> Outcome:
    """Applies one signal to the line's warning (re-reading and retrying when another signal wrote first)."""
    for attempt in range(attempts):
        try:
            return _evaluate_once(deps, credit_line_id, signal, policy or warning_policy(deps))
        except ConcurrentModificationError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _evaluate_once(deps: Dependencies, credit_line_id: str, signal: Signal, policy: WarningPolicy) -> Outcome:
    line = deps.repo.get_credit_line(credit_line_id)
    current = deps.warnings.open_warning_of_line(credit_line_id)
    outcome = apply_signal(current, signal, policy, new_id=new_warning_id(), customer_id=line.customer_id,
                           credit_line_id=credit_line_id, settled=deps.warnings.settled_causes(credit_line_id))
    if outcome.action in {"NO_RISK", "DUPLICATE"} or outcome.warning is None:
        return outcome
    warning = outcome.warning
    freeze = None
    if warning.status is WarningStatus.OPEN and warning.level is Level.RED and line.status is CreditLineStatus.ACTIVE:
        freeze = LineStatusChange(credit_line_id, CreditLineStatus.ACTIVE, CreditLineStatus.FROZEN, DomainEvent(
            ev.CREDIT_LINE_FROZEN, credit_line_id, "system:early-warning",
            {"warning_id": warning.warning_id, "reasons": list(warning.reason_codes)}))
        warning.history.append({"event": "LINE_FROZEN", "at": signal.observed_at.isoformat()})
    deps.warnings.save_warning(warning, freeze)
    logger.info("early warning", extra={"credit_line_id": credit_line_id, "warning_id": warning.warning_id,
                                        "action": outcome.action, "level": warning.level.name,
                                        "frozen": freeze is not None})
    metrics.add_metric(name=f"EarlyWarning{outcome.action.title()}", unit="Count", value=1)
    if freeze is not None:
        _tell_customer(deps, line.application_id, line.customer_id, "CREDIT_LINE_FROZEN", FROZEN_NOTICE)
    return outcome


def freeze_at_activation(deps: Dependencies, line: Any, causes: tuple[Cause, ...]) -> EarlyWarning:
    """A line activated while a RED cause stands was created FROZEN (origination_steps.activate_credit_line); its
    own warning carries those causes and records the freeze, so that an officer's disposition gives it back."""
    now = deps.clock.now()
    warning = warning_of_known_causes(causes, new_id=new_warning_id(), customer_id=line.customer_id,
                                      credit_line_id=line.credit_line_id, at=now)
    event = DomainEvent(ev.CREDIT_LINE_FROZEN, line.credit_line_id, "system:early-warning",
                        {"warning_id": warning.warning_id, "reasons": list(warning.reason_codes),
                         "at_activation": True})
    deps.warnings.save_warning(warning, LineStatusChange(line.credit_line_id, CreditLineStatus.FROZEN,
                                                         CreditLineStatus.FROZEN, event))
    logger.info("line frozen at activation", extra={"credit_line_id": line.credit_line_id,
                                                     "warning_id": warning.warning_id})
    metrics.add_metric(name="EarlyWarningRaised", unit="Count", value=1)
    return warning


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


def dispose(deps: Dependencies, officer_id: str, warning_id: str, request: DispositionRequest,
            now: datetime) -> EarlyWarning:
    """An officer's decision on a warning, with a comment, in the warning's history and the line's."""
    if len(request.comment.strip()) < 4:
        raise ValidationError("a disposition needs a comment that says why", {"field": "comment"})
    warning = deps.warnings.get_warning(warning_id)
    if warning.status is not WarningStatus.OPEN:
        raise InvalidTransitionError("the warning is already closed", {"status": warning.status.value})
    line = deps.repo.get_credit_line(warning.credit_line_id)
    entry = {"event": "DISPOSED", "at": now.isoformat(), "action": request.action.value, "by": officer_id,
             "comment": request.comment.strip()}
    # the officer's act in the audit trail (searchable by officer and day), whatever else it changes
    audit = DomainEvent(ev.WARNING_DISPOSED, warning_id, ev.officer_actor(officer_id),
                        {"action": request.action.value, "credit_line_id": line.credit_line_id,
                         "level": warning.level.name, "comment": request.comment.strip(),
                         **({"new_limit_fen": request.new_limit_fen} if request.new_limit_fen is not None else {})},
                        occurred_at=now)
    if request.action in (Disposition.REDUCE_LIMIT, Disposition.CONFIRM_LIMIT_REDUCTION,
                          Disposition.PROPOSE_ACCELERATION):
        return _change_terms(deps, officer_id, warning, line, request, entry, audit)
    warning.history.append(entry)
    change = None
    settle: tuple[str, ...] = ()
    if request.action is not Disposition.KEEP_FROZEN:
        warning.status = WarningStatus.CLOSED
        settle = tuple(c.cause_key for c in warning.causes)  # the same records do not raise it again
        if line.status is CreditLineStatus.FROZEN and _frozen_by_warning(deps, warning):
            change = LineStatusChange(line.credit_line_id, CreditLineStatus.FROZEN, CreditLineStatus.ACTIVE,
                                      DomainEvent(ev.CREDIT_LINE_UNFROZEN, line.credit_line_id, f"officer:{officer_id}",
                                                  {"warning_id": warning_id, "disposition": request.action.value}))
    deps.warnings.save_warning(warning, change, settle, audit)
    if change is not None:
        _tell_customer(deps, line.application_id, line.customer_id, "CREDIT_LINE_UNFROZEN", UNFROZEN_NOTICE)
    return warning


def _change_terms(deps: Dependencies, officer_id: str, warning: EarlyWarning, line: Any,
                  request: DispositionRequest, entry: dict[str, Any], audit: DomainEvent) -> EarlyWarning:
    """A limit cut (at once, or proposed for a second officer above the settings' amount, then confirmed by
    another), or acceleration proposed. Each in the warning's history and, when the line changes, the line's."""
    if request.action is Disposition.PROPOSE_ACCELERATION:
        entry["outstanding_fen"] = line.used.fen
        warning.history.append({**entry, "event": "ACCELERATION_PROPOSED"})
        event = DomainEvent(ev.LOAN_ACCELERATION_PROPOSED, line.credit_line_id, f"officer:{officer_id}",
                            {"warning_id": warning.warning_id, "outstanding_fen": line.used.fen})
        deps.warnings.save_warning(warning, LineStatusChange(line.credit_line_id, line.status, line.status, event),
                                   audit=audit)
        return warning
    if request.action is Disposition.CONFIRM_LIMIT_REDUCTION:
        proposal = _pending_reduction(warning)
        if proposal is None:
            raise InvalidTransitionError("no limit reduction is waiting for confirmation")
        if proposal["by"] == officer_id:
            raise SecondOfficerRequiredError("a second, different officer confirms a large limit reduction",
                                             {"proposed_by": officer_id})
        new_limit = int(proposal["new_limit_fen"])
    else:
        if request.new_limit_fen is None:
            raise ValidationError("a limit reduction names the new limit", {"field": "new_limit_fen"})
        new_limit = request.new_limit_fen
    drawn = line.used.fen
    if not drawn <= new_limit < line.limit.fen:
        raise ValidationError("the new limit is below the present one and never below what is drawn",
                              {"field": "new_limit_fen", "limit_fen": line.limit.fen, "drawn_fen": drawn})
    reduction = line.limit.fen - new_limit
    if request.action is Disposition.REDUCE_LIMIT and reduction > deps.settings.limit_reduction_checker_above_fen:
        warning.history.append({**entry, "event": "LIMIT_REDUCTION_PROPOSED", "new_limit_fen": new_limit,
                                "reduction_fen": reduction})
        deps.warnings.save_warning(warning, audit=audit)
        return warning
    warning.history.append({**entry, "event": "LIMIT_REDUCED", "new_limit_fen": new_limit,
                            "reduction_fen": reduction})
    warning.status = WarningStatus.CLOSED  # the risk is taken at the lower limit: the line is given back
    unfreeze = line.status is CreditLineStatus.FROZEN and _frozen_by_warning(deps, warning)
    event = DomainEvent(ev.CREDIT_LINE_LIMIT_REDUCED, line.credit_line_id, f"officer:{officer_id}",
                        {"warning_id": warning.warning_id, "reduction_fen": reduction, "new_limit_fen": new_limit,
                         "line_unfrozen": unfreeze})
    after = CreditLineStatus.ACTIVE if unfreeze else line.status
    deps.warnings.save_warning(warning, LineStatusChange(line.credit_line_id, line.status, after, event, reduction),
                               tuple(c.cause_key for c in warning.causes), audit)
    _tell_customer(deps, line.application_id, line.customer_id, "CREDIT_LINE_LIMIT_REDUCED",
                   LIMIT_REDUCED_NOTICE.format(limit=Money(new_limit)))
    return warning


def _pending_reduction(warning: EarlyWarning) -> dict[str, Any] | None:
    """The last proposed cut, unless a later disposition decided otherwise."""
    for entry in reversed(warning.history):
        if entry.get("event") == "LIMIT_REDUCTION_PROPOSED":
            return entry
        if entry.get("event") in ("LIMIT_REDUCED", "DISPOSED"):
            return None
    return None


def _frozen_by_warning(deps: Dependencies, warning: EarlyWarning) -> bool:
    """A line frozen because a loan is overdue stays frozen until the loan is caught up, whatever the warning."""
    return any(h.get("event") == "LINE_FROZEN" for h in warning.history)


def worklist(deps: Dependencies, now: datetime, level: Level | None = None,
             overdue_only: bool = False) -> list[EarlyWarning]:
    """Open warnings, strongest and oldest task first; optionally one level, or only tasks past their deadline."""
    found = [w for w in deps.warnings.warnings(WarningStatus.OPEN)
             if (level is None or w.level is level) and (not overdue_only or w.task_due_at < now)]
    return sorted(found, key=lambda w: (-w.level, w.task_due_at))


# ---- records from outside the bank ---------------------------------------------------------------------
MONITORED = (CreditLineStatus.ACTIVE, CreditLineStatus.FROZEN)


def receive(source: FeedSource, body: dict[str, Any], received_at: datetime, id_number: str | None = None,
            registration_no: str | None = None) -> ExternalRecord:
    """A record as a feed delivers it, checked: its shape, its own id, whom it is about."""
    if bool(id_number) == bool(registration_no):
        raise ValidationError("a record is about an id_number or a registration_no (one of them)",
                              {"field": "id_number"})
    if source is FeedSource.REGISTRY and not registration_no:
        raise ValidationError("a registry record is about a business: registration_no", {"field": "registration_no"})
    check(source, body)
    return ExternalRecord(source, record_id_of(source, body), received_at, body,
                          id_number.strip().upper() if id_number else None,
                          registration_no.strip().upper() if registration_no else None)


def business_hash(deps: Dependencies, registration_no: str) -> str:
    return deps.cipher.keyed_hash(f"business:{registration_no.strip().upper()}")


def customers_of(deps: Dependencies, record: ExternalRecord) -> list[str]:
    """The bank's customers a record is about, found by keyed hash as the identity register keeps them."""
    if record.id_number:
        holder = deps.identities.holder_of(deps.cipher.keyed_hash(record.id_number))
        return [holder] if holder else []
    if record.registration_no:
        return deps.identities.business_holders(business_hash(deps, record.registration_no))
    return []


def subject_hash(deps: Dependencies, record: ExternalRecord) -> str:
    return deps.cipher.keyed_hash(record.id_number) if record.id_number else \
        business_hash(deps, record.registration_no or "")


def deliver_as_the_feed(deps: Dependencies, record: ExternalRecord) -> str:
    """Local stage only: writes a record where the bank's feed writes it (its arrival is the event); the key."""
    return deps.external_records.deliver(record)


def note_record(deps: Dependencies, record: ExternalRecord) -> None:
    """What the record says of its subject, as causes with their rule and level, kept by the subject's keyed hash
    whether or not the subject is a borrower yet (a withdrawn record is forgotten). A bureau refresh is not kept:
    it means something only against the previous one, and origination queries the bureau itself."""
    if record.source is FeedSource.BUREAU:
        return
    subject, policy = subject_hash(deps, record), warning_policy(deps)
    for signal in signals_of(record, None):
        rule = assess(signal, policy)
        if rule is not None:
            deps.warnings.note_subject_record(subject, Cause(signal.cause_key, rule.code, rule.level, signal.source,
                                                             signal.observed_at, dict(signal.evidence)),
                                              cleared=signal.cleared)


def known_risks_of(deps: Dependencies, customer_id: str, id_number_hash: str, registration_no: str) -> KnownRisks:
    """What the bank knows of an applicant: the causes of the open warnings on her lines, and the standing records
    about her ID number and her business."""
    lines = monitored_lines(deps, customer_id)
    open_causes = [c for line_id in lines
                   for w in [deps.warnings.open_warning_of_line(line_id)] if w is not None for c in w.causes]
    settled = frozenset().union(*(deps.warnings.settled_causes(line_id) for line_id in lines))
    records = deps.warnings.subject_records(id_number_hash) if id_number_hash else []
    business = deps.warnings.subject_records(business_hash(deps, registration_no)) if registration_no else []
    return KnownRisks.of(open_causes, records, business, settled=settled)


def monitored_lines(deps: Dependencies, customer_id: str) -> list[str]:
    """The customer's lines that still carry risk: active or frozen (a closed line has nothing to protect)."""
    ids = [a.credit_line_id for a in deps.repo.applications_of_customer(customer_id) if a.credit_line_id]
    return [i for i in ids if deps.repo.get_credit_line(i).status in MONITORED]


def on_external_record(deps: Dependencies, key: str) -> list[Outcome]:
    """A record from a feed has landed: it is kept for applications made later (by its subject's keyed hash), and
    each monitored line of each customer it is about is evaluated at once."""
    record = deps.external_records.read(key)
    note_record(deps, record)
    outcomes: list[Outcome] = []
    for customer_id in customers_of(deps, record):
        outcomes.extend(apply_record(deps, customer_id, record))
    metrics.add_metric(name="ExternalRecordsEvaluated", unit="Count", value=1)
    logger.info("external record evaluated", extra={"source": record.source.value, "key": key,
                                                   "outcomes": [o.action for o in outcomes]})
    return outcomes


def apply_record(deps: Dependencies, customer_id: str, record: ExternalRecord) -> list[Outcome]:
    """One record about one customer, on each of the customer's monitored lines. A bureau refresh is compared
    with the customer's previous one and rescored with the risk model."""
    lines = monitored_lines(deps, customer_id)
    state = deps.warnings.monitoring_state(customer_id)
    previous = snapshot_of(state["bureau"]) if state.get("bureau") else None
    found = signals_of(record, previous)
    if record.source is FeedSource.BUREAU:
        if all(k in record.body for k in BUREAU_FIGURES):
            state["bureau"] = {k: record.body[k] for k in BUREAU_FIGURES}
        rescore = _rescore(deps, customer_id, record, state)
        if rescore is not None:
            found.append(rescore)
        deps.warnings.save_monitoring_state(customer_id, state)
    return [evaluate(deps, line_id, s) for line_id in lines for s in found]


def _rescore(deps: Dependencies, customer_id: str, record: ExternalRecord, state: dict[str, Any]) -> Signal | None:
    """Behavioural rescoring: the risk model on the refreshed bureau history; a fall of ``grade_fall`` grades or
    more against the last run (or the grade at origination) is a signal. Every run is kept."""
    report = record.body.get("report")
    if not isinstance(report, dict):
        return None
    from ..scoring.model import RiskModel

    model = RiskModel.load()
    try:
        assessed = model.assess({k: float(report[k]) for k in RAW_FIELDS})
    except (KeyError, TypeError, ValueError):
        raise ValidationError("a bureau report needs every field of the model", {"field": "record.report"}) from None
    runs = state.setdefault("rescores", [])
    before = runs[-1]["grade"] if runs else _origination_grade(deps, customer_id)
    runs.append({"at": record.received_at.isoformat(), "pd": f"{assessed.pd:.6f}", "grade": assessed.grade,
                 "reasons": list(assessed.reasons), "report_no": record.record_id})
    del runs[:-24]  # two years of monthly runs
    deps.warnings.count_grade(record.received_at.isoformat()[:7], "RESCORED_BOOK", assessed.grade)
    if before is None:
        return None
    fall = model.grade_rank(assessed.grade) - model.grade_rank(before)
    return Signal("MODEL_RESCORE", Source.MODEL, f"MODEL_RESCORE:{record.record_id}", record.received_at,
                  {"grade_fall": fall}, {"source": "MODEL", "grade_before": before, "grade_now": assessed.grade,
                                         "pd": f"{assessed.pd:.4f}", "reasons": list(assessed.reasons)})


def _origination_grade(deps: Dependencies, customer_id: str) -> str | None:
    grades = [a.risk.grade for a in deps.repo.applications_of_customer(customer_id) if a.risk and a.credit_line_id]
    return grades[-1] if grades else None


OVERDUE_NOTICE = "您有借款逾期未还，额度暂停使用；还清逾期款项后将自动恢复。"
REVIEW_NOTICE = "根据本行贷后管理要求，新的提款需经本行审核后放款，审核通常在一个工作日内完成。"


def notice_for(deps: Dependencies, line: Any) -> str | None:
    """What the customer reads on the line (no reason codes, no record: those are for officers)."""
    if line.status is CreditLineStatus.FROZEN:
        warning = deps.warnings.open_warning_of_line(line.credit_line_id)
        return FROZEN_NOTICE if warning is not None and _frozen_by_warning(deps, warning) else OVERDUE_NOTICE
    if line.status is CreditLineStatus.ACTIVE:
        warning = deps.warnings.open_warning_of_line(line.credit_line_id)
        if warning is not None and warning.level >= Level.ORANGE:
            return REVIEW_NOTICE
    return None


def _tell_customer(deps: Dependencies, application_id: str, customer_id: str, template: str, text: str) -> None:
    app = deps.repo.get_application(application_id)
    deps.notifier.send_sms(customer_id, app.applicant_phone, template, text)
