"""Model monitoring (模型监控): is the risk model still looking at the population it was trained on, and how do
the loans it approved behave?

- **Stability (PSI)**: the share of scores per grade band this month against the training baseline (the fitting
  rows' shares, kept beside the model). PSI = sum((a - e) * ln(a / e)). Below 0.10 stable; from 0.10 watch; from
  0.25 act (recalibrate or retrain), the thresholds banks commonly use. Computed for new applications and for
  the rescored book (the monthly bureau refresh of borrowers with money out); a month with fewer scores than the
  bank's minimum sample is shown as such (样本不足) and raises nothing.
- **Vintage curves**: for each origination month, the share of its loans that have ever been 30 days or more
  past due, by months on book.
- **Roll rates**: of the loans in a delinquency bucket at the start of a month, the share in each bucket now."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .classification import Bucket

PSI_WATCH = 0.10
PSI_ACT = 0.25


def psi(baseline_shares: dict[str, float], counts: dict[str, int]) -> float | None:
    """None when nothing was scored (no population to compare)."""
    total = sum(counts.values())
    if total == 0:
        return None
    value = 0.0
    for band, expected in baseline_shares.items():
        e = max(expected, 1e-6)
        a = max(counts.get(band, 0) / total, 1e-6)
        value += (a - e) * math.log(a / e)
    return round(value, 4)


def stability(value: float | None, scored: int | None = None, min_sample: int = 0) -> str:
    """The month's verdict. Over fewer scores than ``min_sample`` the shares are noise (eight applications once
    read PSI 8.03): INSUFFICIENT_SAMPLE, which raises no warning, whatever the figure."""
    if value is None:
        return "NO_DATA"
    if scored is not None and scored < min_sample:
        return "INSUFFICIENT_SAMPLE"
    return "ACT" if value >= PSI_ACT else "WATCH" if value >= PSI_WATCH else "STABLE"


def months_between(start: str, end: str) -> int:
    """Whole months from one YYYY-MM to another (months on book)."""
    y1, m1 = (int(x) for x in start.split("-"))
    y2, m2 = (int(x) for x in end.split("-"))
    return (y2 - y1) * 12 + (m2 - m1)


@dataclass(frozen=True)
class VintagePoint:
    months_on_book: int
    loans: int
    ever_30_dpd: int

    @property
    def share(self) -> float:
        return self.ever_30_dpd / self.loans if self.loans else 0.0


def vintage_curves(monthly: dict[str, dict[str, int]]) -> dict[str, list[VintagePoint]]:
    """``monthly``: for each month's snapshot, its "cohort|month|loans" and "cohort|month|ever30" counters (the
    last sweep of the month). The curve of a cohort has one point per month it was observed."""
    curves: dict[str, list[VintagePoint]] = {}
    for counters in monthly.values():
        for key, loans in counters.items():
            cohort, month, kind = key.split("|")
            if kind != "loans":
                continue
            ever = counters.get(f"{cohort}|{month}|ever30", 0)
            curves.setdefault(cohort, []).append(VintagePoint(months_between(cohort, month), loans, ever))
    return {c: sorted(points, key=lambda p: p.months_on_book) for c, points in sorted(curves.items())}


def roll_rates(rolls: dict[str, int]) -> dict[str, dict[str, float]]:
    """From "start>now" counts to the share of each starting bucket in each bucket now (rows sum to 1)."""
    order = [b.value for b in Bucket]
    rates: dict[str, dict[str, float]] = {}
    for start in order:
        row = {now: rolls.get(f"{start}>{now}", 0) for now in order}
        total = sum(row.values())
        if total:
            rates[start] = {now: round(count / total, 4) for now, count in row.items()}
    return rates
