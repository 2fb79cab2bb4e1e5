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
    # each reason comes with its contribution (what the console charts): positive, worst first
    assert len(b.contributions) == 3 and all(c > 0 for c in b.contributions)
    assert list(b.contributions) == sorted(b.contributions, reverse=True)


def test_the_score_scale() -> None:
    assert score_points(1 / 21) == 600
    assert score_points(1 / 41) == pytest.approx(650, abs=1)
    assert not math.isnan(score_points(0.0))


def test_the_model_card_reports_the_repeated_estimate_and_a_challenger() -> None:
    """The figures `make model` wrote: cross-validated AUC with its spread, a bootstrap interval that contains the
    held-out AUC, and a challenger the champion beats by a margin the card states."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    metrics = json.loads((root / "ml" / "metrics.json").read_text(encoding="utf-8"))
    champion, challenger = metrics["validation"]["champion"], metrics["validation"]["challenger"]
    cv = champion["cross_validated"]
    assert cv["folds"] == len(cv["auc_by_fold"]) == 5 and 0.5 < cv["auc_mean"] < 1 and 0 < cv["auc_sd"] < 0.05
    interval = champion["holdout_auc_interval"]
    assert interval["low"] < metrics["holdout"]["auc"] < interval["high"] and interval["samples"] >= 900
    assert challenger["cross_validated"]["auc_mean"] < cv["auc_mean"]
    card = (root / "docs" / "model-card.md").read_text(encoding="utf-8")
    assert f"{cv['auc_mean']:.4f} ± {cv['auc_sd']:.4f}" in card and "challenger" in card
