"""Model monitoring that does not raise alarms on noise: a PSI over a handful of scores is no evidence of drift
(eight applications in a month once read PSI 8.03, 需行动); below the bank's minimum sample the month is
INSUFFICIENT_SAMPLE and raises no model warning, and a vintage cohort under its minimum is marked as such."""

from __future__ import annotations

from chalicelib.domain.model_monitoring import PSI_ACT, psi, stability
from chalicelib.services.deps import Dependencies
from chalicelib.services.monitoring import portfolio

BASELINE = {"A": 0.2, "B": 0.3, "C": 0.3, "D": 0.15, "E": 0.04, "F": 0.01}


def test_a_handful_of_scores_is_not_drift() -> None:
    few = {"F": 8}  # eight applications, all graded F: a huge PSI
    value = psi(BASELINE, few)
    assert value is not None and value >= PSI_ACT
    assert stability(value, scored=8, min_sample=100) == "INSUFFICIENT_SAMPLE"
    assert stability(value, scored=800, min_sample=100) == "ACT"  # the same shares over enough scores
    assert stability(None, scored=0, min_sample=100) == "NO_DATA"


def test_the_monitoring_raises_no_warning_below_the_minimum_sample(memory_deps: Dependencies) -> None:
    month = memory_deps.clock.today().isoformat()[:7]
    for _ in range(8):
        memory_deps.warnings.count_grade(month, "NEW_APPLICATIONS", "F")
    found = portfolio.model_monitoring(memory_deps)
    row = next(r for r in found["stability"] if r["month"] == month and r["population"] == "NEW_APPLICATIONS")
    assert row["scored"] == 8 and row["psi"] >= PSI_ACT and row["status"] == "INSUFFICIENT_SAMPLE"
    assert found["model_warnings"] == []
    assert found["thresholds"]["min_sample"] == memory_deps.settings.model_monitoring_min_sample
