"""The daily sweep of one shard of the portfolio (the sweep state machine runs one per shard, see
domain/portfolio.py): for each line still at risk, the day's auto-debit of its loans, the bank's own signals
(days past due, a failed debit, drawing to repay, the whole line drawn at once), the monthly bureau refresh and
rescoring, each loan's five-category classification, and the shard's figures for the portfolio view.

Everything here is safe to run twice for the same day: collections are idempotent by instalment, a signal
already among the warning's causes is not sent again, a classification moves only from the category read."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from ...domain.classification import bucket_of, classify
from ...domain.credit_line import CreditLineStatus
from ...domain.early_warning import EarlyWarning, Signal, Source, WarningStatus
from ...domain.errors import CreditDataUnavailableError
from ...domain.external_records import ExternalRecord, FeedSource
from ...domain.loan import Loan, LoanReview, LoanStatus
from ...domain.portfolio import ShardFigures
from ...domain.warning_signals import draw_to_repay, line_drawn_at_once
from ...observability import logger, metrics
from ...ports import SweptLine
from .. import monitoring
from ..deps import Dependencies
from ..servicing import auto_debit as servicing

RESCORE_EVERY = timedelta(days=30)  # the bureau is asked again monthly for each borrower with a line at risk
PATTERN_WINDOW_DAYS = 3  # 借新还旧: a drawdown this close before a due date, then that instalment repaid
ACTIVATION_WINDOW_DAYS = 7  # the whole line drawn this soon after activation


def sweep_shard(deps: Dependencies, shard: int, day: date) -> dict[str, Any]:
    figures = ShardFigures()
    now = deps.clock.now()
    for line in deps.repo.lines_in_shard(shard):
        status = line.status
        if status in monitoring.MONITORED and _sweep_line(deps, line, day, now, figures):
            status = deps.repo.get_credit_line(line.credit_line_id).status  # a refused debit or a RED froze it
        figures.lines_frozen += status is CreditLineStatus.FROZEN
        figures.lines_active += status is CreditLineStatus.ACTIVE
    deps.repo.save_shard_figures(day, shard, figures.to_dict())
    metrics.add_metric(name="SweepLoansClassified", unit="Count", value=figures.loans)
    metrics.add_metric(name="SweepSignals", unit="Count", value=figures.signals)
    logger.info("sweep shard", extra={"shard": shard, "day": day.isoformat(), "loans": figures.loans,
                                      "signals": figures.signals, "reclassified": figures.reclassified})
    return {"shard": shard, "lines": figures.lines_active + figures.lines_frozen, "loans": figures.loans,
            "signals": figures.signals, "reclassified": figures.reclassified, "collected": figures.collected}


def _sweep_line(deps: Dependencies, line: SweptLine, day: date, now: datetime, figures: ShardFigures) -> bool:
    """True when the line's status may have changed (a debit refused, a signal evaluated)."""
    if line.available_fen == line.limit_fen:
        return False  # nothing drawn, reserved or owed: nothing to collect, classify or rescore
    loans = [loan for loan in deps.repo.loans_of_line(line.customer_id, line.credit_line_id)
             if loan.status is LoanStatus.ACTIVE]
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
        found = classify(dpd, level, policy)
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
    return touched


def _due(loan: Loan, day: date) -> bool:
    due = loan.next_due()
    return due is not None and due.due_date <= day


def _bank_signals(deps: Dependencies, line: SweptLine, loans: list[Loan], warning: EarlyWarning | None, day: date,
                  now: datetime) -> list[Signal]:
    """The bank's own data: only what the line's open warning does not hold already, and a clearing for each
    overdue cause whose loan has caught up."""
    known = {c.cause_key for c in warning.causes} if warning is not None else set()
    policy = monitoring.warning_policy(deps)
    found: list[Signal] = []
    for loan in loans:
        dpd = loan.days_past_due(day)
        if loan.overdue_since is not None:
            tier = "30" if dpd >= policy.red_days_past_due else "1"
            evidence = {"loan_id": loan.loan_id, "overdue_since": loan.overdue_since.isoformat(),
                        "days_past_due": dpd}
            if dpd >= policy.yellow_days_past_due:
                found.append(Signal("BANK_DAYS_PAST_DUE", Source.BANK,
                                    f"BANK_DPD:{loan.loan_id}:{loan.overdue_since}:{tier}", now,
                                    {"days_past_due": dpd}, evidence))
            found.append(Signal("BANK_AUTO_DEBIT_FAILED", Source.BANK,
                                f"BANK_AUTO_DEBIT_FAILED:{loan.loan_id}:{loan.overdue_since}", now, {}, evidence))
        current = f"{loan.overdue_since}" if loan.overdue_since else None
        for key in known:  # overdue causes of this loan that no longer stand: caught up, or a new episode
            parts = key.split(":")
            if parts[0] in ("BANK_DPD", "BANK_AUTO_DEBIT_FAILED") and parts[1] == loan.loan_id \
                    and parts[2] != current:
                found.append(Signal(parts[0] if parts[0] != "BANK_DPD" else "BANK_DAYS_PAST_DUE", Source.BANK,
                                    key, now, {}, {}, cleared=True))
    found += _drawing_patterns(deps, line, loans, day, now)
    return [s for s in found if s.cleared or s.cause_key not in known]


def _drawing_patterns(deps: Dependencies, line: SweptLine, loans: list[Loan], day: date,
                      now: datetime) -> list[Signal]:
    """Read from the line's ledger, and only when a pattern can have just appeared: a due date in the last few
    days, or a line activated within the week."""
    dues = [i.due_date for loan in loans for i in loan.schedule
            if day - timedelta(days=PATTERN_WINDOW_DAYS) <= i.due_date <= day]
    activated = line.activated_at.date()
    fresh = day - activated <= timedelta(days=ACTIVATION_WINDOW_DAYS)
    if not dues and not fresh:
        return []
    from ...domain.business_date import business_date

    drawn = [(loan.start_date, loan.principal.fen) for loan in loans]  # one loan per drawdown, dated its day
    found: list[Signal] = []
    pattern = None
    if dues:
        repaid = [(business_date(t.booked_at), sum(leg.debit.fen for leg in t.legs))
                  for t in deps.repo.ledger_of(line.credit_line_id) if t.kind == "REPAYMENT"]
        pattern = draw_to_repay(drawn, repaid, dues, PATTERN_WINDOW_DAYS)
    if pattern is not None:
        found.append(Signal("BANK_DRAW_TO_REPAY", Source.BANK, f"BANK_DRAW_TO_REPAY:{pattern['due_date']}", now,
                            {}, pattern))
    at_once = line_drawn_at_once(activated, line.limit_fen, drawn, ACTIVATION_WINDOW_DAYS) if fresh else None
    if at_once is not None:
        found.append(Signal("BANK_LINE_DRAWN_AT_ONCE", Source.BANK, f"BANK_LINE_DRAWN_AT_ONCE:{line.credit_line_id}",
                            now, {}, at_once))
    return found


def _rescore_if_due(deps: Dependencies, line: SweptLine, now: datetime) -> list[Signal]:
    """The monthly bureau refresh: the borrower's history asked for again and rescored (monitoring keeps every
    run); its signals are evaluated for all of the borrower's lines, so none are returned here."""
    if now - line.activated_at < RESCORE_EVERY:
        return []  # scored at origination within the month
    state = deps.warnings.monitoring_state(line.customer_id)
    runs = state.get("rescores") or []
    if runs and now - datetime.fromisoformat(runs[-1]["at"]) < RESCORE_EVERY:
        return []
    try:
        refresh_bureau(deps, line.customer_id, line.credit_line_id, now)
    except CreditDataUnavailableError:  # not connected, or not answering: asked again on tomorrow's sweep
        logger.warning("bureau refresh unavailable", extra={"credit_line_id": line.credit_line_id})
        metrics.add_metric(name="BureauRefreshUnavailable", unit="Count", value=1)
    return []


def refresh_bureau(deps: Dependencies, customer_id: str, credit_line_id: str, now: datetime) -> dict[str, Any] | None:
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
