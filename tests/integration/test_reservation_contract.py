"""The reservation's guarantees, asked of the in-memory fake and of DynamoDB alike: a line past its validity, or
not ACTIVE, reserves nothing (the database's condition decides, not the caller's read), and a reservation above
what is available is refused with what is available. The fake once lacked the validity condition."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.errors import CreditLimitExceededError, CreditLineNotActiveError
from chalicelib.domain.events import DomainEvent
from chalicelib.domain.money import Money
from tests.integration.test_dynamodb_repository import _drawdown, _reserve
from tests.unit.test_application_states import new_app


def line_valid_until(repo: Any, valid_until: datetime) -> Any:
    from tests.integration.test_dynamodb_repository import _line

    line = _line(repo, 10_000)
    if valid_until > datetime.now(UTC):
        return line
    app = new_app()  # a second line, activated already past its end (as a line is once its validity runs out)
    repo.add_application(app)
    app = repo.get_application(app.application_id)
    expired = replace(line, credit_line_id=f"line_{uuid.uuid4().hex}", application_id=app.application_id,
                      valid_until=valid_until, version=0)
    repo.activate_credit_line(app, expired, DomainEvent("CreditLineActivated", expired.credit_line_id, "test"))
    return expired


def test_a_line_past_its_validity_reserves_nothing(repo: Any) -> None:
    line = line_valid_until(repo, datetime.now(UTC) - timedelta(minutes=1))
    dd = _drawdown(repo, line, 1_000, uuid.uuid4().hex[:10])
    with pytest.raises(CreditLineNotActiveError):
        _reserve(repo, dd)
    assert repo.get_credit_line(line.credit_line_id).available == line.limit


def test_above_what_is_available_is_refused_with_what_is_available(repo: Any) -> None:
    line = line_valid_until(repo, datetime.now(UTC) + timedelta(days=30))
    dd = _drawdown(repo, line, 10_100, uuid.uuid4().hex[:10])
    with pytest.raises(CreditLimitExceededError) as refused:
        _reserve(repo, dd)
    assert refused.value.details == {"available_fen": Money.yuan(10_000).fen}


def test_a_move_is_stored_only_from_the_status_it_started_from(repo: Any) -> None:
    """Two workers read the same REQUESTED drawdown and both reserve: one reservation, the line debited once,
    one LimitReserved in the history; the second is told the drawdown moved meanwhile."""
    from chalicelib.domain.errors import ConcurrentModificationError

    line = line_valid_until(repo, datetime.now(UTC) + timedelta(days=30))
    dd = _drawdown(repo, line, 1_000, uuid.uuid4().hex[:10])
    late = repo.get_drawdown(dd.drawdown_id)
    _reserve(repo, dd)
    with pytest.raises(ConcurrentModificationError):
        _reserve(repo, late)
    assert repo.get_credit_line(line.credit_line_id).available == Money.yuan(9_000)
    assert [e["event"] for e in repo.audit_trail(dd.drawdown_id)].count("LimitReserved") == 1
    booked_twice = repo.get_drawdown(dd.drawdown_id)  # and a move the domain never made is not stored at all
    booked_twice.status = booked_twice.status.__class__.BOOKED
    with pytest.raises(ValueError, match="no move"):
        repo.book_loan(booked_twice, None)
