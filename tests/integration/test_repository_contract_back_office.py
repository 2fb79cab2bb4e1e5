"""What the back office and the app's lists ask of the repository, against the in-memory fake and DynamoDB (moto):
a customer's lines, drawdowns and loans a page at a time (newest first, nothing of another customer's, a forged position
reads nothing else), officers' acts by business day, and the funnel's milestones by business day."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.adapters import page_cursors
from chalicelib.domain import events as ev
from chalicelib.domain.errors import ValidationError
from chalicelib.domain.events import DomainEvent
from chalicelib.domain.funnel import first_payout_data
from tests.integration.builders import active_line, booked_loan, requested_drawdown


def test_a_customers_drawdowns_come_a_page_at_a_time_newest_first(repo: Any) -> None:
    line = active_line(repo)
    customer = f"cust-{uuid.uuid4().hex[:8]}"
    made = []
    for i in range(5):
        dd = requested_drawdown(repo, line, 100)
        stored = replace(dd, customer_id=customer, drawdown_id=f"dd_{uuid.uuid4().hex[:10]}",
                         created_at=datetime(2026, 12, 1, 2, i, tzinfo=UTC))
        repo.add_drawdown(stored, f"key-{stored.drawdown_id}")
        made.append(stored.drawdown_id)
    first, after = repo.drawdowns_of(customer, limit=2)
    assert [d.drawdown_id for d in first] == made[::-1][:2] and after is not None
    second, after = repo.drawdowns_of(customer, limit=2, cursor=after)
    third, last = repo.drawdowns_of(customer, limit=2, cursor=after)
    assert [d.drawdown_id for d in second + third] == made[::-1][2:] and last is None
    assert all(d.customer_id == customer for d in first + second + third)
    # a cursor of another kind of list is refused; another customer's reads nothing of this customer's
    with pytest.raises(ValidationError):
        repo.drawdowns_of(customer, limit=2, cursor=page_cursors.issue("CREDITLINE#9999"))
    with pytest.raises(ValidationError):
        repo.drawdowns_of(customer, limit=2, cursor=page_cursors.issue("DRAWDOWN#\u202e9999"))  # not printable
    assert repo.drawdowns_of("someone-else", limit=2, cursor=after)[0] == []
    lines, _ = repo.credit_lines_of("c1", limit=50)
    assert any(x.credit_line_id == line.credit_line_id for x in lines)


def test_a_customers_loans_come_a_page_at_a_time_newest_first(repo: Any) -> None:
    customer = f"cust-{uuid.uuid4().hex[:8]}"
    line = active_line(repo, customer_id=customer)
    made = [booked_loan(repo, line, 100).loan_id for _ in range(3)]
    first, after = repo.loans_of(customer, limit=2)
    rest, last = repo.loans_of(customer, limit=2, cursor=after)
    assert {x.loan_id for x in first + rest} == set(made) and len(first) == 2 and last is None
    assert [x.created_at for x in first + rest] == sorted((x.created_at for x in first + rest), reverse=True)
    assert repo.loans_of("someone-else", limit=2, cursor=after)[0] == []


def test_officers_acts_are_found_by_their_business_day(repo: Any) -> None:
    officer = f"officer-{uuid.uuid4().hex[:6]}"
    late = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)  # 00:30 on 2 December in Beijing
    repo.record_staff_action(DomainEvent(ev.CUSTOMER_LOOKED_UP, "unmatched", ev.officer_actor(officer),
                                         {"by": "ID_NUMBER", "found": False}, occurred_at=late))
    repo.record_staff_action(DomainEvent(ev.CUSTOMER_LOOKED_UP, "customer-x", "customer:x", {}, occurred_at=late))
    on_2nd = [e for e in repo.staff_actions(late.date() + timedelta(days=1)) if e["actor"] == f"officer:{officer}"]
    assert [(e["event"], e["data"]) for e in on_2nd] == [("CustomerLookedUp", {"by": "ID_NUMBER", "found": False})]
    assert not [e for e in repo.staff_actions(late.date()) if e["actor"] == f"officer:{officer}"]
    assert not [e for e in repo.staff_actions(late.date() + timedelta(days=1)) if e["actor"] == "customer:x"]


def test_the_funnels_milestones_are_found_by_their_business_day(repo: Any) -> None:
    line = active_line(repo)
    day = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    app_id = line.application_id
    app = repo.get_application(app_id)
    app.record(ev.OFFER_MADE, "system")
    app.pending_events[-1] = replace(app.pending_events[-1], occurred_at=day)
    repo.save_application(app)
    dd = requested_drawdown(repo, line, 100)
    repo.record_staff_action(DomainEvent(ev.LOAN_BOOKED, dd.drawdown_id, "system", {"loan_id": "loan_x"},
                                         occurred_at=day))  # not a line's first loan: no milestone
    repo.record_staff_action(DomainEvent(ev.LOAN_BOOKED, dd.drawdown_id, "system",
                                         {"loan_id": "loan_y", **first_payout_data(line.credit_line_id, day)},
                                         occurred_at=day + timedelta(minutes=5)))
    found = [(m["event"], m["aggregate_id"]) for m in repo.milestones(day.date())
             if m["aggregate_id"] in (app_id, dd.drawdown_id)]
    assert found == [("OfferMade", app_id), ("LoanBooked", dd.drawdown_id)]
