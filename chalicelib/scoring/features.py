"""Model inputs from a credit bureau history (征信): one definition, used by training (ml/train.py) and by the
run-time scorer, so the two can never drift. Protected attributes (SEX, MARRIAGE, AGE, EDUCATION) are not inputs:
they are kept only to check the model for unfair treatment.

Raw fields (the bureau report, newest month first): LIMIT_BAL, PAY_0, PAY_2..PAY_6 (repayment status: -2 no use,
-1 paid in full, 0 minimum paid, 1..9 months late), BILL_AMT1..6 (balances), PAY_AMT1..6 (repayments)."""

from __future__ import annotations

from collections.abc import Mapping

PAY = ("PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6")
BILL = tuple(f"BILL_AMT{i}" for i in range(1, 7))
PAID = tuple(f"PAY_AMT{i}" for i in range(1, 7))
RAW_FIELDS = ("LIMIT_BAL", *PAY, *BILL, *PAID)
PROTECTED = ("SEX", "EDUCATION", "MARRIAGE", "AGE")

# name, direction of risk as the value grows (+1 riskier, -1 safer, 0 no constraint: the monthly statuses are
# codes, not amounts - "no use" (-2) is not safer than "paid in full" (-1)), reason code
FEATURES: tuple[tuple[str, int, str], ...] = (
    ("status_m1", 0, "RECENT_LATE_PAYMENT"),
    ("status_m2", 0, "RECENT_LATE_PAYMENT"),
    ("status_m3", 0, "PAST_LATE_PAYMENT"),
    ("status_m4", 0, "PAST_LATE_PAYMENT"),
    ("status_m5", 0, "PAST_LATE_PAYMENT"),
    ("status_m6", 0, "PAST_LATE_PAYMENT"),
    ("worst_delay", 0, "WORST_DELAY"),
    ("months_late", 1, "MONTHS_LATE"),
    ("months_paid_in_full", 0, "FEW_FULL_REPAYMENTS"),
    ("credit_limit", 0, "LOW_EXISTING_LIMIT"),
    ("utilisation_now", 0, "HIGH_UTILISATION"),
    ("utilisation_avg", 1, "HIGH_UTILISATION"),
    ("repaid_share_m1", 0, "LOW_REPAYMENT"),
    ("repaid_share_m2", 0, "LOW_REPAYMENT"),
    ("repaid_share_m3", 0, "LOW_REPAYMENT"),
    ("repaid_share_6m", -1, "LOW_REPAYMENT"),
    ("balance_growth", 0, "GROWING_BALANCE"),
    ("last_repayment", 0, "LOW_REPAYMENT"),
)
FEATURE_NAMES = tuple(name for name, _, _ in FEATURES)


def _ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator > 0 else 0.0


def features(row: Mapping[str, float]) -> list[float]:
    """The model's inputs, in FEATURE_NAMES order. Every value is finite (no missing-value paths at run time)."""
    status = [float(row[c]) for c in PAY]
    bills = [float(row[c]) for c in BILL]
    paid = [float(row[c]) for c in PAID]
    limit = float(row["LIMIT_BAL"])
    return [
        *status,
        max(status),
        float(sum(1 for s in status if s > 0)),
        float(sum(1 for s in status if s == -1)),
        limit,
        _ratio(bills[0], limit),
        _ratio(sum(bills) / 6, limit),
        min(_ratio(paid[0], bills[1]), 2.0) if bills[1] > 0 else 2.0,
        min(_ratio(paid[1], bills[2]), 2.0) if bills[2] > 0 else 2.0,
        min(_ratio(paid[2], bills[3]), 2.0) if bills[3] > 0 else 2.0,
        min(_ratio(sum(paid), sum(max(b, 0.0) for b in bills)), 2.0) if sum(max(b, 0.0) for b in bills) > 0 else 2.0,
        _ratio(bills[0] - bills[5], limit),
        paid[0],
    ]
