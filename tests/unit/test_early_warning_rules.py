"""Post-loan early warning, the decisions: every named rule, one warning per cause, escalation, closing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.early_warning import (
    RULES,
    Level,
    Signal,
    SignalKind,
    Source,
    WarningPolicy,
    WarningStatus,
    apply_signal,
    assess,
    task_due,
)

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Beijing
POLICY = WarningPolicy()


def signal(kind: str, cause: str = "c1", at: datetime = NOW, cleared: bool = False, **facts: Any) -> Signal:
    return Signal(kind, Source(kind.split("_")[0]) if kind.split("_")[0] in Source.__members__ else Source.BANK,
                  cause, at, facts, {"record": "masked"}, cleared)


# every rule: the signal that meets it, and one just short of it (None: the kind alone is the risk)
CASES: dict[str, tuple[Level, Signal, Signal | None]] = {
    "SANCTIONS_LISTED": (Level.RED, signal("SANCTIONS_LISTED"), None),
    "ANNUAL_REVIEW_DUE": (Level.YELLOW, signal("BANK_ANNUAL_REVIEW_DUE"), None),
    "DISHONEST_DEBTOR": (Level.RED, signal("JUDICIAL_DISHONEST_DEBTOR"), None),
    "BUSINESS_DEREGISTERED": (Level.RED, signal("REGISTRY_DEREGISTERED"), None),
    "DAYS_PAST_DUE_30": (Level.RED, signal("BANK_DAYS_PAST_DUE", days_past_due=30),
                         signal("BANK_DAYS_PAST_DUE", days_past_due=29)),
    "NEW_OVERDUE_ELSEWHERE": (Level.RED, signal("BUREAU_NEW_OVERDUE", new_overdue_fen=1_000_000),
                              signal("BUREAU_NEW_OVERDUE", new_overdue_fen=999_999)),
    "JUDGMENT_DEBTOR": (Level.ORANGE, signal("JUDICIAL_ENFORCEMENT"), None),
    "CONSUMPTION_RESTRICTED": (Level.ORANGE, signal("JUDICIAL_CONSUMPTION_RESTRICTED"), None),
    "ABNORMAL_OPERATIONS": (Level.ORANGE, signal("REGISTRY_ABNORMAL_OPERATIONS"), None),
    "TAX_SALES_DROP": (Level.ORANGE, signal("TAX_SALES_DROP", drop_ratio=0.30),
                       signal("TAX_SALES_DROP", drop_ratio=0.29)),
    "TAX_ARREARS": (Level.ORANGE, signal("TAX_ARREARS"), None),
    "MULTI_LENDER_JUMP": (Level.ORANGE, signal("BUREAU_LENDERS", lender_increase=2),
                          signal("BUREAU_LENDERS", lender_increase=1)),
    "GRADE_FALL": (Level.ORANGE, signal("MODEL_RESCORE", grade_fall=2), signal("MODEL_RESCORE", grade_fall=1)),
    "DRAW_TO_REPAY": (Level.ORANGE, signal("BANK_DRAW_TO_REPAY"), None),
    "FUNDS_TO_RESTRICTED_USE": (Level.ORANGE, signal("BANK_FUNDS_TO_RESTRICTED_USE"), None),
    "BANK_FLOWS_FALLING": (Level.ORANGE, signal("BANK_FLOWS_FALLING", drop_ratio=0.5),
                           signal("BANK_FLOWS_FALLING", drop_ratio=0.49)),
    "INQUIRIES_RISING": (Level.YELLOW, signal("BUREAU_INQUIRIES", inquiries_3m=6),
                         signal("BUREAU_INQUIRIES", inquiries_3m=5)),
    "UTILISATION_JUMP": (Level.YELLOW, signal("BUREAU_UTILISATION", utilisation_increase=0.30),
                         signal("BUREAU_UTILISATION", utilisation_increase=0.29)),
    "LEGAL_REPRESENTATIVE_CHANGED": (Level.YELLOW, signal("REGISTRY_LEGAL_REP_CHANGED"), None),
    "NEW_LAWSUIT": (Level.YELLOW, signal("JUDICIAL_LAWSUIT"), None),
    "AUTO_DEBIT_FAILED": (Level.YELLOW, signal("BANK_AUTO_DEBIT_FAILED"), None),
    "LINE_DRAWN_AT_ONCE": (Level.YELLOW, signal("BANK_LINE_DRAWN_AT_ONCE"), None),
    "DAYS_PAST_DUE": (Level.YELLOW, signal("BANK_DAYS_PAST_DUE", days_past_due=1),
                      signal("BANK_DAYS_PAST_DUE", days_past_due=0)),
}


def test_every_rule_has_a_case_and_words_for_the_officer() -> None:
    assert {r.code for r in RULES} == set(CASES)
    assert all(r.zh and r.en for r in RULES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_rule_fires_at_its_threshold_and_not_below(code: str) -> None:
    level, meets, short = CASES[code]
    rule = assess(meets, POLICY)
    assert rule is not None and rule.code == code and rule.level is level
    if short is not None:
        weaker = assess(short, POLICY)
        assert weaker is None or weaker.code != code


def test_a_signal_of_a_kind_no_rule_knows_cannot_be_made() -> None:
    """It once could, and met no rule: a detector with a typo raised nothing, silently."""
    with pytest.raises(ValueError):
        signal("BUREAU_REFRESHED_NOTHING_NEW")
    with pytest.raises(ValueError, match="comes from BUREAU"):
        Signal("BUREAU_LENDERS", Source.BANK, "c1", NOW, {"lender_increase": 3})


def test_every_kind_has_its_rule_and_every_rule_its_kind() -> None:
    assert {rule.kind for rule in RULES} == set(SignalKind)  # type: ignore[attr-defined]


def test_a_figure_short_of_every_threshold_is_no_risk() -> None:
    below = signal("BUREAU_INQUIRIES", inquiries_3m=5)
    assert assess(below, POLICY) is None
    outcome = apply_signal(None, below, POLICY, new_id="w1", customer_id="c", credit_line_id="l")
    assert outcome.action == "NO_RISK" and outcome.warning is None


def test_every_threshold_is_read_from_its_setting() -> None:
    from dataclasses import fields

    from chalicelib.services.monitoring import warning_policy
    from chalicelib.settings import from_environ
    from tests.unit.test_settings import REQUIRED

    names = [f.name for f in fields(WarningPolicy)]
    environ = {f"WARNING_{name.upper()}": "9" for name in names}
    assert all(getattr(warning_policy(from_environ({**REQUIRED, **environ})), name) == 9 for name in names)
    assert warning_policy(from_environ(REQUIRED)) == POLICY


def raise_(sig: Signal, existing: Any = None) -> Any:
    return apply_signal(existing, sig, POLICY, new_id="w1", customer_id="cust", credit_line_id="line")


def test_the_same_record_seen_twice_is_one_warning() -> None:
    first = raise_(signal("JUDICIAL_DISHONEST_DEBTOR", cause="case-2026-1"))
    again = raise_(signal("JUDICIAL_DISHONEST_DEBTOR", cause="case-2026-1", at=NOW + timedelta(days=1)),
                   first.warning)
    assert (first.action, again.action) == ("RAISED", "DUPLICATE")
    assert again.warning is first.warning and len(again.warning.causes) == 1


def test_a_stronger_signal_escalates_and_shortens_the_deadline_a_weaker_one_is_added() -> None:
    yellow = raise_(signal("JUDICIAL_LAWSUIT", cause="suit-1")).warning
    assert yellow.level is Level.YELLOW and yellow.task_due_at == NOW + timedelta(days=30)
    orange = raise_(signal("TAX_SALES_DROP", cause="tax-2026-11", drop_ratio=0.4), yellow)
    assert orange.action == "ESCALATED" and orange.warning.level is Level.ORANGE
    assert orange.warning.task_due_at == datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # Mon: 3 working days
    red = raise_(signal("REGISTRY_DEREGISTERED", cause="reg-1"), orange.warning)
    assert red.action == "ESCALATED" and red.warning.task_due_at == NOW + timedelta(hours=24)
    weaker = raise_(signal("BANK_AUTO_DEBIT_FAILED", cause="debit-1"), red.warning)
    assert weaker.action == "ADDED" and weaker.warning.level is Level.RED
    assert weaker.warning.reason_codes[0] == "BUSINESS_DEREGISTERED"
    assert [e.event for e in weaker.warning.history] == ["RAISED", "ESCALATED", "ESCALATED", "CAUSE_ADDED"]
    assert len(yellow.causes) == 1  # earlier states are not changed behind the caller's back


def test_a_warning_closes_when_every_cause_is_gone_and_steps_down_while_some_remain() -> None:
    w = raise_(signal("JUDICIAL_LAWSUIT", cause="suit-1")).warning
    w = raise_(signal("JUDICIAL_DISHONEST_DEBTOR", cause="case-1"), w).warning
    cleared = raise_(signal("JUDICIAL_DISHONEST_DEBTOR", cause="case-1", cleared=True), w)
    assert cleared.action == "CLEARED" and cleared.warning.level is Level.YELLOW
    closed = raise_(signal("JUDICIAL_LAWSUIT", cause="suit-1", cleared=True), cleared.warning)
    assert closed.action == "CLOSED" and closed.warning.status is WarningStatus.CLOSED
    assert closed.warning.history[-1].to_dict() == {"event": "CLOSED", "at": NOW.isoformat(), "reason": "CAUSE_GONE"}
    with pytest.raises(ValueError, match="only an open warning"):
        raise_(signal("JUDICIAL_LAWSUIT", cause="suit-2"), closed.warning)


def test_an_orange_task_raised_on_friday_is_due_the_next_wednesday() -> None:
    friday = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    assert task_due(Level.ORANGE, friday) == datetime(2026, 12, 9, 2, 0, tzinfo=UTC)


def test_a_record_an_officer_has_settled_raises_nothing_when_seen_again() -> None:
    seen_again = apply_signal(None, signal("JUDICIAL_DISHONEST_DEBTOR", cause="case-1"), POLICY, new_id="w2",
                              customer_id="cust", credit_line_id="line", settled=frozenset({"case-1"}))
    assert seen_again.action == "DUPLICATE" and seen_again.warning is None
    a_new_case = apply_signal(None, signal("JUDICIAL_DISHONEST_DEBTOR", cause="case-2"), POLICY, new_id="w2",
                              customer_id="cust", credit_line_id="line", settled=frozenset({"case-1"}))
    assert a_new_case.action == "RAISED"
