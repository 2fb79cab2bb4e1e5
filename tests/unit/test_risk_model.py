"""The run-time model reproduces scikit-learn's probabilities (saved by ml/train.py for 200 holdout rows) to 1e-6,
and its explanations add up."""

import json
import math
from pathlib import Path

import pytest

from chalicelib.scoring.model import RiskModel, score_points

REFERENCE = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "risk_reference.json").read_text())


def test_reproduces_scikit_learn_to_one_in_a_million() -> None:
    model = RiskModel.load()
    worst = max(abs(model.pd(row["features"]) - row["pd"]) for row in REFERENCE)
    assert worst < 1e-6, worst


def test_contributions_sum_to_the_raw_score() -> None:
    model = RiskModel.load()
    for row in REFERENCE[:50]:
        x = row["features"]
        assert sum(model.contributions(x)) == pytest.approx(model.raw(x) - model._baseline, abs=1e-9)


def test_a_history_of_late_payments_is_riskier_and_says_why() -> None:
    model = RiskModel.load()
    good = {"LIMIT_BAL": 200_000, **{p: -1 for p in ("PAY_0", "PAY_2", "PAY_3", "PAY_4", "PAY_5", "PAY_6")},
            **{f"BILL_AMT{i}": 10_000 for i in range(1, 7)}, **{f"PAY_AMT{i}": 10_000 for i in range(1, 7)}}
    bad = {**good, "LIMIT_BAL": 20_000, "PAY_0": 3, "PAY_2": 2, "PAY_3": 2,
           **{f"BILL_AMT{i}": 19_500 for i in range(1, 7)}, **{f"PAY_AMT{i}": 0 for i in range(1, 7)}}
    a, b = model.assess(good), model.assess(bad)
    assert a.pd < 0.10 < 0.45 < b.pd and a.grade < b.grade and a.score > b.score
    assert b.reasons[0] in ("RECENT_LATE_PAYMENT", "WORST_DELAY", "MONTHS_LATE") and len(b.reasons) == 3


def test_the_score_scale() -> None:
    assert score_points(1 / 21) == 600
    assert score_points(1 / 41) == pytest.approx(650, abs=1)
    assert not math.isnan(score_points(0.0))
