"""What the daily sweep and the portfolio view ask of the repository, run against the in-memory fake and
DynamoDB (moto): a line's shard, its loans, the review written only over the review read (with a history entry
when the category changes), shard figures by day and by month, the day's ledger, held drawdowns."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from chalicelib.domain import ledger
from chalicelib.domain.loan import Loan, LoanReview, build_schedule
from chalicelib.domain.money import Money
from chalicelib.domain.portfolio import shard_of
from tests.integration.test_dynamodb_repository import _drawdown, _line, _reserve

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def booked(repo: Any, line: Any, key: str) -> Loan:
    dd = _drawdown(repo, line, 1_000, key)
    _reserve(repo, dd)
    dd = repo.get_drawdown(dd.drawdown_id)
    dd.disbursed("core-ref", "test")
    repo.save_drawdown(dd, ledger=ledger.disbursement(dd.drawdown_id, f"loan_{key}", Money(100_000)))
    dd = repo.get_drawdown(dd.drawdown_id)
    loan = Loan(f"loan_{key}", dd.drawdown_id, line.credit_line_id, "c1", Money(100_000), line.annual_rate, 12,
                line.repayment_methods[0], NOW.date(),
                build_schedule(Money(100_000), line.annual_rate, 12, line.repayment_methods[0], NOW.date()))
    dd.book(loan.loan_id, "test")
    assert repo.book_loan(dd, loan)
    return loan


def test_a_line_is_found_in_its_shard_with_its_loans(repo: Any) -> None:
    import uuid

    line = _line(repo)
    loan = booked(repo, line, uuid.uuid4().hex[:10])
    swept = next(s for s in repo.lines_in_shard(shard_of(line.credit_line_id))
                 if s.credit_line_id == line.credit_line_id)
    assert (swept.customer_id, swept.limit_fen) == ("c1", line.limit.fen)
    assert swept.available_fen == line.limit.fen - 100_000
    assert [x.loan_id for x in repo.loans_of_line("c1", line.credit_line_id)] == [loan.loan_id]
    other = (shard_of(line.credit_line_id) + 1) % 64
    assert line.credit_line_id not in {s.credit_line_id for s in repo.lines_in_shard(other)}


def test_a_review_is_written_only_over_the_review_read(repo: Any) -> None:
    import uuid

    loan = booked(repo, _line(repo), uuid.uuid4().hex[:10])
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
    booked(repo, _line(repo), __import__("uuid").uuid4().hex[:10])
    from chalicelib.domain.business_date import business_date

    today = business_date(datetime.now(UTC))
    assert any(t.kind == "DISBURSEMENT" for t in repo.ledger_on(today))


def test_drawdowns_held_for_an_officer_are_listed_until_decided(repo: Any) -> None:
    import uuid

    line = _line(repo)
    key = uuid.uuid4().hex[:10]
    from chalicelib.domain.drawdown import Drawdown
    from chalicelib.domain.repayment import RepaymentMethod as M

    dd = Drawdown.request(drawdown_id=f"dd_{key}", credit_line_id=line.credit_line_id, customer_id="c1",
                          amount=Money.yuan(100), term_months=12, repayment_method=M.EQUAL_INSTALMENT,
                          account_no=line.payout_account_no, request_hash=f"h-{key}", held_by_warning="warn_x")
    repo.add_drawdown(dd, f"key-{key}")
    assert dd.drawdown_id in {d.drawdown_id for d in repo.drawdowns_awaiting_approval()}
    held = repo.get_drawdown(dd.drawdown_id)
    held.approve("olivia", "checked the shop")
    repo.save_drawdown(held)
    assert dd.drawdown_id not in {d.drawdown_id for d in repo.drawdowns_awaiting_approval()}
