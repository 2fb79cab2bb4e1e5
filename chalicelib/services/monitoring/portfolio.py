"""The back office's portfolio dashboard and model monitoring, from what the daily sweep wrote (shard figures
per day and per month), the live ledger of the day, the open warnings and the model's score counters."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from ...domain.classification import LoanClass
from ...domain.early_warning import Level, WarningStatus
from ...domain.errors import ValidationError
from ...domain.funnel import funnel
from ...domain.model_monitoring import psi, roll_rates, stability, vintage_curves
from ...domain.portfolio import SWEEP_SHARDS, add_up
from ...ports import Clock, LendingRepository, WarningStore
from ...settings import Settings


class PortfolioPorts(Protocol):
    """The ports the portfolio use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    clock: Clock
    repo: LendingRepository
    warnings: WarningStore
    settings: Settings


POPULATIONS = ("NEW_APPLICATIONS", "RESCORED_BOOK")


def portfolio(deps: PortfolioPorts, day: date | None = None) -> dict[str, Any]:
    """As of the latest sweep (today's, else yesterday's, unless a day is asked for); today's money movements
    and the open warnings are live."""
    today = deps.clock.today()
    as_of, shards = day, deps.repo.shard_figures(day) if day else []
    if day is None:
        for candidate in (today, today - timedelta(days=1)):
            shards = deps.repo.shard_figures(candidate)
            if shards:
                as_of = candidate
                break
    totals = add_up(shards)
    by_class = totals["outstanding_by_class"]
    assert isinstance(by_class, dict)
    outstanding = sum(by_class.values())
    npl = sum(v for k, v in by_class.items() if LoanClass[k].non_performing)
    book = deps.repo.ledger_on(today)
    moved = {kind: [sum(leg.debit.fen for leg in t.legs) for t in book if t.kind == kind]
             for kind in ("DISBURSEMENT", "REPAYMENT")}
    open_warnings = deps.warnings.warnings(WarningStatus.OPEN)
    return {
        "as_of": as_of.isoformat() if as_of else None, "today": today.isoformat(),
        "sweep_complete": len(shards) == SWEEP_SHARDS, "shards_reported": len(shards),
        "lines_active": totals["lines_active"], "lines_frozen": totals["lines_frozen"], "loans": totals["loans"],
        "outstanding_fen": outstanding, "outstanding_by_bucket": totals["outstanding_by_bucket"],
        "loans_by_bucket": totals["loans_by_bucket"], "outstanding_by_class": by_class,
        "npl_ratio": _ratio(npl, outstanding),
        "written_off": {"loans": totals["written_off_loans"], "fen": totals["written_off_fen"],
                        "recovered_fen": totals["recovered_fen"]},
        "warnings_open": {level.name: sum(1 for w in open_warnings if w.level is level) for level in Level},
        "drawdowns_awaiting_approval": len(deps.repo.drawdowns_awaiting_approval()),
        "disbursed_today": {"count": len(moved["DISBURSEMENT"]), "fen": sum(moved["DISBURSEMENT"])},
        "collected_today": {"count": len(moved["REPAYMENT"]), "fen": sum(moved["REPAYMENT"])},
    }


MAX_ORIGINATION_DAYS = 92  # a quarter: each day is two index reads (milestones, ledger)


def origination(deps: PortfolioPorts, start: date | None, end: date | None) -> dict[str, Any]:
    """The funnel and the time from submission to first payout over a period (default the last 14 days), with
    each day's stages, disbursements and collections (from the ledger: what moved, not what was asked)."""
    end = end or deps.clock.today()
    start = start or end - timedelta(days=13)
    if end < start:
        raise ValidationError("the period ends before it starts", {"field": "to"})
    days = (end - start).days + 1
    if days > MAX_ORIGINATION_DAYS:
        raise ValidationError(f"at most {MAX_ORIGINATION_DAYS} days at a time", {"field": "from", "days": days})
    period: list[dict[str, Any]] = []
    rows = []
    for n in range(days):
        day = start + timedelta(days=n)
        found = deps.repo.milestones(day)
        period.extend(found)
        book = deps.repo.ledger_on(day)
        moved = {kind: [sum(leg.debit.fen for leg in t.legs) for t in book if t.kind == kind]
                 for kind in ("DISBURSEMENT", "REPAYMENT")}
        rows.append({"date": day.isoformat(), "stages": funnel(found)["counts"],
                     "disbursed": {"count": len(moved["DISBURSEMENT"]), "fen": sum(moved["DISBURSEMENT"])},
                     "collected": {"count": len(moved["REPAYMENT"]), "fen": sum(moved["REPAYMENT"])}})
    whole = funnel(period)
    return {"from": start.isoformat(), "to": end.isoformat(), "funnel": whole["counts"],
            "submission_to_first_payout": whole["submission_to_first_payout"], "days": rows}


def model_monitoring(deps: PortfolioPorts, months: int = 6) -> dict[str, Any]:
    today = deps.clock.today()
    recent = _last_months(today, months)
    baseline = _baseline()
    stability_rows, warnings = [], []
    for month in recent:
        for population in POPULATIONS:
            counts = deps.warnings.grade_counts(month, population)
            value, scored = psi(baseline, counts), sum(counts.values())
            row = {"month": month, "population": population, "scored": scored,
                   "grade_counts": {g: counts.get(g, 0) for g in baseline}, "psi": value,
                   "status": stability(value, scored, deps.settings.model_monitoring_min_sample)}
            stability_rows.append(row)
            if row["status"] in ("WATCH", "ACT"):
                warnings.append({k: row[k] for k in ("month", "population", "psi", "status")})
    monthly = {}
    for month in recent:
        totals = add_up(deps.repo.shard_figures(month))
        vintage = totals["vintage"]
        assert isinstance(vintage, dict)
        if vintage:
            monthly[month] = vintage
    latest_rolls = add_up(deps.repo.shard_figures(recent[-1]))["rolls"]
    assert isinstance(latest_rolls, dict)
    curves = vintage_curves(monthly)
    return {
        "model": "risk-v1", "baseline_grade_shares": baseline,
        "thresholds": {"watch": 0.10, "act": 0.25, "min_sample": deps.settings.model_monitoring_min_sample,
                       "vintage_min_loans": deps.settings.vintage_min_loans},
        "stability": stability_rows, "model_warnings": warnings,
        "vintage": [{"cohort": cohort,
                     "sample_sufficient": max(p.loans for p in points) >= deps.settings.vintage_min_loans,
                     "points": [{"months_on_book": p.months_on_book, "loans": p.loans,
                                                   "ever_30_dpd": p.ever_30_dpd, "share": round(p.share, 4)}
                                                  for p in points]} for cohort, points in curves.items()],
        "roll_rates": {"month": recent[-1], "from_start_of_month": roll_rates(latest_rolls)},
    }


@lru_cache(maxsize=1)
def _baseline() -> dict[str, float]:
    path = Path(__file__).resolve().parents[2] / "scoring" / "models" / "risk-v1.baseline.json"
    return {k: float(v) for k, v in json.loads(path.read_text(encoding="utf-8"))["grade_shares"].items()}


def _last_months(today: date, count: int) -> list[str]:
    index = today.year * 12 + today.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


def _ratio(part: int, whole: int) -> str:
    """A ratio as a decimal string (never a float in an answer about money)."""
    if whole == 0:
        return "0.0000"
    return str((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP))
