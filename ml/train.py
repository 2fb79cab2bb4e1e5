"""Trains the credit risk model on the bureau repayment histories and writes the versioned artefact the run time
scores with (chalicelib/scoring/models/risk-v1.json) and the figures of the model card (docs/model-card.md).

    .venv/bin/python -m ml.train [--data ../shared/data/credit/bureau_history_train.csv]     (make model)

Model: gradient-boosted trees (scikit-learn HistGradientBoostingClassifier) on the features of
chalicelib/scoring/features.py - protected attributes are never inputs - with monotone constraints where the
direction is a business fact (more late months, higher utilisation: never safer; a larger repaid share: never
riskier), then Platt calibration on a separate calibration split. Exported as plain trees (thresholds, children,
values) plus the calibration: the run time needs no scikit-learn, and a test proves it reproduces scikit-learn's
probabilities to 1e-6. Explanations are exact per-feature path contributions (Saabas) over the same trees.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from chalicelib.scoring.features import FEATURE_NAMES, FEATURES, PROTECTED, features
from ml.validation import validate

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "credit" / "bureau_history_train.csv"
ARTEFACT = ROOT / "chalicelib" / "scoring" / "models" / "risk-v1.json"
METRICS = ROOT / "ml" / "metrics.json"
SEED = 20261129
HOLDOUT = 0.20  # of the file: never seen by training or calibration; the model card's figures come from it
CALIBRATION = 0.20  # of the rest: fits the Platt calibration only
PARAMS = {"max_iter": 400, "learning_rate": 0.05, "max_leaf_nodes": 15, "min_samples_leaf": 100,
          "l2_regularization": 1.0, "early_stopping": True, "validation_fraction": 0.1, "n_iter_no_change": 20}
# Grade bands on the calibrated PD, and what the product does with each grade (documented in the model card).
GRADES = (("A", 0.05), ("B", 0.10), ("C", 0.15), ("D", 0.25), ("E", 0.45), ("F", 1.01))


def load(path: Path) -> tuple[list[dict[str, Any]], np.ndarray, np.ndarray]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [{k: float(v) for k, v in r.items()} for r in csv.DictReader(handle)]
    x = np.array([features(r) for r in rows], dtype=np.float64)
    y = np.array([int(r["DEFAULT"]) for r in rows])
    return rows, x, y


def export_trees(model: HistGradientBoostingClassifier) -> list[dict[str, list[Any]]]:
    lr = model.learning_rate
    trees = []
    for (predictor,) in model._predictors:
        nodes = predictor.nodes
        if np.any(nodes["is_categorical"]):
            raise ValueError("categorical splits are not exported")
        leaf = nodes["is_leaf"].astype(bool)
        trees.append({
            "feature": [int(f) if not is_leaf else -1 for f, is_leaf in zip(nodes["feature_idx"], leaf, strict=True)],
            "threshold": [float(t) for t in nodes["num_threshold"]],
            "left": [int(v) for v in nodes["left"]],
            "right": [int(v) for v in nodes["right"]],
            # leaves carry the shrunk value scikit-learn adds; inner nodes are shrunk here so that path
            # contributions (child - parent) are on the same scale and sum exactly to the leaf value
            "value": [float(v) if is_leaf else float(v) * lr for v, is_leaf in zip(nodes["value"], leaf, strict=True)],
        })
    return trees


def ks_statistic(y: np.ndarray, p: np.ndarray) -> float:
    order = np.argsort(p)
    cum_bad = np.cumsum(y[order]) / y.sum()
    cum_good = np.cumsum(1 - y[order]) / (len(y) - y.sum())
    return float(np.max(np.abs(cum_bad - cum_good)))


def auc(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, p))


def grade_of(pd: float) -> str:
    return next(g for g, upper in GRADES if pd < upper)


def psi(expected: np.ndarray, actual: np.ndarray, edges: list[float]) -> float:
    e = np.histogram(expected, bins=edges)[0] / len(expected)
    a = np.histogram(actual, bins=edges)[0] / len(actual)
    e, a = np.clip(e, 1e-6, None), np.clip(a, 1e-6, None)
    return float(np.sum((a - e) * np.log(a / e)))


def write_stability_baseline(baseline: dict[str, Any]) -> None:
    """What model monitoring compares each month's scores with, shipped beside the model artefact."""
    shares = {grade: round(share, 6) for (grade, _), share in zip(GRADES, baseline["fit_share"], strict=True)}
    ARTEFACT.with_name("risk-v1.baseline.json").write_text(json.dumps(
        {"model": "risk-v1", "source": "ml/metrics.json psi_baseline (the fitting rows' share per grade band)",
         "grade_shares": shares}, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    rows, x, y = load(args.data)
    data_sha = hashlib.sha256(args.data.read_bytes()).hexdigest()
    idx = np.arange(len(y))
    rest, holdout = train_test_split(idx, test_size=HOLDOUT, stratify=y, random_state=SEED)
    fit, calib = train_test_split(rest, test_size=CALIBRATION, stratify=y[rest], random_state=SEED)
    model = HistGradientBoostingClassifier(monotonic_cst=[d for _, d, _ in FEATURES], random_state=SEED, **PARAMS)
    model.fit(x[fit], y[fit])
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(model.decision_function(x[calib]).reshape(-1, 1), y[calib])

    def predict(rows_x: np.ndarray) -> np.ndarray:
        return platt.predict_proba(model.decision_function(rows_x).reshape(-1, 1))[:, 1]

    p_hold, p_fit = predict(x[holdout]), predict(x[fit])
    edges = [0.0, *[upper for _, upper in GRADES[:-1]], 1.0]
    calibration_table = []
    for name, lower, upper in zip([g for g, _ in GRADES], edges[:-1], edges[1:], strict=True):
        band = (p_hold >= lower) & (p_hold < upper)
        calibration_table.append({"grade": name, "pd_from": lower, "pd_to": upper, "rows": int(band.sum()),
                                  "mean_pd": float(p_hold[band].mean()) if band.any() else None,
                                  "bad_rate": float(y[holdout][band].mean()) if band.any() else None})
    approved = np.array([grade_of(p) in ("A", "B", "C") for p in p_hold])
    fairness = []
    raw = [rows[i] for i in holdout]
    groups = {"SEX=1 (male)": [r["SEX"] == 1 for r in raw], "SEX=2 (female)": [r["SEX"] == 2 for r in raw]}
    for lo, hi in ((0, 30), (30, 40), (40, 50), (50, 200)):
        groups[f"AGE {lo}-{hi - 1 if hi < 200 else '+'}"] = [lo <= r["AGE"] < hi for r in raw]
    for name, mask_list in groups.items():
        mask = np.array(mask_list)
        fairness.append({"group": name, "rows": int(mask.sum()), "approval_rate": float(approved[mask].mean()),
                         "bad_rate_approved": float(y[holdout][mask & approved].mean()) if (mask & approved).any()
                         else None, "bad_rate_all": float(y[holdout][mask].mean())})
    metrics = {
        "data_sha256": data_sha, "rows": len(y), "split": {"fit": len(fit), "calibration": len(calib),
                                                           "holdout": len(holdout), "seed": SEED},
        "iterations": int(model.n_iter_), "params": PARAMS,
        "holdout": {"auc": auc(y[holdout], p_hold), "ks": ks_statistic(y[holdout], p_hold),
                    "brier": float(np.mean((p_hold - y[holdout]) ** 2)), "bad_rate": float(y[holdout].mean()),
                    "approval_rate": float(approved.mean())},
        "fit_auc": auc(y[fit], p_fit),
        "calibration_table": calibration_table,
        "psi_baseline": {"edges": edges, "fit_share": (np.histogram(p_fit, bins=edges)[0] / len(p_fit)).tolist(),
                         "psi_holdout_vs_fit": psi(p_fit, p_hold, edges)},
        "fairness": fairness,
        "protected_attributes_excluded": list(PROTECTED),
        "validation": validate(x[rest], y[rest], x[holdout], y[holdout], p_hold, PARAMS,
                               [d for _, d, _ in FEATURES], SEED),
    }
    artefact = {
        "model": "risk", "version": "1", "kind": "gbdt-binary-logistic+platt",
        "trained_on_sha256": data_sha, "features": list(FEATURE_NAMES),
        "reason_codes": [code for _, _, code in FEATURES],
        "baseline": float(np.asarray(model._baseline_prediction).ravel()[0]),
        "platt": {"a": float(platt.coef_[0][0]), "b": float(platt.intercept_[0])},
        "grades": [{"grade": g, "pd_below": u} for g, u in GRADES],
        "trees": export_trees(model),
    }
    ARTEFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTEFACT.write_text(json.dumps(artefact, separators=(",", ":")) + "\n", encoding="utf-8")
    METRICS.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    write_stability_baseline(metrics["psi_baseline"])
    # the reference probabilities the run time must reproduce, on 200 holdout rows (a small derived fixture)
    sample = holdout[:200]
    reference = [{"ID": int(rows[i]["ID"]), "features": x[i].tolist(), "pd": float(p)}
                 for i, p in zip(sample, predict(x[sample]), strict=True)]
    (ROOT / "tests" / "fixtures" / "risk_reference.json").write_text(json.dumps(reference) + "\n", encoding="utf-8")
    h = metrics["holdout"]
    print(f"trees {model.n_iter_}  holdout AUC {h['auc']:.4f}  KS {h['ks']:.4f}  Brier {h['brier']:.4f}  "  # noqa: T201
          f"approval {h['approval_rate']:.1%}  PSI {metrics['psi_baseline']['psi_holdout_vs_fit']:.4f}")
    if not math.isfinite(h["auc"]):
        raise SystemExit("training failed")


if __name__ == "__main__":
    main()
