"""What the daily sweep and the portfolio view ask of the repository, run against the in-memory fake and
DynamoDB (moto): a line's shard, its loans, the review written only over the review read (with a history entry
when the category changes), shard figures by day and by month, the day's ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from chalicelib.domain.loan import LoanReview
from chalicelib.domain.portfolio import shard_of
from tests.integration.builders import active_line, booked_loan

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def test_a_line_is_found_in_its_shard_with_its_loans(repo: Any) -> None:
    line = active_line(repo)
    loan = booked_loan(repo, line)
    swept = next(s for s in repo.lines_in_shard(shard_of(line.credit_line_id))
                 if s.credit_line_id == line.credit_line_id)
    assert (swept.customer_id, swept.limit_fen) == ("c1", line.limit.fen)
    assert swept.available_fen == line.limit.fen - 100_000
    assert [x.loan_id for x in repo.loans_of_line("c1", line.credit_line_id)] == [loan.loan_id]
    other = (shard_of(line.credit_line_id) + 1) % 64
    assert line.credit_line_id not in {s.credit_line_id for s in repo.lines_in_shard(other)}


def test_a_review_is_written_only_over_the_review_read(repo: Any) -> None:
    loan = booked_loan(repo, active_line(repo))
    read = repo.get_loan(loan.loan_id)
    first = LoanReview("SPECIAL_MENTION", "1-30", 3, "2026-12", "CURRENT")
    assert repo.record_review(read, first, ("OVERDUE",), NOW)
    assert not repo.record_review(read, LoanReview("NORMAL"), ("PERFORMING",), NOW)  # stale: refused
    assert repo.get_loan(loan.loan_id).review == first
    assert repo.classification_history(loan.loan_id) == [
        {"from": "NORMAL", "to": "SPECIAL_MENTION", "reasons": ["OVERDUE"], "at": NOW.isoformat()}]


def test_shard_figures_by_day_and_month_and_the_days_ledger(repo: Any) -> None:
    day = date(2031, 5, 17)  # a day no other test sweeps
    repo.save_shard_figures(day, 3, {"loans": 2})
    repo.save_shard_figures(date(2031, 5, 18), 3, {"loans": 5})
    assert repo.shard_figures(day) == [{"loans": 2}]
    assert repo.shard_figures("2031-05") == [{"loans": 5}]  # the month keeps its last sweep's
    booked_loan(repo, active_line(repo))
    from chalicelib.domain.business_date import business_date

    today = business_date(datetime.now(UTC))
    assert any(t.kind == "DISBURSEMENT" for t in repo.ledger_on(today))
