"""Post-loan early warning (贷后预警): signals about a borrower, named rules that give each a level, and the
warning an officer works on.

A *signal* is one observation from one source (a court record, a registry change, a tax month, a bureau
refresh, the bank's own repayment data, a rescoring run), with a *cause key* that names the record it came from:
the same court case seen twice is one cause, so it raises one warning. Rules are named, like the drawdown rules,
each with its reason code and the words the officer and the customer read. A line has at most one open warning;
a stronger signal escalates it (a new, shorter task deadline), a weaker one is added to its evidence, and it
closes when every cause is gone or an officer disposes of it.

What each level does to the line is the service's business (RED freezes, ORANGE puts drawdowns to an officer,
YELLOW watches); this module only decides."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import IntEnum, StrEnum
from typing import Any

from .business_date import BEIJING
from .errors import InvalidTransitionError


class Level(IntEnum):
    YELLOW = 1  # watchlist, reviewed monthly
    ORANGE = 2  # new drawdowns need an officer's approval
    RED = 3  # the line is frozen at once


class Source(StrEnum):
    JUDICIAL = "JUDICIAL"
    REGISTRY = "REGISTRY"
    TAX = "TAX"
    BUREAU = "BUREAU"
    BANK = "BANK"
    MODEL = "MODEL"
    SANCTIONS = "SANCTIONS"  # sanctions and anti-money-laundering watch lists (反洗钱、反恐怖融资名单)


class SignalKind(StrEnum):
    """Every kind of signal there is, named by its source: a signal of any other kind is refused when it is made,
    and every kind has its rule in RULES (a test holds both). A new signal costs a member here, its rule, and the
    detector that observes it (a feed's mapping in external_records.py or a bank detector in the sweep)."""

    JUDICIAL_DISHONEST_DEBTOR = "JUDICIAL_DISHONEST_DEBTOR"  # 失信被执行人
    JUDICIAL_ENFORCEMENT = "JUDICIAL_ENFORCEMENT"  # 被执行人
    JUDICIAL_CONSUMPTION_RESTRICTED = "JUDICIAL_CONSUMPTION_RESTRICTED"  # 限制高消费
    JUDICIAL_LAWSUIT = "JUDICIAL_LAWSUIT"  # 新的诉讼
    REGISTRY_DEREGISTERED = "REGISTRY_DEREGISTERED"  # 注销或吊销
    REGISTRY_ABNORMAL_OPERATIONS = "REGISTRY_ABNORMAL_OPERATIONS"  # 经营异常名录
    REGISTRY_LEGAL_REP_CHANGED = "REGISTRY_LEGAL_REP_CHANGED"  # 法定代表人变更
    TAX_SALES_DROP = "TAX_SALES_DROP"
    TAX_ARREARS = "TAX_ARREARS"
    BUREAU_NEW_OVERDUE = "BUREAU_NEW_OVERDUE"
    BUREAU_LENDERS = "BUREAU_LENDERS"
    BUREAU_INQUIRIES = "BUREAU_INQUIRIES"
    BUREAU_UTILISATION = "BUREAU_UTILISATION"
    BANK_DAYS_PAST_DUE = "BANK_DAYS_PAST_DUE"
    BANK_AUTO_DEBIT_FAILED = "BANK_AUTO_DEBIT_FAILED"
    BANK_DRAW_TO_REPAY = "BANK_DRAW_TO_REPAY"  # 借新还旧
    BANK_LINE_DRAWN_AT_ONCE = "BANK_LINE_DRAWN_AT_ONCE"
    BANK_FLOWS_FALLING = "BANK_FLOWS_FALLING"  # inflows or balances at the bank fell sharply
    BANK_FUNDS_TO_RESTRICTED_USE = "BANK_FUNDS_TO_RESTRICTED_USE"  # the loan moved on to securities, futures, property
    BANK_ANNUAL_REVIEW_DUE = "BANK_ANNUAL_REVIEW_DUE"  # a line valid longer than a year: its yearly re-review
    MODEL_RESCORE = "MODEL_RESCORE"
    SANCTIONS_LISTED = "SANCTIONS_LISTED"  # on a sanctions or watch list: frozen at once, a compliance officer's

    @property
    def source(self) -> Source:
        return Source(self.value.split("_", 1)[0])


@dataclass(frozen=True)
class Signal:
    kind: SignalKind
    source: Source
    cause_key: str  # the record it came from: the same record twice is one cause
    observed_at: datetime
    facts: dict[str, Any] = field(default_factory=dict)  # figures the rules read (no personal data)
    evidence: dict[str, Any] = field(default_factory=dict)  # what the officer sees (masked)
    cleared: bool = False  # the source says the record is gone (a court record withdrawn, a tax debt paid)

    def __post_init__(self) -> None:
        kind = SignalKind(self.kind)  # an unknown kind is a ValueError here, not a signal no rule ever meets
        if kind.source is not self.source:
            raise ValueError(f"a {kind} signal comes from {kind.source}, not {self.source}")
        object.__setattr__(self, "kind", kind)


@dataclass(frozen=True)
class WarningPolicy:
    """Every threshold of early warning, each read from the setting WARNING_<FIELD> (services/monitoring/signals.py
    builds it by field name: a new threshold is a field here and its setting)."""

    tax_drop_ratio: float = 0.30  # sales this far below the same months a year earlier, or the trailing average
    overdue_elsewhere_fen: int = 1_000_000  # new overdue at other lenders above ¥10,000 is RED
    lender_jump: int = 2  # this many more lenders since the last refresh (多头借贷)
    inquiries_3m: int = 6  # lender inquiries in the last three months
    utilisation_jump: float = 0.30  # utilisation elsewhere up by this much (30 points)
    red_days_past_due: int = 30
    yellow_days_past_due: int = 1  # any day past due puts the line on the watchlist
    grade_fall: int = 2  # a rescore two grades or more below the last one
    rescore_every_days: int = 30  # the bureau asked again for each borrower with a line at risk
    pattern_window_days: int = 3  # 借新还旧: a drawdown this close before a due date, then that instalment repaid
    activation_window_days: int = 7  # the whole line drawn this soon after activation
    bank_flow_drop_ratio: float = 0.50  # last month's inflow or balance this far below the three months before
    restricted_use_days: int = 7  # the loan's money moved on to a restricted counterparty within this many days
    restricted_use_share: float = 0.30  # ... and at least this share of the principal


@dataclass(frozen=True)
class Rule:
    code: str
    level: Level
    zh: str  # what the officer (and, in plainer words, the customer) reads
    en: str

    def matches(self, signal: Signal, policy: WarningPolicy) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class KindRule(Rule):
    """Matches one kind of signal outright (the record itself is the risk)."""

    kind: SignalKind | None = None

    def matches(self, signal: Signal, policy: WarningPolicy) -> bool:
        return signal.kind == self.kind


@dataclass(frozen=True)
class ThresholdRule(Rule):
    """Matches a kind of signal whose figure reaches the policy's threshold."""

    kind: SignalKind | None = None
    fact: str = ""
    threshold: str = ""  # the WarningPolicy field

    def matches(self, signal: Signal, policy: WarningPolicy) -> bool:
        value = signal.facts.get(self.fact)
        return signal.kind == self.kind and value is not None and value >= getattr(policy, self.threshold)


RULES: tuple[Rule, ...] = (
    KindRule("SANCTIONS_LISTED", Level.RED, kind=SignalKind.SANCTIONS_LISTED,
             zh="借款人被列入制裁或反洗钱监控名单", en="borrower on a sanctions or anti-money-laundering watch list"),
    KindRule("DISHONEST_DEBTOR", Level.RED, kind=SignalKind.JUDICIAL_DISHONEST_DEBTOR,
             zh="借款人被列入失信被执行人名单", en="borrower listed as a dishonest judgment debtor"),
    KindRule("BUSINESS_DEREGISTERED", Level.RED, kind=SignalKind.REGISTRY_DEREGISTERED,
             zh="经营主体已注销或被吊销营业执照", en="business deregistered or licence revoked"),
    ThresholdRule("DAYS_PAST_DUE_30", Level.RED, kind=SignalKind.BANK_DAYS_PAST_DUE,
                  fact="days_past_due", threshold="red_days_past_due",
                  zh="本行贷款逾期30天以上", en="30 or more days past due at this bank"),
    ThresholdRule("NEW_OVERDUE_ELSEWHERE", Level.RED, kind=SignalKind.BUREAU_NEW_OVERDUE,
                  fact="new_overdue_fen", threshold="overdue_elsewhere_fen",
                  zh="他行新增逾期金额超过阈值", en="new overdue at other lenders above the threshold"),
    KindRule("JUDGMENT_DEBTOR", Level.ORANGE, kind=SignalKind.JUDICIAL_ENFORCEMENT,
             zh="借款人被列为被执行人", en="borrower is a judgment debtor under enforcement"),
    KindRule("CONSUMPTION_RESTRICTED", Level.ORANGE, kind=SignalKind.JUDICIAL_CONSUMPTION_RESTRICTED,
             zh="借款人被限制高消费", en="borrower's high consumption restricted by a court"),
    KindRule("ABNORMAL_OPERATIONS", Level.ORANGE, kind=SignalKind.REGISTRY_ABNORMAL_OPERATIONS,
             zh="经营主体被列入经营异常名录", en="business listed for abnormal operations"),
    ThresholdRule("TAX_SALES_DROP", Level.ORANGE, kind=SignalKind.TAX_SALES_DROP,
                  fact="drop_ratio", threshold="tax_drop_ratio",
                  zh="纳税申报销售额明显下降", en="declared sales fell sharply"),
    KindRule("TAX_ARREARS", Level.ORANGE, kind=SignalKind.TAX_ARREARS,
             zh="经营主体被公告欠税", en="business named in a tax arrears notice"),
    ThresholdRule("MULTI_LENDER_JUMP", Level.ORANGE, kind=SignalKind.BUREAU_LENDERS,
                  fact="lender_increase", threshold="lender_jump",
                  zh="多头借贷机构数明显增加", en="number of lenders rose sharply"),
    ThresholdRule("GRADE_FALL", Level.ORANGE, kind=SignalKind.MODEL_RESCORE,
                  fact="grade_fall", threshold="grade_fall",
                  zh="行为评分下降两级及以上", en="behavioural rescore fell two grades or more"),
    KindRule("FUNDS_TO_RESTRICTED_USE", Level.ORANGE, kind=SignalKind.BANK_FUNDS_TO_RESTRICTED_USE,
             zh="贷款资金放款后短期内流向证券、期货或房地产", en="the loan moved on within days to securities, "
                                                              "futures or property"),
    ThresholdRule("BANK_FLOWS_FALLING", Level.ORANGE, kind=SignalKind.BANK_FLOWS_FALLING,
                  fact="drop_ratio", threshold="bank_flow_drop_ratio",
                  zh="本行账户入账或余额较前三个月明显下降", en="inflows or balances at this bank fell sharply"),
    KindRule("DRAW_TO_REPAY", Level.ORANGE, kind=SignalKind.BANK_DRAW_TO_REPAY,
             zh="疑似借新还旧：还款日前提款后随即还款", en="drew on the line just before a due date to repay it"),
    ThresholdRule("INQUIRIES_RISING", Level.YELLOW, kind=SignalKind.BUREAU_INQUIRIES,
                  fact="inquiries_3m", threshold="inquiries_3m",
                  zh="近三个月贷款审批查询次数较多", en="many lender inquiries in three months"),
    ThresholdRule("UTILISATION_JUMP", Level.YELLOW, kind=SignalKind.BUREAU_UTILISATION,
                  fact="utilisation_increase", threshold="utilisation_jump",
                  zh="他行授信使用率明显上升", en="utilisation at other lenders jumped"),
    KindRule("LEGAL_REPRESENTATIVE_CHANGED", Level.YELLOW, kind=SignalKind.REGISTRY_LEGAL_REP_CHANGED,
             zh="经营主体法定代表人变更", en="the business's legal representative changed"),
    KindRule("NEW_LAWSUIT", Level.YELLOW, kind=SignalKind.JUDICIAL_LAWSUIT,
             zh="借款人涉及新的诉讼", en="borrower is party to a new lawsuit"),
    KindRule("ANNUAL_REVIEW_DUE", Level.YELLOW, kind=SignalKind.BANK_ANNUAL_REVIEW_DUE,
             zh="额度已满一年，须进行年度复审（逾期未审将暂停新的提款）",
             en="the line's yearly re-review is due (new drawdowns wait once it is overdue)"),
    KindRule("AUTO_DEBIT_FAILED", Level.YELLOW, kind=SignalKind.BANK_AUTO_DEBIT_FAILED,
             zh="自动扣款失败", en="an auto-debit failed"),
    KindRule("LINE_DRAWN_AT_ONCE", Level.YELLOW, kind=SignalKind.BANK_LINE_DRAWN_AT_ONCE,
             zh="额度激活后短期内全额提款", en="the whole line drawn within days of activation"),
    ThresholdRule("DAYS_PAST_DUE", Level.YELLOW, kind=SignalKind.BANK_DAYS_PAST_DUE,
                  fact="days_past_due", threshold="yellow_days_past_due",
                  zh="本行贷款出现逾期", en="past due at this bank"),
)


def assess(signal: Signal, policy: WarningPolicy) -> Rule | None:
    """The strongest rule the signal meets (None: the signal is no risk by itself)."""
    met = [rule for rule in RULES if rule.matches(signal, policy)]
    return max(met, key=lambda rule: rule.level) if met else None


# ---- the warning -----------------------------------------------------------------------------------------
class WarningEvent(StrEnum):
    RAISED = "RAISED"
    ESCALATED = "ESCALATED"
    CAUSE_ADDED = "CAUSE_ADDED"
    CAUSE_CLEARED = "CAUSE_CLEARED"
    CLOSED = "CLOSED"
    LINE_FROZEN = "LINE_FROZEN"
    DISPOSED = "DISPOSED"  # an officer's disposition (action, by, comment)
    ACCELERATION_PROPOSED = "ACCELERATION_PROPOSED"
    LIMIT_REDUCTION_PROPOSED = "LIMIT_REDUCTION_PROPOSED"  # waits for a second officer
    LIMIT_REDUCED = "LIMIT_REDUCED"


@dataclass(frozen=True)
class HistoryEntry:
    """One thing that happened to a warning, typed: what the officer's console shows and what the maker-checker
    reads back (who proposed a cut, and to what). Stored and shown as its ``to_dict``."""

    event: WarningEvent
    at: datetime
    level: str | None = None
    previous: str | None = None  # the level before an escalation or a step down
    rule: str | None = None
    cause_key: str | None = None
    reason: str | None = None
    known_at_activation: bool | None = None
    action: str | None = None  # the officer's disposition
    by: str | None = None  # the officer
    comment: str | None = None
    new_limit_fen: int | None = None
    reduction_fen: int | None = None
    outstanding_fen: int | None = None

    def to_dict(self) -> dict[str, Any]:
        shown = {k: v for k, v in self.__dict__.items() if v is not None and k not in ("event", "at")}
        return {"event": self.event.value, "at": self.at.isoformat(), **shown}

    @classmethod
    def from_dict(cls, entry: dict[str, Any]) -> HistoryEntry:
        return cls(**{**entry, "event": WarningEvent(entry["event"]), "at": datetime.fromisoformat(entry["at"])})


class WarningStatus(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


@dataclass(frozen=True)
class Cause:
    cause_key: str
    rule: str
    level: Level
    source: Source
    first_seen: datetime
    evidence: dict[str, Any]


@dataclass
class EarlyWarning:
    warning_id: str
    customer_id: str
    credit_line_id: str
    level: Level
    opened_at: datetime
    task_due_at: datetime
    causes: list[Cause]
    status: WarningStatus = WarningStatus.OPEN
    history: list[HistoryEntry] = field(default_factory=list)
    version: int = 0

    @property
    def reason_codes(self) -> tuple[str, ...]:
        return tuple(c.rule for c in sorted(self.causes, key=lambda c: c.level, reverse=True))

    def record(self, entry: HistoryEntry, closes: bool = False) -> None:
        """An officer's act in the history; ``closes`` when it settles the warning (the risk accepted, or taken at a
        lower limit). A closed warning takes no more acts: its causes are settled and a new signal opens another."""
        if self.status is WarningStatus.CLOSED:
            raise InvalidTransitionError("the warning is already closed")
        self.history.append(entry)
        if closes:
            self.status = WarningStatus.CLOSED


def task_due(level: Level, raised_at: datetime) -> datetime:
    """RED: within 24 hours. ORANGE: within 3 working days (Beijing; weekends skipped, public holidays are the
    bank's calendar and not modelled here). YELLOW: the monthly watchlist review."""
    if level is Level.RED:
        return raised_at + timedelta(hours=24)
    if level is Level.YELLOW:
        return raised_at + timedelta(days=30)
    local = raised_at.astimezone(BEIJING)
    days = 0
    while days < 3:
        local += timedelta(days=1)
        if local.weekday() < 5:
            days += 1
    return local.astimezone(raised_at.tzinfo)


@dataclass(frozen=True)
class Outcome:
    """What a signal did: RAISED a new warning, ESCALATED the open one, ADDED a weaker cause to it, was a
    DUPLICATE of a known cause, CLEARED a cause (CLOSED when it was the last), or was NO_RISK."""

    action: str
    warning: EarlyWarning | None
    rule: Rule | None = None


def apply_signal(open_warning: EarlyWarning | None, signal: Signal, policy: WarningPolicy, *, new_id: str,
                 customer_id: str, credit_line_id: str, settled: frozenset[str] = frozenset()) -> Outcome:
    """The one place a signal changes a line's warning (the caller saves the result with a version check).
    ``settled``: the cause keys of the line's closed warnings; an officer's disposition of a record stands, so the
    same record seen again raises nothing (a new record about the same debt has a new key)."""
    if open_warning is not None and open_warning.status is not WarningStatus.OPEN:
        raise ValueError("only an open warning takes signals")
    if signal.cause_key in settled and not signal.cleared:
        return Outcome("DUPLICATE", open_warning, assess(signal, policy))
    known = open_warning is not None and any(c.cause_key == signal.cause_key for c in open_warning.causes)
    if signal.cleared:
        if open_warning is None or not known:
            return Outcome("NO_RISK", open_warning)
        warning = _copy(open_warning)
        warning.causes = [c for c in warning.causes if c.cause_key != signal.cause_key]
        warning.history.append(_event(WarningEvent.CAUSE_CLEARED, signal.observed_at, cause_key=signal.cause_key))
        if not warning.causes:
            warning.status = WarningStatus.CLOSED
            warning.history.append(_event(WarningEvent.CLOSED, signal.observed_at, reason="CAUSE_GONE"))
            return Outcome("CLOSED", warning)
        warning.level = max(c.level for c in warning.causes)
        return Outcome("CLEARED", warning)
    rule = assess(signal, policy)
    if rule is None:
        return Outcome("NO_RISK", open_warning)
    if known:
        return Outcome("DUPLICATE", open_warning, rule)
    cause = Cause(signal.cause_key, rule.code, rule.level, signal.source, signal.observed_at, dict(signal.evidence))
    if open_warning is None:
        warning = EarlyWarning(new_id, customer_id, credit_line_id, rule.level, signal.observed_at,
                               task_due(rule.level, signal.observed_at), [cause])
        warning.history.append(_event(WarningEvent.RAISED, signal.observed_at, level=rule.level.name, rule=rule.code))
        return Outcome("RAISED", warning, rule)
    warning = _copy(open_warning)
    warning.causes.append(cause)
    if rule.level > warning.level:
        warning.history.append(_event(WarningEvent.ESCALATED, signal.observed_at, level=rule.level.name, rule=rule.code,
                                      previous=warning.level.name))
        warning.level = rule.level
        warning.task_due_at = min(warning.task_due_at, task_due(rule.level, signal.observed_at))
        return Outcome("ESCALATED", warning, rule)
    warning.history.append(_event(WarningEvent.CAUSE_ADDED, signal.observed_at, rule=rule.code))
    return Outcome("ADDED", warning, rule)


def warning_of_known_causes(causes: tuple[Cause, ...], *, new_id: str, customer_id: str, credit_line_id: str,
                            at: datetime) -> EarlyWarning:
    """A new line's warning from what was already known when it was activated (the causes of a RED warning on
    another of the customer's lines, or a standing RED record): raised at once, with the freeze it orders."""
    if not causes:
        raise ValueError("a warning needs a cause")
    level = max(c.level for c in causes)
    warning = EarlyWarning(new_id, customer_id, credit_line_id, level, at, task_due(level, at), list(causes))
    warning.history.append(_event(WarningEvent.RAISED, at, level=level.name, rule=causes[0].rule,
                                  known_at_activation=True))
    if level is Level.RED:
        warning.history.append(_event(WarningEvent.LINE_FROZEN, at))
    return warning


def _copy(warning: EarlyWarning) -> EarlyWarning:
    return replace(warning, causes=list(warning.causes), history=list(warning.history))


def _event(kind: WarningEvent, at: datetime, **details: Any) -> HistoryEntry:
    return HistoryEntry(kind, at, **details)
