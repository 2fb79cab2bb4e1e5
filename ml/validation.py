"""Validation beyond one split: k-fold cross-validated AUC (mean ± sd), a bootstrap interval on the held-out AUC,
and a challenger model side by side.

A single train/test split gives one AUC, which depends on which rows fell where; the repeated estimate says how
much it moves. The challenger is what a bank's validation team would build independently: a binned logistic
scorecard (each feature cut into quantile bins, one weight per bin), simple enough to read by hand. If the
champion cannot beat it clearly, its extra complexity is not earning its keep."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import KBinsDiscretizer

FOLDS = 5
BOOTSTRAP_SAMPLES = 1000


def challenger() -> Any:
    """Binned logistic scorecard: quantile bins per feature, one-hot, L2-regularised logistic regression."""
    # discrete features (months late) have fewer distinct values than bins: sklearn merges those bins, as intended
    return make_pipeline(KBinsDiscretizer(n_bins=6, encode="onehot", strategy="quantile", subsample=None,
                                          quantile_method="averaged_inverted_cdf"),
                         LogisticRegression(C=1.0, max_iter=2000))


def cross_validated_auc(make_model: Any, x: np.ndarray, y: np.ndarray, seed: int) -> dict[str, Any]:
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    scores = []
    for train, test in folds.split(x, y):
        model = make_model().fit(x[train], y[train])
        scores.append(float(roc_auc_score(y[test], model.predict_proba(x[test])[:, 1])))
    return {"folds": FOLDS, "auc_mean": float(np.mean(scores)), "auc_sd": float(np.std(scores, ddof=1)),
            "auc_by_fold": scores}


def bootstrap_auc_interval(y: np.ndarray, p: np.ndarray, seed: int, level: float = 0.95) -> dict[str, float]:
    """Percentile interval of the AUC over resamples of the held-out rows (with replacement)."""
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(BOOTSTRAP_SAMPLES):
        pick = rng.integers(0, len(y), len(y))
        if y[pick].min() == y[pick].max():
            continue  # a resample with one class has no AUC
        values.append(float(roc_auc_score(y[pick], p[pick])))
    tail = (1 - level) / 2 * 100
    return {"level": level, "low": float(np.percentile(values, tail)), "high": float(np.percentile(values, 100 - tail)),
            "samples": len(values)}


def validate(x_rest: np.ndarray, y_rest: np.ndarray, x_hold: np.ndarray, y_hold: np.ndarray, p_hold: np.ndarray,
             champion_params: dict[str, Any], monotone: list[int], seed: int) -> dict[str, Any]:
    def champion() -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(monotonic_cst=monotone, random_state=seed, **champion_params)

    scorecard = challenger().fit(x_rest, y_rest)
    p_challenger = scorecard.predict_proba(x_hold)[:, 1]
    return {
        "champion": {"cross_validated": cross_validated_auc(champion, x_rest, y_rest, seed),
                     "holdout_auc_interval": bootstrap_auc_interval(y_hold, p_hold, seed)},
        "challenger": {"name": "binned logistic scorecard (6 quantile bins per feature)",
                       "cross_validated": cross_validated_auc(challenger, x_rest, y_rest, seed),
                       "holdout_auc": float(roc_auc_score(y_hold, p_challenger)),
                       "holdout_auc_interval": bootstrap_auc_interval(y_hold, p_challenger, seed)},
    }
