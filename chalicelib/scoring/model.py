"""The run-time credit risk model: walks the exported trees (chalicelib/scoring/models/risk-v1.json) in pure
Python. No scikit-learn, no numpy: the scoring step stays light and a single score takes well under 1 ms.

pd = sigmoid(a * (baseline + sum of tree leaf values) + b)  - the same float64 operations in the same order as
scikit-learn, so the probabilities agree to 1e-6 (tested against scikit-learn's own output).
Explanations: each tree's prediction is split along its decision path into per-feature contributions (child
value - parent value at each split); they sum exactly to the raw score, so "what pushed the score down" is exact
for this model, not an approximation of it."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .features import FEATURE_NAMES, features

MODELS = Path(__file__).parent / "models"


@dataclass(frozen=True)
class RiskAssessment:
    pd: float
    score: int
    grade: str
    reasons: tuple[str, ...]  # reason codes of the factors that raised the risk most, worst first
    model_version: str
    contributions: tuple[float, ...] = ()  # each reason's share of the log-odds above the baseline, same order


class RiskModel:
    def __init__(self, artefact: dict[str, Any]) -> None:
        if artefact["features"] != list(FEATURE_NAMES):
            raise ValueError("the model was trained on other features than this code computes")
        self.version = f"{artefact['model']}-v{artefact['version']}"
        self._baseline = float(artefact["baseline"])
        self._a, self._b = float(artefact["platt"]["a"]), float(artefact["platt"]["b"])
        self._grades = [(g["grade"], float(g["pd_below"])) for g in artefact["grades"]]
        self._reason_of = list(artefact["reason_codes"])
        self._trees = [(t["feature"], t["threshold"], t["left"], t["right"], t["value"]) for t in artefact["trees"]]

    @classmethod
    @lru_cache(maxsize=4)
    def load(cls, name: str = "risk-v1") -> RiskModel:
        return cls(json.loads((MODELS / f"{name}.json").read_text(encoding="utf-8")))

    def raw(self, x: Sequence[float]) -> float:
        total = self._baseline
        for feature, threshold, left, right, value in self._trees:
            node = 0
            while feature[node] >= 0:
                node = left[node] if x[feature[node]] <= threshold[node] else right[node]
            total += value[node]
        return total

    def pd(self, x: Sequence[float]) -> float:
        return 1.0 / (1.0 + math.exp(-(self._a * self.raw(x) + self._b)))

    def contributions(self, x: Sequence[float]) -> list[float]:
        """Per-feature share of the raw score (positive: riskier). Sums to raw - baseline - root values."""
        share = [0.0] * len(FEATURE_NAMES)
        for feature, threshold, left, right, value in self._trees:
            node = 0
            while feature[node] >= 0:
                child = left[node] if x[feature[node]] <= threshold[node] else right[node]
                share[feature[node]] += value[child] - value[node]
                node = child
        return share

    def grade_rank(self, grade: str) -> int:
        """0 for the best grade; a fall of two grades is a rank two higher."""
        return [g for g, _ in self._grades].index(grade)

    def grade(self, pd: float) -> str:
        return next(g for g, upper in self._grades if pd < upper)

    def assess(self, bureau_row: Mapping[str, float], top: int = 3) -> RiskAssessment:
        x = features(bureau_row)
        pd = self.pd(x)
        by_reason: dict[str, float] = {}
        for index, share in enumerate(self.contributions(x)):
            code = self._reason_of[index]
            by_reason[code] = by_reason.get(code, 0.0) + share
        worst = sorted((code for code, share in by_reason.items() if share > 0), key=lambda c: -by_reason[c])
        return RiskAssessment(pd=pd, score=score_points(pd), grade=self.grade(pd), reasons=tuple(worst[:top]),
                              model_version=self.version,
                              contributions=tuple(round(by_reason[c], 4) for c in worst[:top]))


def score_points(pd: float) -> int:
    """600 at even odds of 1:20 bad, 50 points to double the odds (a conventional scorecard scale)."""
    pd = min(max(pd, 1e-6), 1 - 1e-6)
    return round(600 + 50 * math.log2(((1 - pd) / pd) / 20))
