"""The yearly re-review of lines valid longer than 12 months (no product grants one today: a product that does is
made here). The sweep opens the review task on the anniversary, once a year; while it is due, drawing works; once
it is overdue, new drawdowns wait for an officer; closing the review lets them through again."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from chalicelib.domain import products
from chalicelib.domain.drawdown import DrawdownStatus
from chalicelib.domain.early_warning import Level
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.domain.warning_signals import annual_review_year
from chalicelib.services import monitoring
from chalicelib.services.deps import Dependencies
from chalicelib.services.servicing import drawdowns
from chalicelib.services.servicing.drawdowns import DrawdownCommand
from tests.unit.test_daily_sweep import swept
from tests.unit.test_services import ACCOUNT, active_line


@pytest.mark.parametrize(("today", "year"), [(date(2026, 1, 30), None), (date(2026, 1, 31), 1),
                                             (date(2026, 7, 1), 1), (date(2027, 1, 31), 2), (date(2028, 1, 31), None)])
def test_the_anniversary_of_a_line_longer_than_a_year(today: date, year: int | None) -> None:
    assert annual_review_year(date(2025, 1, 31), date(2028, 1, 31), today) == year
    assert annual_review_year(date(2025, 1, 31), date(2026, 1, 31), today) is None  # a 12-month line: never


def test_the_review_opens_once_a_year_and_an_overdue_one_holds_new_drawdowns(
        memory_deps: Dependencies, monkeypatch: pytest.MonkeyPatch) -> None:
    code = "INCLUSIVE_BUSINESS_LOAN"
    monkeypatch.setitem(products.PRODUCTS._products, code, replace(products.PRODUCTS[code], line_validity_months=36))
    line_id = active_line(memory_deps)
    swept(memory_deps, line_id, 364)
    assert memory_deps.warnings.open_warning_of_line(line_id) is None  # not a year yet
    swept(memory_deps, line_id, 1)
    warning = memory_deps.warnings.open_warning_of_line(line_id)
    assert warning is not None and warning.level is Level.YELLOW and warning.reason_codes == ("ANNUAL_REVIEW_DUE",)
    swept(memory_deps, line_id)  # the same year again: the same task
    assert len(memory_deps.warnings.open_warning_of_line(line_id).causes) == 1  # type: ignore[union-attr]

    def draw(key: str) -> DrawdownStatus:
        return drawdowns.request_drawdown(memory_deps, "alice", key, DrawdownCommand(
            line_id, Money.yuan(1_000), 12, M.EQUAL_INSTALMENT, ACCOUNT)).status

    assert draw("key-review-01") is not DrawdownStatus.AWAITING_APPROVAL  # due, not overdue: drawing works
    memory_deps.clock.advance(days=31)  # type: ignore[attr-defined]
    assert draw("key-review-02") is DrawdownStatus.AWAITING_APPROVAL  # overdue: an officer first
    monitoring.dispose(memory_deps, "olivia", warning.warning_id, monitoring.DispositionRequest(
        monitoring.Disposition.UNFREEZE, "年度复审完成，经营正常，维持额度"), memory_deps.clock.now())
    assert draw("key-review-03") is not DrawdownStatus.AWAITING_APPROVAL
