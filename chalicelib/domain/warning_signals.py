"""Post-loan signals derived from raw records: the figures the early-warning rules read.

Each function takes what a source reports (monthly tax declarations, two bureau refreshes, the bank's own
drawdowns and repayments) and returns the facts of a signal, or None when there is nothing to say. Amounts are
integers of fen; ratios are floats only where they are ratios (a fall of 0.3 = 30%), never money."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .customer_record import RESTRICTED_COUNTERPARTIES, BankRelationship, OutgoingPayment
from .early_warning import SignalKind
from .schedules import add_months


def tax_sales_drop(monthly_sales_fen: dict[str, int], recent_months: int = 3) -> dict[str, Any] | None:
    """How far the latest months' declared sales fell, against the same months a year earlier and against the
    trailing six months before them; the larger fall is the signal. Keys are 'YYYY-MM'. None when the history
    is too short to compare or nothing fell."""
    if len(monthly_sales_fen) < recent_months + 1:
        return None
    months = sorted(monthly_sales_fen)
    recent = months[-recent_months:]
    recent_total = sum(monthly_sales_fen[m] for m in recent)
    drops: dict[str, float] = {}
    year_ago = [_shift(m, -12) for m in recent]
    if all(m in monthly_sales_fen for m in year_ago):
        base = sum(monthly_sales_fen[m] for m in year_ago)
        if base > 0:
            drops["year_on_year"] = 1 - recent_total / base
    trailing = months[-recent_months - 6:-recent_months]
    if len(trailing) == 6:
        average = sum(monthly_sales_fen[m] for m in trailing) / 6
        if average > 0:
            drops["trailing_6m"] = 1 - (recent_total / recent_months) / average
    if not drops or max(drops.values()) <= 0:
        return None
    basis = max(drops, key=lambda k: drops[k])
    return {"drop_ratio": round(drops[basis], 4), "basis": basis, "months": recent}


def _shift(month: str, delta: int) -> str:
    year, mon = (int(x) for x in month.split("-"))
    index = year * 12 + (mon - 1) + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


@dataclass(frozen=True)
class BureauSnapshot:
    """What a bureau refresh says about a borrower elsewhere (other lenders only)."""

    lenders: int
    inquiries_3m: int
    overdue_fen: int
    credit_limit_fen: int
    balance_fen: int

    @property
    def utilisation(self) -> float:
        return self.balance_fen / self.credit_limit_fen if self.credit_limit_fen else 0.0


def bureau_changes(before: BureauSnapshot | None, after: BureauSnapshot) -> list[tuple[SignalKind, dict[str, Any]]]:
    """The signals between two refreshes (the first refresh compares with nothing: only its absolute figures)."""
    signals: list[tuple[SignalKind, dict[str, Any]]] = []
    new_overdue = after.overdue_fen - (before.overdue_fen if before else 0)
    if new_overdue > 0:
        signals.append((SignalKind.BUREAU_NEW_OVERDUE, {"new_overdue_fen": new_overdue}))
    if before is not None and after.lenders > before.lenders:
        signals.append((SignalKind.BUREAU_LENDERS, {"lender_increase": after.lenders - before.lenders}))
    if after.inquiries_3m > 0:
        signals.append((SignalKind.BUREAU_INQUIRIES, {"inquiries_3m": after.inquiries_3m}))
    if before is not None and after.utilisation > before.utilisation:
        signals.append((SignalKind.BUREAU_UTILISATION,
                        {"utilisation_increase": round(after.utilisation - before.utilisation, 4)}))
    return signals


def draw_to_repay(drawdowns: list[tuple[date, int]], repayments: list[tuple[date, int]],
                  due_dates: list[date], window_days: int = 3) -> dict[str, Any] | None:
    """借新还旧: money drawn on or within ``window_days`` before a due date, and that instalment repaid from it
    (a repayment on or before the due date no larger than the drawdown). Dates are Beijing business dates."""
    for due in due_dates:
        drawn = [(d, fen) for d, fen in drawdowns if due - timedelta(days=window_days) <= d <= due]
        repaid = [(d, fen) for d, fen in repayments if due - timedelta(days=window_days) <= d <= due]
        for drawn_on, drawn_fen in drawn:
            for repaid_on, repaid_fen in repaid:
                if repaid_on >= drawn_on and repaid_fen <= drawn_fen:
                    return {"due_date": due.isoformat(), "drawn_on": drawn_on.isoformat(),
                            "drawn_fen": drawn_fen, "repaid_fen": repaid_fen}
    return None


def line_drawn_at_once(activated_on: date, limit_fen: int, drawdowns: list[tuple[date, int]],
                       within_days: int = 7, share: float = 0.95) -> dict[str, Any] | None:
    """Nearly the whole line drawn within days of its activation."""
    early = sum(fen for d, fen in drawdowns if d <= activated_on + timedelta(days=within_days))
    if limit_fen > 0 and early >= limit_fen * share:
        return {"drawn_fen": early, "limit_fen": limit_fen, "within_days": within_days}
    return None


def bank_flows_falling(rel: BankRelationship, drop_ratio: float) -> dict[str, object] | None:
    """The latest month's inflow, or average balance, below the average of the three months before by at least
    ``drop_ratio``: the evidence, or None."""
    found: dict[str, object] = {}
    for name, latest, before in (("inflow", rel.latest_inflow_fen, rel.previous_three_inflow_fen),
                                 ("balance", rel.latest_balance_fen, rel.previous_three_balance_fen)):
        if before > 0 and (before - latest) / before >= drop_ratio:
            found[f"{name}_latest_fen"], found[f"{name}_before_fen"] = latest, before
            found[f"{name}_drop"] = round((before - latest) / before, 4)
    if not found:
        return None
    drops = [v for k, v in found.items() if k.endswith("_drop") and isinstance(v, float)]
    return {**found, "drop_ratio": max(drops)}


def funds_to_restricted_use(payout_on: date, principal_fen: int, payments: list[OutgoingPayment], days: int,
                            share: float) -> dict[str, object] | None:
    """The loan's money moved on within ``days`` of the payout to a securities, futures or property counterparty,
    in all at least ``share`` of the principal (the use-of-funds rule of internet lending): the evidence, or None."""
    moved = [p for p in payments if p.counterparty_category in RESTRICTED_COUNTERPARTIES
             and payout_on <= p.on <= payout_on + timedelta(days=days)]
    total = sum(p.amount_fen for p in moved)
    if not moved or total < principal_fen * share:
        return None
    return {"payout_on": payout_on.isoformat(), "principal_fen": principal_fen, "moved_fen": total,
            "payments": [{"on": p.on.isoformat(), "amount_fen": p.amount_fen, "category": p.counterparty_category}
                         for p in moved]}


def annual_review_year(activated: date, valid_until: date, today: date) -> int | None:
    """A line valid for longer than 12 months is re-reviewed every year it runs: the number of the anniversary
    reached (1, 2, ...) while the line is still valid, or None (a 12-month line, or before its first anniversary)."""
    if valid_until <= add_months(activated, 12) or today >= valid_until:
        return None
    years = 0
    while add_months(activated, 12 * (years + 1)) <= today:
        years += 1
    return years or None
