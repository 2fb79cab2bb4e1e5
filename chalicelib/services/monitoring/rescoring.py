"""A bureau refresh rescored: the borrower's grade now against her grade at origination."""

from __future__ import annotations

from typing import Any, Protocol

from ...domain.early_warning import (
    Signal,
    SignalKind,
    Source,
)
from ...domain.errors import (
    ValidationError,
)
from ...domain.external_records import (
    ExternalRecord,
)
from ...ports import LendingRepository, WarningStore
from ...scoring.features import RAW_FIELDS


class RescoringPorts(Protocol):
    """The ports the rescoring use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    repo: LendingRepository
    warnings: WarningStore


def rescore_signal(deps: RescoringPorts, customer_id: str, record: ExternalRecord,
                   state: dict[str, Any]) -> Signal | None:
    """Behavioural rescoring: the risk model on the refreshed bureau history; a fall of ``grade_fall`` grades or
    more against the last run (or the grade at origination) is a signal. Every run is kept."""
    report = record.body.get("report")
    if not isinstance(report, dict):
        return None
    from ...scoring.model import RiskModel

    model = RiskModel.load()
    try:
        assessed = model.assess({k: float(report[k]) for k in RAW_FIELDS})
    except (KeyError, TypeError, ValueError):
        raise ValidationError("a bureau report needs every field of the model", {"field": "record.report"}) from None
    runs = state.setdefault("rescores", [])
    before = runs[-1]["grade"] if runs else _origination_grade(deps, customer_id)
    runs.append({"at": record.received_at.isoformat(), "pd": f"{assessed.pd:.6f}", "grade": assessed.grade,
                 "reasons": list(assessed.reasons), "report_no": record.record_id})
    del runs[:-24]  # two years of monthly runs
    deps.warnings.count_grade(record.received_at.isoformat()[:7], "RESCORED_BOOK", assessed.grade)
    if before is None:
        return None
    fall = model.grade_rank(assessed.grade) - model.grade_rank(before)
    return Signal(SignalKind.MODEL_RESCORE, Source.MODEL, f"MODEL_RESCORE:{record.record_id}", record.received_at,
                  {"grade_fall": fall}, {"source": "MODEL", "grade_before": before, "grade_now": assessed.grade,
                                         "pd": f"{assessed.pd:.4f}", "reasons": list(assessed.reasons)})


def _origination_grade(deps: RescoringPorts, customer_id: str) -> str | None:
    grades = [a.risk.grade for a in deps.repo.applications_of_customer(customer_id) if a.risk and a.credit_line_id]
    return grades[-1] if grades else None
