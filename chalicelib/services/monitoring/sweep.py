"""The daily sweep of one shard of the portfolio (the sweep state machine runs one per shard, see
domain/portfolio.py): for each line still at risk, the day's auto-debit of its loans, the bank's own signals
(days past due, a failed debit, drawing to repay, the whole line drawn at once), the monthly bureau refresh and
rescoring, each loan's five-category classification, and the shard's figures for the portfolio view.

Everything here is safe to run twice for the same day: collections are idempotent by instalment, a signal
already among the warning's causes is not sent again, a classification moves only from the category read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from ...domain.business_date import business_date
from ...domain.classification import bucket_of, classify
from ...domain.credit_line import CreditLineStatus
from ...domain.customer_record import CustomerRecord
from ...domain.early_warning import EarlyWarning, Signal, SignalKind, Source, WarningPolicy, WarningStatus
from ...domain.errors import CreditDataUnavailableError
from ...domain.external_records import ExternalRecord, FeedSource
from ...domain.loan import Loan, LoanReview, LoanStatus
from ...domain.portfolio import ShardFigures
from ...domain.warning_signals import (
    annual_review_year,
    bank_flows_falling,
    draw_to_repay,
    funds_to_restricted_use,
    line_drawn_at_once,
)
from ...observability import logger, metrics
from ...ports import (
    Clock,
    CoreBanking,
    CreditBureau,
    CustomerRecords,
    FieldCipher,
    LendingRepository,
    Notifier,
    SweptLine,
    WarningStore,
)
from ...settings import Settings
from .. import monitoring
from ..compliance import aml
from ..servicing import auto_debit as servicing
from ..workout import collections


class SweepPorts(Protocol):
    """The ports the sweep use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    bureau: CreditBureau
    cipher: FieldCipher
    clock: Clock
    core_banking: CoreBanking
    customer_records: CustomerRecords
    notifier: Notifier
    repo: LendingRepository
    settings: Settings
    warnings: WarningStore


def sweep_shard(deps: SweepPorts, shard: int, day: date) -> dict[str, Any]:
    figures = ShardFigures()
    now = deps.clock.now()
    aml_cases = 0
    for line in deps.repo.lines_in_shard(shard):
        status = line.status
        if status in monitoring.MONITORED and _sweep_line(deps, line, day, now, figures):
            status = deps.repo.get_credit_line(line.credit_line_id).status  # a refused debit or a RED froze it
        if status in monitoring.MONITORED:
            aml_cases += aml.screen_line(deps, line, day, now)
            figures.signals += _annual_review(deps, line, day, now)
        figures.lines_frozen += status is CreditLineStatus.FROZEN
        figures.lines_active += status is CreditLineStatus.ACTIVE
    deps.repo.save_shard_figures(day, shard, figures.to_dict())
    metrics.add_metric(name="SweepLoansClassified", unit="Count", value=figures.loans)
    metrics.add_metric(name="SweepSignals", unit="Count", value=figures.signals)
    logger.info("sweep shard", extra={"shard": shard, "day": day.isoformat(), "loans": figures.loans, "aml": aml_cases,
                                      "signals": figures.signals, "reclassified": figures.reclassified})
    return {"shard": shard, "lines": figures.lines_active + figures.lines_frozen, "loans": figures.loans,
            "signals": figures.signals, "reclassified": figures.reclassified, "collected": figures.collected}


def sweep_lines(deps: SweepPorts, credit_line_ids: list[str], day: date) -> dict[str, Any]:
    """The local stage's time travel for a few lines: the same work as their shards' sweep on ``day``, for these
    lines only (a demo or a test moves one loan a year ahead without collecting everyone else's). No figures are
    written: the portfolio view stays the real sweep's."""
    figures, now = ShardFigures(), deps.clock.now()
    for credit_line_id in credit_line_ids:
        line = deps.repo.get_credit_line(credit_line_id)
        swept = SweptLine(line.credit_line_id, line.customer_id, line.status, line.limit.fen, line.available.fen,
                          line.created_at, line.valid_until)
        if swept.status in monitoring.MONITORED:
            _sweep_line(deps, swept, day, now, figures)
    return {"day": day.isoformat(), "lines": len(credit_line_ids), "loans": figures.loans,
            "collected": figures.collected, "overdue": figures.overdue, "reminders": figures.reminders,
            "reclassified": figures.reclassified}


def _sweep_line(deps: SweepPorts, line: SweptLine, day: date, now: datetime, figures: ShardFigures) -> bool:
    """True when the line's status may have changed (a debit refused, a signal evaluated)."""
    if line.available_fen == line.limit_fen:
        return False  # nothing drawn, reserved or owed: nothing to collect, classify or rescore
    every = deps.repo.loans_of_line(line.customer_id, line.credit_line_id)
    for gone in (loan for loan in every if loan.status is LoanStatus.WRITTEN_OFF):
        figures.add_written_off(gone.written_off_fen, gone.recovered_fen)
    loans = [loan for loan in every if loan.status is LoanStatus.ACTIVE]
    if not loans:
        return False
    touched = False
    if any(_due(loan, day) or loan.claim is not None for loan in loans):
        run = servicing.run_auto_debit(deps, day, loans)
        figures.collected += run["collected"]
        figures.overdue += run["overdue"]
        touched = run["overdue"] > 0 or run["collected"] > 0
        loans = [deps.repo.get_loan(loan.loan_id) for loan in loans]
    warning = deps.warnings.open_warning_of_line(line.credit_line_id)
    signals = _bank_signals(deps, line, loans, warning, day, now)
    signals += _rescore_if_due(deps, line, now)
    for signal in signals:
        outcome = monitoring.evaluate(deps, line.credit_line_id, signal)
        figures.signals += 1
        touched = True
        if outcome.warning is not None:
            warning = outcome.warning
    level = warning.level.name if warning is not None and warning.status is WarningStatus.OPEN else None
    policy = monitoring.classification_policy(deps)
    month = day.isoformat()[:7]
    for loan in loans:
        dpd = loan.days_past_due(day)
        found = classify(dpd, level, policy, loan.under_observation(day))
        bucket = bucket_of(dpd)
        before = loan.review
        # the bucket the loan started this month in: what the last review of an earlier month left
        start = before.roll_start_bucket if before.roll_month == month else before.bucket
        review = LoanReview(found.loan_class.name, bucket.value, max(before.worst_dpd, dpd), month, start)
        if review != before and deps.repo.record_review(loan, review, found.reasons, now):
            figures.reclassified += review.loan_class != before.loan_class
        assert loan.outstanding_principal is not None
        figures.add_loan(loan.outstanding_principal.fen, bucket, found.loan_class)
        figures.add_vintage(loan.start_date.isoformat()[:7], month, review.worst_dpd >= 30)
        figures.rolls[f"{start}>{bucket.value}"] += 1
    figures.reminders += collections.review_borrower(deps, line.customer_id, loans, day, now)
    return touched


def _annual_review(deps: SweepPorts, line: SweptLine, day: date, now: datetime) -> int:
    """A line valid for longer than a year opens its re-review once a year (a YELLOW task, due in a month); the
    same year's review is one cause, so the sweep running again opens nothing new. None of today's products
    grants such a line (12 months), so this waits for one that does."""
    if line.valid_until is None:
        return 0
    year = annual_review_year(business_date(line.activated_at), business_date(line.valid_until), day)
    if year is None:
        return 0
    monitoring.evaluate(deps, line.credit_line_id, Signal(
        SignalKind.BANK_ANNUAL_REVIEW_DUE, Source.BANK, f"BANK_ANNUAL_REVIEW_DUE:{line.credit_line_id}:{year}", now,
        {}, {"year": year, "valid_until": business_date(line.valid_until).isoformat()}))
    return 1


def _due(loan: Loan, day: date) -> bool:
    due = loan.next_due()
    return due is not None and due.due_date <= day


@dataclass(frozen=True)
class LineDay:
    """What a bank detector reads about one drawn line on the day swept."""

    deps: SweepPorts
    line: SweptLine
    loans: list[Loan]
    known: frozenset[str]  # the cause keys the line's open warning holds already
    day: date
    now: datetime
    policy: WarningPolicy


def overdue(d: LineDay) -> list[Signal]:
    """Days past due (the tier in the cause: crossing into RED is a new cause) and the failed debit behind them, and a
    clearing for each overdue cause whose loan has caught up or is late in a new episode."""
    found: list[Signal] = []
    for loan in d.loans:
        dpd = loan.days_past_due(d.day)
        if loan.overdue_since is not None:
            tier = "30" if dpd >= d.policy.red_days_past_due else "1"
            evidence = {"loan_id": loan.loan_id, "overdue_since": loan.overdue_since.isoformat(),
                        "days_past_due": dpd}
            if dpd >= d.policy.yellow_days_past_due:
                found.append(Signal(SignalKind.BANK_DAYS_PAST_DUE, Source.BANK,
                                    f"{_DPD_CAUSE}:{loan.loan_id}:{loan.overdue_since}:{tier}", d.now,
                                    {"days_past_due": dpd}, evidence))
            found.append(Signal(SignalKind.BANK_AUTO_DEBIT_FAILED, Source.BANK,
                                f"{SignalKind.BANK_AUTO_DEBIT_FAILED}:{loan.loan_id}:{loan.overdue_since}", d.now,
                                {}, evidence))
        current = f"{loan.overdue_since}" if loan.overdue_since else None
        for key in d.known:
            parts = key.split(":")
            kind = _OVERDUE_CAUSES.get(parts[0])
            if kind is not None and parts[1] == loan.loan_id and parts[2] != current:
                found.append(Signal(kind, Source.BANK, key, d.now, {}, {}, cleared=True))
    return found


_DPD_CAUSE = "BANK_DPD"  # the cause keys of days past due predate the kind's name; kept, as open warnings hold them
_OVERDUE_CAUSES = {_DPD_CAUSE: SignalKind.BANK_DAYS_PAST_DUE,
                   SignalKind.BANK_AUTO_DEBIT_FAILED.value: SignalKind.BANK_AUTO_DEBIT_FAILED}


def draw_to_repay_pattern(d: LineDay) -> list[Signal]:
    """借新还旧, read from the line's ledger only when a due date fell in the last few days."""
    window = d.policy.pattern_window_days
    dues = [i.due_date for loan in d.loans for i in loan.schedule
            if d.day - timedelta(days=window) <= i.due_date <= d.day]
    if not dues:
        return []
    repaid = [(business_date(t.booked_at), sum(leg.debit.fen for leg in t.legs))
              for t in d.deps.repo.ledger_of(d.line.credit_line_id) if t.kind == "REPAYMENT"]
    pattern = draw_to_repay(_drawn(d), repaid, dues, window)
    if pattern is None:
        return []
    return [Signal(SignalKind.BANK_DRAW_TO_REPAY, Source.BANK, f"BANK_DRAW_TO_REPAY:{pattern['due_date']}", d.now,
                   {}, pattern)]


def drawn_at_once(d: LineDay) -> list[Signal]:
    """The whole line drawn within days of its activation."""
    activated, window = d.line.activated_at.date(), d.policy.activation_window_days
    if d.day - activated > timedelta(days=window):
        return []
    at_once = line_drawn_at_once(activated, d.line.limit_fen, _drawn(d), window)
    if at_once is None:
        return []
    return [Signal(SignalKind.BANK_LINE_DRAWN_AT_ONCE, Source.BANK,
                   f"BANK_LINE_DRAWN_AT_ONCE:{d.line.credit_line_id}", d.now, {}, at_once)]


def _record_of(d: LineDay) -> CustomerRecord | None:
    """The borrower's record at the bank, when the bank knows her (two reads and a call: asked only by the
    detectors below, on the days they look)."""
    link = d.deps.repo.get_application(d.deps.repo.get_credit_line(d.line.credit_line_id).application_id).bank_customer
    return d.deps.customer_records.record(link.customer_number) if link is not None else None


def flows_falling(d: LineDay) -> list[Signal]:
    """Her inflows or average balance at the bank fell sharply last month against the three before: looked at on
    the first day of a month (when last month's figures close), once per month per line."""
    if d.day.day != 1:
        return []
    record = _record_of(d)
    found = None if record is None else bank_flows_falling(record.relationship(d.day), d.policy.bank_flow_drop_ratio)
    if found is None:
        return []
    month = f"{d.day.year:04d}-{d.day.month:02d}"
    return [Signal(SignalKind.BANK_FLOWS_FALLING, Source.BANK, f"BANK_FLOWS_FALLING:{month}", d.now,
                   {"drop_ratio": found["drop_ratio"]}, found)]


def funds_moved_to_restricted_use(d: LineDay) -> list[Signal]:
    """A loan paid out in the last few days whose money moved on to a securities, futures or property
    counterparty (the use-of-funds monitoring internet lending requires): looked at only while a payout is that
    recent."""
    recent = [loan for loan in d.loans if d.day - loan.start_date <= timedelta(days=d.policy.restricted_use_days)]
    record = _record_of(d) if recent else None
    if record is None:
        return []
    payments = [p for account in record.accounts for p in account.payments]
    found = []
    for loan in recent:
        moved = funds_to_restricted_use(loan.start_date, loan.principal.fen, payments, d.policy.restricted_use_days,
                                        d.policy.restricted_use_share)
        if moved is not None:
            found.append(Signal(SignalKind.BANK_FUNDS_TO_RESTRICTED_USE, Source.BANK,
                                f"BANK_FUNDS_TO_RESTRICTED_USE:{loan.loan_id}", d.now, {}, {"loan_id": loan.loan_id,
                                                                                           **moved}))
    return found


def _drawn(d: LineDay) -> list[tuple[date, int]]:
    return [(loan.start_date, loan.principal.fen) for loan in d.loans]  # one loan per drawdown, dated its day


# The bank's own data, one detector per concern: a new signal from it is one function here (and its test).
BANK_DETECTORS: tuple[Callable[[LineDay], list[Signal]], ...] = (overdue, draw_to_repay_pattern, drawn_at_once,
                                                                  flows_falling, funds_moved_to_restricted_use)


def _bank_signals(deps: SweepPorts, line: SweptLine, loans: list[Loan], warning: EarlyWarning | None, day: date,
                  now: datetime) -> list[Signal]:
    """What the detectors find that the line's open warning does not hold already (clearings always pass)."""
    known = frozenset(c.cause_key for c in warning.causes) if warning is not None else frozenset()
    facts = LineDay(deps, line, loans, known, day, now, monitoring.warning_policy(deps.settings))
    found = [signal for detect in BANK_DETECTORS for signal in detect(facts)]
    return [s for s in found if s.cleared or s.cause_key not in known]


def _rescore_if_due(deps: SweepPorts, line: SweptLine, now: datetime) -> list[Signal]:
    """The monthly bureau refresh: the borrower's history asked for again and rescored (monitoring keeps every
    run); its signals are evaluated for all of the borrower's lines, so none are returned here."""
    every = timedelta(days=monitoring.warning_policy(deps.settings).rescore_every_days)
    if now - line.activated_at < every:
        return []  # scored at origination within the month
    state = deps.warnings.monitoring_state(line.customer_id)
    runs = state.get("rescores") or []
    if runs and now - datetime.fromisoformat(runs[-1]["at"]) < every:
        return []
    try:
        refresh_bureau(deps, line.customer_id, line.credit_line_id, now)
    except CreditDataUnavailableError:  # not connected, or not answering: asked again on tomorrow's sweep
        logger.warning("bureau refresh unavailable", extra={"credit_line_id": line.credit_line_id})
        metrics.add_metric(name="BureauRefreshUnavailable", unit="Count", value=1)
    return []


def refresh_bureau(deps: SweepPorts, customer_id: str, credit_line_id: str, now: datetime) -> dict[str, Any] | None:
    """The bureau asked again for the line's borrower (monthly, or when an officer asks) and the history rescored;
    returns the run (PD, grade, reasons), or None when the bureau has no record."""
    app = next((a for a in deps.repo.applications_of_customer(customer_id)
                if a.credit_line_id == credit_line_id), None)
    front = next((d for d in deps.repo.documents_of(app.application_id)
                  if d.doc_type == "ID_CARD_FRONT" and "id_number_sealed" in d.fields), None) if app else None
    if app is None or front is None:
        return None
    id_number = deps.cipher.decrypt(front.fields["id_number_sealed"], app.application_id)
    report = deps.bureau.report(id_number)
    if report is None:
        return None
    record = ExternalRecord(FeedSource.BUREAU, f"REFRESH-{customer_id}-{now.isoformat()}", now,
                            {"report": {k: v for k, v in report.items() if k != "record"}}, id_number=id_number)
    monitoring.apply_record(deps, customer_id, record)
    runs = deps.warnings.monitoring_state(customer_id).get("rescores") or [None]
    return dict(runs[-1]) if runs[-1] else None
