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
    """Each tree is compiled once: leaves loop onto themselves (so every row can take the same fixed number of
    steps, no masks), left and right children sit in one array, and each leaf carries its whole path's
    contribution per reason code. Scoring is then a few gathers per tree level over all rows at once."""

    def __init__(self, model: RiskModel) -> None:
        self.model = model
        self.codes = list(dict.fromkeys(model._reason_of))
        code_of = [self.codes.index(c) for c in model._reason_of]
        self._compiled = []
        for feature, threshold, left, right, value in model._trees:
            n = len(feature)
            feat = np.array([max(f, 0) for f in feature], dtype=np.int64)
            thr = np.array([t if f >= 0 else np.inf for f, t in zip(feature, threshold, strict=True)])
            children = np.empty(2 * n, dtype=np.int64)
            leaf_contrib = np.zeros((n, len(self.codes)))
            depth = 0
            stack = [(0, np.zeros(len(self.codes)), 0)]
            while stack:
                node, path, level = stack.pop()
                if feature[node] < 0:
                    children[2 * node] = children[2 * node + 1] = node
                    leaf_contrib[node] = path
                    depth = max(depth, level)
                    continue
                children[2 * node], children[2 * node + 1] = left[node], right[node]
                for child in (left[node], right[node]):
                    step = path.copy()
                    step[code_of[feature[node]]] += value[child] - value[node]
                    stack.append((child, step, level + 1))
            self._compiled.append((feat, thr, children, np.asarray(value), leaf_contrib, depth))

    @staticmethod
    def _leaves(flat: np.ndarray, base: np.ndarray, feat: np.ndarray, thr: np.ndarray, children: np.ndarray,
                depth: int) -> np.ndarray:
        node = np.zeros(len(base), dtype=np.int64)
        for _ in range(depth):
            node = children[2 * node + (flat[base + feat[node]] > thr[node])]
        return node

    def raw_and_reasons(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = np.ascontiguousarray(x, dtype=np.float64)
        flat, base = x.ravel(), np.arange(len(x), dtype=np.int64) * x.shape[1]
        total = np.full(len(x), self.model._baseline)
        by_code = np.zeros((len(x), len(self.codes)))
        for feat, thr, children, value, leaf_contrib, depth in self._compiled:
            leaf = self._leaves(flat, base, feat, thr, children, depth)
            total += value[leaf]
            by_code += leaf_contrib[leaf]
        return total, by_code

    def raw(self, x: np.ndarray) -> np.ndarray:
        return self.raw_and_reasons(x)[0]

    def pd(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self.model._a * self.raw(x) + self.model._b)))

    def pd_and_reasons(self, x: np.ndarray, top: int = 3) -> tuple[np.ndarray, list[tuple[str, ...]]]:
        """The same answers as RiskModel.assess: contributions per reason code, positive ones, worst first."""
        raw, by_code = self.raw_and_reasons(x)
        pd = 1.0 / (1.0 + np.exp(-(self.model._a * raw + self.model._b)))
        order = np.argsort(-by_code, axis=1, kind="stable")[:, :top]
        ranked = np.take_along_axis(by_code, order, axis=1)
        names = np.array([*self.codes, ""], dtype=object)
        picked = names[np.where(ranked > 0, order, len(self.codes))]  # "" where the contribution is not positive
        reasons = [tuple(code for code in row if code) for row in picked.tolist()]
        return pd, reasons

    def reasons(self, x: np.ndarray, top: int = 3) -> list[tuple[str, ...]]:
        return self.pd_and_reasons(x, top)[1]


def score_file(source: Path, target: Path) -> int:
    with source.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [f for f in ("ID", *RAW_FIELDS) if f not in (reader.fieldnames or [])]
        if missing:
            raise SystemExit(f"{source}: missing columns {missing}")
        rows = [{k: float(v) for k, v in r.items() if k in ("ID", *RAW_FIELDS)} for r in reader]
    model = RiskModel.load()
    x = np.array([features(r) for r in rows], dtype=np.float64).reshape(-1, len(FEATURE_NAMES))
    pds, reasons = BatchScorer(model).pd_and_reasons(x)
    with target.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["ID", "pd", "score", "grade", "reasons"])
        for row, pd, why in zip(rows, pds, reasons, strict=True):
            pd = float(pd)
            out.writerow([int(row["ID"]), f"{pd:.6f}", score_points(pd) if math.isfinite(pd) else "",
                          model.grade(pd), "|".join(why)])
    return len(rows)
