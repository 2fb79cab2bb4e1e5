"""Post-loan monitoring for officers: warnings and their dispositions, held drawdowns, the portfolio and the model."""

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from .common import BusinessDate, PlainText, PositiveFen, Strict, TotalFen
from .servicing import DrawdownOut


class WarningCauseOut(Strict):
    rule: str
    level: Literal["RED", "ORANGE", "YELLOW"]
    source: str
    reason_zh: str
    reason_en: str
    first_seen: datetime
    evidence: dict[str, Any] = Field(description="what the source reported, masked")


class WarningQuery(Strict):
    level: Literal["RED", "ORANGE", "YELLOW"] | None = None
    status: Literal["OPEN", "CLOSED"] = "OPEN"
    overdue: Literal["true", "false"] = Field(default="false", description="only tasks past their deadline")


class WarningOut(Strict):
    warning_id: str
    credit_line_id: str
    level: Literal["RED", "ORANGE", "YELLOW"]
    status: Literal["OPEN", "CLOSED"]
    opened_at: datetime
    task_due_at: datetime
    task_overdue: bool
    reason_codes: list[str]
    causes: list[WarningCauseOut]
    history: list[dict[str, Any]]
    line_status: str


class WarningListOut(Strict):
    items: list[WarningOut]


class AwaitingDrawdownOut(Strict):
    drawdown: DrawdownOut
    warning_id: str | None = Field(description="the open warning that holds it")
    warning_level: Literal["RED", "ORANGE", "YELLOW"] | None
    reason_codes: list[str]
    reasons_zh: list[str] = Field(default_factory=list, description="the warning's causes in the officers' words")


class AwaitingDrawdownListOut(Strict):
    items: list[AwaitingDrawdownOut]


class DrawdownDecisionIn(Strict):
    decision: Literal["APPROVE", "DECLINE"]
    comment: PlainText = Field(min_length=4, max_length=1000, description="why: kept in the drawdown's history")


class RescoreOut(Strict):
    at: datetime
    pd: str = Field(description="probability of default, decimal string")
    grade: str
    reasons: list[str]
    report_no: str
    line_status: str
    warning_level: Literal["RED", "ORANGE", "YELLOW"] | None = Field(description="the line's open warning after it")


class PortfolioQuery(Strict):
    date: BusinessDate | None = Field(default=None, description="a past sweep's day; the latest sweep if absent")


class MoneyCountOut(Strict):
    count: int
    fen: TotalFen


class WrittenOffOut(Strict):
    loans: int
    fen: TotalFen = Field(description="written off and not yet recovered")
    recovered_fen: TotalFen


class PortfolioOut(Strict):
    as_of: BusinessDate | None = Field(description="the sweep the book figures come from (null: none yet)")
    today: BusinessDate
    sweep_complete: bool = Field(description="every shard of that day's sweep reported")
    shards_reported: int
    lines_active: int
    lines_frozen: int
    loans: int
    outstanding_fen: TotalFen
    outstanding_by_bucket: dict[str, int] = Field(description="fen by delinquency bucket: CURRENT, 1-30, 31-60, "
                                                              "61-90, 90+ days past due")
    loans_by_bucket: dict[str, int]
    outstanding_by_class: dict[str, int] = Field(description="fen by five-category classification")
    npl_ratio: str = Field(description="non-performing (substandard, doubtful, loss) over outstanding, decimal")
    written_off: WrittenOffOut = Field(description="off the balance sheet: loans written off, what is still owed "
                                                   "on them and what was recovered")
    warnings_open: dict[str, int]
    drawdowns_awaiting_approval: int
    disbursed_today: MoneyCountOut
    collected_today: MoneyCountOut


class StabilityOut(Strict):
    month: str
    population: Literal["NEW_APPLICATIONS", "RESCORED_BOOK"]
    scored: int
    grade_counts: dict[str, int]
    psi: float | None = Field(description="population stability index against the training baseline")
    status: Literal["NO_DATA", "INSUFFICIENT_SAMPLE", "STABLE", "WATCH", "ACT"] = Field(
        description="INSUFFICIENT_SAMPLE: fewer scores than thresholds.min_sample (no warning is raised)")


class ModelWarningOut(Strict):
    month: str
    population: str
    psi: float | None
    status: Literal["WATCH", "ACT"]


class VintagePointOut(Strict):
    months_on_book: int
    loans: int
    ever_30_dpd: int
    share: float


class VintageOut(Strict):
    cohort: str = Field(description="origination month")
    sample_sufficient: bool = Field(True, description="at least thresholds.vintage_min_loans loans observed")
    points: list[VintagePointOut]


class RollRatesOut(Strict):
    month: str
    from_start_of_month: dict[str, dict[str, float]] = Field(
        description="of the loans in a bucket at the start of the month, the share in each bucket now")


class ModelMonitoringOut(Strict):
    model: str
    baseline_grade_shares: dict[str, float]
    thresholds: dict[str, float]
    stability: list[StabilityOut]
    model_warnings: list[ModelWarningOut]
    vintage: list[VintageOut]
    roll_rates: RollRatesOut


class DispositionRequest(Strict):
    action: Literal["KEEP_FROZEN", "UNFREEZE", "FALSE_ALARM", "REDUCE_LIMIT", "CONFIRM_LIMIT_REDUCTION",
                    "PROPOSE_ACCELERATION"]
    new_limit_fen: PositiveFen | None = Field(default=None, description="REDUCE_LIMIT: the new limit (never below "
                                                                       "what is drawn)")
    comment: PlainText = Field(min_length=4, max_length=1000, description="why: kept in the warning's history")
