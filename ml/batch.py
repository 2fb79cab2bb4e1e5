"""Batch scoring: a CSV with the bureau file's columns (DEFAULT absent) in, `ID,pd,score,grade,reasons` out.
What a portfolio rescoring job runs. Vectorised with numpy over the exported trees (no scikit-learn); for every
row it gives exactly the run-time model's answer (tested)."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from chalicelib.scoring.features import FEATURE_NAMES, RAW_FIELDS, features
from chalicelib.scoring.model import RiskModel, score_points


class BatchScorer:
    def __init__(self, model: RiskModel) -> None:
        self.model = model
        self._trees = [tuple(np.asarray(part) for part in tree) for tree in model._trees]
        self._reasons = model._reason_of

    def raw(self, x: np.ndarray) -> np.ndarray:
        return self._walk(x, explain=False)[0]

    def _walk(self, x: np.ndarray, explain: bool) -> tuple[np.ndarray, np.ndarray | None]:
        total = np.full(len(x), self.model._baseline)
        shares = np.zeros(x.shape) if explain else None
        rows = np.arange(len(x))
        for feature, threshold, left, right, value in self._trees:
            node = np.zeros(len(x), dtype=np.int64)
            while True:
                inner = feature[node] >= 0
                if not inner.any():
                    break
                f = np.where(inner, feature[node], 0)
                child = np.where(inner, np.where(x[rows, f] <= threshold[node], left[node], right[node]), node)
                if shares is not None:
                    shares[rows, f] += np.where(inner, value[child] - value[node], 0.0)
                node = child
            total += value[node]
        return total, shares

    def reasons(self, x: np.ndarray, top: int = 3) -> list[tuple[str, ...]]:
        """The same reasons as RiskModel.assess: contributions summed per reason code, positive ones, worst first."""
        _, shares = self._walk(x, explain=True)
        assert shares is not None
        codes = list(dict.fromkeys(self._reasons))
        mapping = np.zeros((len(self._reasons), len(codes)))
        for index, code in enumerate(self._reasons):
            mapping[index, codes.index(code)] = 1.0
        by_code = shares @ mapping
        out = []
        for row in by_code:
            order = [i for i in np.argsort(-row, kind="stable") if row[i] > 0][:top]
            out.append(tuple(codes[i] for i in order))
        return out

    def pd(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.model._a * self.raw(x) + self.model._b)))


def score_file(source: Path, target: Path, explain: bool = True) -> int:
    with source.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [f for f in ("ID", *RAW_FIELDS) if f not in (reader.fieldnames or [])]
        if missing:
            raise SystemExit(f"{source}: missing columns {missing}")
        rows = [{k: float(v) for k, v in r.items() if k in ("ID", *RAW_FIELDS)} for r in reader]
    model = RiskModel.load()
    x = np.array([features(r) for r in rows], dtype=np.float64).reshape(-1, len(FEATURE_NAMES))
    scorer = BatchScorer(model)
    pds = scorer.pd(x)
    reasons = scorer.reasons(x) if explain else [()] * len(rows)
    with target.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["ID", "pd", "score", "grade", "reasons"])
        for row, pd, why in zip(rows, pds, reasons, strict=True):
            pd = float(pd)
            out.writerow([int(row["ID"]), f"{pd:.6f}", score_points(pd) if math.isfinite(pd) else "",
                          model.grade(pd), "|".join(why)])
    return len(rows)
