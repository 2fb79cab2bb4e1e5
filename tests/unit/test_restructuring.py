"""Restructuring (展期) in the domain: two different officers, the 《贷款通则》 limits, asked before maturity; the new
schedule keeps what is due and re-amortises the rest to the later maturity; at least 关注 for 12 months."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from chalicelib.domain.classification import LoanClass, classify
from chalicelib.domain.errors import InvalidTransitionError, SecondOfficerRequiredError, ValidationError
from chalicelib.domain.ledger import balances, loan_principal, restructured_loan_principal
from chalicelib.domain.loan import Loan, LoanReview, new_loan
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.domain.restructuring import (
    RestructuringKind,
    RestructuringOutcome,
    RestructuringRequest,
    RestructuringStatus,
    extend,
    extension_allowance,
)

NOW = datetime(2026, 7, 20, 2, 0, tzinfo=UTC)  # 10:00 Beijing, 20 July 2026


def loan(method: M = M.EQUAL_INSTALMENT, term: int = 12, paid: int = 0) -> Loan:
    ln = new_loan("loan_1", "dd_1", "line_1", "alice", Money.yuan(120_000), Decimal("0.0600"), term, method,
                  date(2026, 1, 15))
    ln.instalments_paid = ln.accrued_through = paid
    ln.outstanding_principal = ln.principal - sum((i.principal for i in ln.schedule[:paid]), Money.zero())
    return ln


def request(ln: Loan, months: int = 6, by: str = "customer:alice") -> RestructuringRequest:
    return RestructuringRequest.ask("rs_1", ln, RestructuringKind.EXTENSION, months, "生意受疫情影响，需要更长时间", by,
                                    NOW)


def approved(ln: Loan, months: int = 6) -> RestructuringRequest:
    r = request(ln, months)
    r.decide("olga", RestructuringOutcome.APPROVE, "经营流水可以覆盖", NOW)
    r.decide("oscar", RestructuringOutcome.APPROVE, "同意展期", NOW)
    return r


def test_the_same_officer_twice_is_refused() -> None:
    r = request(loan(paid=6))
    r.decide("olga", RestructuringOutcome.APPROVE, "经营流水可以覆盖", NOW)
    assert r.status is RestructuringStatus.AWAITING_SECOND_DECISION
    with pytest.raises(SecondOfficerRequiredError):
        r.decide("olga", RestructuringOutcome.APPROVE, "我再批一次", NOW)
    r.decide("oscar", RestructuringOutcome.APPROVE, "同意展期", NOW)
    assert r.status is RestructuringStatus.APPROVED and [d.officer_id for d in r.decisions] == ["olga", "oscar"]


def test_an_officer_who_proposed_it_decides_it_neither_time() -> None:
    r = request(loan(paid=6), by="officer:olga")
    with pytest.raises(SecondOfficerRequiredError):
        r.decide("olga", RestructuringOutcome.APPROVE, "我提议的", NOW)


def test_a_decline_by_either_ends_it_and_nothing_is_booked() -> None:
    ln = loan(paid=6)
    r = request(ln)
    r.decide("olga", RestructuringOutcome.DECLINE, "还款能力不足", NOW)
    assert r.status is RestructuringStatus.DECLINED
    with pytest.raises(InvalidTransitionError):
        r.decide("oscar", RestructuringOutcome.APPROVE, "同意展期", NOW)
    with pytest.raises(InvalidTransitionError):
        extend(ln, r, NOW.date(), NOW)


def test_extensions_are_asked_before_maturity_and_within_the_general_rules_limits() -> None:
    assert [extension_allowance(t) for t in (6, 12, 24, 36, 60, 84)] == [6, 12, 12, 18, 30, 36]
    with pytest.raises(ValidationError) as too_long:
        request(loan(term=12, paid=6), months=13)
    assert too_long.value.code == "EXTENSION_LIMIT_EXCEEDED"
    matured = loan(term=6, paid=5)  # matured 15 July, before NOW
    with pytest.raises(InvalidTransitionError) as late:
        request(matured)
    assert late.value.code == "LOAN_MATURED"
    ln = loan(term=12, paid=6)
    ln.extended_months, ln.term_months = 10, 22  # extended before: only 2 of its 12 months are left
    with pytest.raises(ValidationError):
        request(ln, months=3)


def test_the_new_schedule_keeps_what_is_due_and_spreads_the_rest_to_the_later_maturity() -> None:
    ln = loan(paid=6)  # July's instalment (due 15 July) was paid; 6 remain, ending 15 January 2027
    change = extend(ln, approved(ln), NOW.date(), NOW)
    assert change.schedule[:6] == ln.schedule[:6]
    assert [i.number for i in change.schedule] == list(range(1, 19)) and change.term_months == 18
    assert change.schedule[-1].due_date == date(2027, 7, 15)
    assert sum(i.principal.fen for i in change.schedule[6:]) == ln.outstanding_principal.fen  # type: ignore[union-attr]
    assert max(i.total.fen for i in change.schedule[6:]) < ln.schedule[6].total.fen  # smaller instalments
    assert change.closed_schedule == ln.schedule and change.observed_until == date(2027, 7, 20)


def test_an_instalment_already_late_stays_due_after_an_extension() -> None:
    ln = loan(paid=5)  # July's instalment, due 15 July, unpaid on 20 July
    ln.overdue_since = date(2026, 7, 15)
    change = extend(ln, approved(ln), NOW.date(), NOW)
    assert change.schedule[5] == ln.schedule[5]  # what was late is neither forgiven nor re-aged
    assert sum(i.principal.fen for i in change.schedule[5:]) == ln.outstanding_principal.fen  # type: ignore[union-attr]


def test_a_restructured_loan_is_at_least_special_mention_and_its_principal_is_booked_apart() -> None:
    ln = loan(paid=6)
    change = extend(ln, approved(ln), NOW.date(), NOW)
    assert change.review.loan_class == "SPECIAL_MENTION"
    assert change.ledger is not None and balances([change.ledger]) == {
        restructured_loan_principal("loan_1"): ln.outstanding_principal.fen,  # type: ignore[union-attr]
        loan_principal("loan_1"): -ln.outstanding_principal.fen}  # type: ignore[operator]
    worse = loan(paid=6)
    worse.review = LoanReview("SUBSTANDARD")
    assert extend(worse, approved(worse), NOW.date(), NOW).review.loan_class == "SUBSTANDARD"  # never better


def test_observation_holds_the_class_for_twelve_months_even_when_performing() -> None:
    assert classify(0, None, under_observation=True).loan_class is LoanClass.SPECIAL_MENTION
    assert classify(0, None, under_observation=True).reasons == ("RESTRUCTURED_UNDER_OBSERVATION",)
    assert classify(0, None, under_observation=False).loan_class is LoanClass.NORMAL
    ln = loan(paid=6)
    ln.observed_until = date(2027, 7, 20)
    assert ln.under_observation(date(2027, 7, 19)) and not ln.under_observation(date(2027, 7, 20))


def test_a_seasonal_loans_extension_keeps_its_quarterly_shape() -> None:
    ln = new_loan("loan_1", "dd_1", "line_1", "alice", Money.yuan(100_000), Decimal("0.0520"), 7,
                  M.INTEREST_QUARTERLY, date(2026, 3, 10))  # quarters to 10 June, 10 Sept; matures 10 Oct
    ln.instalments_paid = ln.accrued_through = 1
    change = extend(ln, approved(ln, months=7), NOW.date(), NOW)  # a 7-month loan may add 7 at most
    assert [(i.due_date.isoformat(), i.principal.fen) for i in change.schedule] == [
        ("2026-06-10", 0), ("2026-09-10", 0), ("2026-12-10", 0), ("2027-03-10", 0), ("2027-05-10", 10_000_000)]
    assert [i.interest.fen for i in change.schedule[1:]] == [130_000, 130_000, 130_000, 86_667]  # 3, 3, 3, 2 months
