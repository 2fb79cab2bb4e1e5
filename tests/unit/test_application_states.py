from collections import deque

import pytest

from chalicelib.domain.application import (
    ALLOWED_TRANSITIONS,
    NEXT_ACTION,
    TERMINAL,
    ApplicationStatus,
    BusinessDetails,
    LoanApplication,
)
from chalicelib.domain.errors import InvalidTransitionError
from chalicelib.domain.money import Money

S = ApplicationStatus


def new_app(status: ApplicationStatus = S.DRAFT) -> LoanApplication:
    app = LoanApplication.start(customer_id="c1", actor="customer:c1", product_code="INCLUSIVE_BUSINESS_LOAN",
                                requested_amount=Money.yuan(50_000), purpose="stock", applicant_name="张三",
                                applicant_phone="13800138000",
                                business=BusinessDetails("shop", "91330100MA2B3C4D5N", 3, Money.yuan(500_000)),
                                payout_account_no="6222021234567890123", consents=())
    app.status = status
    app.pending_events.clear()
    return app


@pytest.mark.parametrize(("source", "target"), [(s, t) for s, ts in ALLOWED_TRANSITIONS.items() for t in sorted(ts)])
def test_every_allowed_transition_moves_and_records_an_event(source: S, target: S) -> None:
    app = new_app(source)
    app.move_to(target, "Moved", "tester")
    assert app.status is target
    assert app.pending_events[-1].data == {"from": source.value, "to": target.value}


@pytest.mark.parametrize(("source", "target"),
                         [(s, t) for s in S for t in S if t not in ALLOWED_TRANSITIONS[s]])
def test_every_other_transition_is_refused_and_changes_nothing(source: S, target: S) -> None:
    app = new_app(source)
    with pytest.raises(InvalidTransitionError):
        app.move_to(target, "Moved", "tester")
    assert app.status is source and not app.pending_events


def test_every_status_is_reachable_from_draft_and_every_path_can_end() -> None:
    seen, queue = {S.DRAFT}, deque([S.DRAFT])
    while queue:
        for nxt in ALLOWED_TRANSITIONS[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    assert seen == set(S)
    assert TERMINAL == {S.ACTIVE, S.DECLINED, S.EXPIRED, S.WITHDRAWN, S.FAILED}
    assert set(NEXT_ACTION) == set(S)


def test_a_new_application_is_a_draft_with_a_creation_event() -> None:
    app = LoanApplication.start(customer_id="c1", actor="customer:c1", product_code="P",
                                requested_amount=Money(1), purpose="p", applicant_name="n",
                                applicant_phone="13800138000",
                                business=BusinessDetails("b", "r", 1, Money(1)), payout_account_no="1",
                                consents=())
    assert app.status is S.DRAFT and app.application_id.startswith("app_")
    assert [e.name for e in app.pending_events] == ["ApplicationCreated"]
    assert "张三" not in str(app.pending_events[0].data) and "13800138000" not in str(app.pending_events[0].data)
