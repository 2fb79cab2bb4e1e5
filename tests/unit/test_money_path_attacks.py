"""Money paths under attack and under faults, over in-memory fakes: the same request always gets the same answer,
and money never moves without its booking. Each test is written as the attack or the fault it prevents."""

from datetime import UTC, date, datetime

import pytest

from chalicelib.api.error_status import http_status
from chalicelib.domain.errors import QuoteChangedError, RepaymentBeingBookedError
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.services.back_office import reconciliation
from chalicelib.services.deps import Dependencies
from chalicelib.services.servicing import auto_debit as servicing
from chalicelib.services.servicing import drawdowns, repayments
from chalicelib.services.servicing.drawdowns import DrawdownCommand
from chalicelib.settings import Settings
from tests.unit.test_services import ACCOUNT, active_line, booked_loan


def _with_settings(deps: Dependencies, **changes: object) -> None:
    deps.settings = Settings(**{**deps.settings.model_dump(), **changes})  # type: ignore[misc,arg-type]


# ---- idempotency before rules ---------------------------------------------------------------------------
def test_a_replayed_drawdown_gets_its_first_answer_after_the_line_is_used_up(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    line = memory_deps.repo.get_credit_line(line_id)
    cmd = DrawdownCommand(line_id, line.available, 12, M.EQUAL_INSTALMENT, ACCOUNT)
    first = drawdowns.request_drawdown(memory_deps, "alice", "key-all-of-it", cmd)
    drawdowns.reserve_limit(memory_deps, first.drawdown_id)  # the whole line is now reserved
    replay = drawdowns.request_drawdown(memory_deps, "alice", "key-all-of-it", cmd)  # a lost answer, retried
    assert replay.drawdown_id == first.drawdown_id


def test_a_replayed_drawdown_gets_its_first_answer_after_business_hours_end(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    memory_deps.clock.current = datetime(2026, 2, 2, 8, 59, tzinfo=UTC)  # type: ignore[attr-defined]  # 16:59 Beijing
    _with_settings(memory_deps, drawdown_hours="09:00-17:00")
    cmd = DrawdownCommand(line_id, Money.yuan(10_000), 12, M.EQUAL_INSTALMENT, ACCOUNT)
    first = drawdowns.request_drawdown(memory_deps, "alice", "key-late-tap", cmd)
    memory_deps.clock.advance(minutes=2)  # type: ignore[attr-defined]  # 17:01: the window is closed
    assert drawdowns.request_drawdown(memory_deps, "alice", "key-late-tap", cmd).drawdown_id == first.drawdown_id


def test_a_replayed_repayment_gets_its_first_answer_after_the_loan_is_closed(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-draw-rp1", 12_000, M.EQUAL_INSTALMENT)
    _, q = repayments.quote(memory_deps, "alice", loan_id)
    first = repayments.repay(memory_deps, "alice", loan_id, "key-repay-all", q.total.fen)
    assert first["loan_status"] == "CLOSED"
    assert repayments.repay(memory_deps, "alice", loan_id, "key-repay-all", q.total.fen) == first


# ---- key namespaces ---------------------------------------------------------------------------------------
def test_a_customer_key_shaped_like_an_auto_debit_id_cannot_stall_the_daily_run(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-draw-ns1", 12_000, M.EQUAL_PRINCIPAL)
    loan = memory_deps.repo.get_loan(loan_id)
    system_id = f"ad_{loan_id.removeprefix('loan_')}_001"
    _, q = repayments.quote(memory_deps, "alice", loan_id, Money.yuan(1_000))
    repayments.repay(memory_deps, "alice", loan_id, system_id, q.total.fen, Money.yuan(1_000).fen)  # the attack
    summary = servicing.run_auto_debit(memory_deps, loan.schedule[0].due_date)  # must end, and collect
    assert summary["collected"] == 1
    assert memory_deps.repo.get_loan(loan_id).instalments_paid == 1


def test_the_daily_run_is_bounded_even_when_a_booking_never_lands(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-draw-bd1", 12_000, M.EQUAL_PRINCIPAL)
    loan = memory_deps.repo.get_loan(loan_id)
    memory_deps.repo.apply_repayment = lambda *a, **k: False  # type: ignore[method-assign]  # always conflicts
    summary = servicing.run_auto_debit(memory_deps, loan.schedule[2].due_date)  # returns: no endless loop
    assert summary["collected"] == 0 and summary["booking_pending"] >= 1


# ---- collected means booked ---------------------------------------------------------------------------------
def test_a_collection_whose_booking_conflicts_is_never_answered_quote_changed(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-draw-cb1", 12_000, M.EQUAL_INSTALMENT)
    _, q = repayments.quote(memory_deps, "alice", loan_id)
    repo = memory_deps.repo
    real_apply = repo.apply_repayment
    repo.apply_repayment = lambda *a, **k: False  # type: ignore[method-assign]  # e.g. a racing reservation
    with pytest.raises(RepaymentBeingBookedError):  # honest: the money was taken and will be booked
        repayments.repay(memory_deps, "alice", loan_id, "key-repay-cb1", q.total.fen)
    assert len(memory_deps.core_banking.collections) == 1  # type: ignore[attr-defined]
    repo.apply_repayment = real_apply  # type: ignore[method-assign]
    done = repayments.repay(memory_deps, "alice", loan_id, "key-repay-cb1", q.total.fen)  # the app's retry
    assert done["loan_status"] == "CLOSED"
    assert len(memory_deps.core_banking.collections) == 1  # type: ignore[attr-defined]
    assert reconciliation.reconcile(memory_deps)["breaks"] == []


def test_a_collection_left_unbooked_is_completed_by_the_next_daily_run(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-draw-cb2", 12_000, M.EQUAL_INSTALMENT)
    _, q = repayments.quote(memory_deps, "alice", loan_id)
    repo = memory_deps.repo
    real_apply = repo.apply_repayment

    def crash(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("the function died between the core's debit and the booking")

    repo.apply_repayment = crash  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        repayments.repay(memory_deps, "alice", loan_id, "key-repay-cb2", q.total.fen)
    repo.apply_repayment = real_apply  # type: ignore[method-assign]
    memory_deps.clock.advance(minutes=30)  # type: ignore[attr-defined]  # the customer never comes back
    servicing.run_auto_debit(memory_deps, memory_deps.clock.today())
    assert repo.get_loan(loan_id).status.value == "CLOSED"
    assert len(memory_deps.core_banking.collections) == 1  # type: ignore[attr-defined]
    assert reconciliation.reconcile(memory_deps)["breaks"] == []
    again = repayments.repay(memory_deps, "alice", loan_id, "key-repay-cb2", q.total.fen)  # a late retry
    assert again["loan_status"] == "CLOSED"


def test_a_stale_claim_whose_money_was_taken_is_booked_before_another_repayment(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    loan_id = booked_loan(memory_deps, line_id, "key-draw-cb3", 12_000, M.EQUAL_INSTALMENT)
    _, q = repayments.quote(memory_deps, "alice", loan_id, Money.yuan(5_000))
    _, whole = repayments.quote(memory_deps, "alice", loan_id)  # what a second device showed its user
    repo = memory_deps.repo
    real_apply = repo.apply_repayment
    repo.apply_repayment = lambda *a, **k: (_ for _ in ()).throw(RuntimeError("crash"))  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        repayments.repay(memory_deps, "alice", loan_id, "key-repay-cb3", q.total.fen, Money.yuan(5_000).fen)
    repo.apply_repayment = real_apply  # type: ignore[method-assign]
    memory_deps.clock.advance(minutes=11)  # type: ignore[attr-defined]
    # another device, later, repays the whole 12,000 it was quoted: the first repayment's 5,000 yuan is booked
    # first (the core collected it), so that quote no longer holds - nothing is collected twice
    with pytest.raises(QuoteChangedError):
        repayments.repay(memory_deps, "alice", loan_id, "key-repay-cb4", whole.total.fen)
    loan = repo.get_loan(loan_id)
    assert loan.outstanding_principal == Money.yuan(7_000)
    assert reconciliation.reconcile(memory_deps)["breaks"] == []


# ---- one business date -------------------------------------------------------------------------------------
def test_the_business_date_is_beijing_at_23_59_and_00_01() -> None:
    from tests.fakes.memory import FixedClock

    assert FixedClock(datetime(2026, 3, 31, 15, 59, tzinfo=UTC)).today() == date(2026, 3, 31)  # 23:59 Beijing
    assert FixedClock(datetime(2026, 3, 31, 16, 1, tzinfo=UTC)).today() == date(2026, 4, 1)  # 00:01 Beijing


def test_a_loan_drawn_at_00_01_beijing_starts_that_day_and_falls_due_by_beijing_dates(
        memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    memory_deps.clock.current = datetime(2026, 3, 31, 16, 1, tzinfo=UTC)  # type: ignore[attr-defined]  # 1 April
    loan = memory_deps.repo.get_loan(booked_loan(memory_deps, line_id, "key-draw-bj1", 12_000, M.EQUAL_PRINCIPAL))
    assert loan.start_date == date(2026, 4, 1) and loan.schedule[0].due_date == date(2026, 5, 1)
    # quoted at 00:01 Beijing on 30 April (still 29 April in UTC): 29 days of interest, not 28
    memory_deps.clock.current = datetime(2026, 4, 29, 16, 1, tzinfo=UTC)  # type: ignore[attr-defined]
    assert repayments.quote(memory_deps, "alice", loan.loan_id)[1].days == 29


def test_a_loan_drawn_at_00_01_beijing_on_a_month_end_is_dated_that_month_end(memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    memory_deps.clock.current = datetime(2026, 1, 30, 16, 1, tzinfo=UTC)  # type: ignore[attr-defined]  # 31 Jan
    loan = memory_deps.repo.get_loan(booked_loan(memory_deps, line_id, "key-draw-bj2", 12_000, M.EQUAL_PRINCIPAL))
    assert loan.start_date == date(2026, 1, 31) and loan.schedule[0].due_date == date(2026, 2, 28)
    assert loan.schedule[1].due_date == date(2026, 3, 31)


def test_the_daily_run_takes_its_date_from_the_clock_in_beijing(memory_deps: Dependencies) -> None:
    memory_deps.clock.current = datetime(2026, 5, 1, 16, 1, tzinfo=UTC)  # type: ignore[attr-defined]
    assert servicing.run_auto_debit(memory_deps)["date"] == "2026-05-02"


# ---- the payee account is the customer's own (bank-card four-element check) -----------------------------------
class RecordingVerifier:
    def __init__(self, outcome: str = "MATCH", unavailable: bool = False) -> None:
        self.outcome, self.unavailable, self.calls = outcome, unavailable, 0

    def verify(self, name: str, id_number: str, account_no: str, phone: str) -> object:
        from chalicelib.domain.errors import AccountVerificationUnavailableError
        from chalicelib.ports import AccountCheck

        self.calls += 1
        assert (name, id_number, phone) == ("张三", "330102199001010012", "13800138000")  # all four elements
        if self.unavailable:
            raise AccountVerificationUnavailableError("no answer")
        return AccountCheck(self.outcome, "AV-1")


@pytest.mark.parametrize("outcome", ["HOLDER_MISMATCH", "PHONE_MISMATCH"])
def test_a_drawdown_to_an_account_in_someone_elses_name_is_refused_before_anything_moves(
        memory_deps: Dependencies, outcome: str) -> None:
    from chalicelib.domain.errors import DrawdownRuleViolatedError

    line_id = active_line(memory_deps)
    memory_deps.accounts = RecordingVerifier(outcome)  # type: ignore[assignment]
    with pytest.raises(DrawdownRuleViolatedError) as refused:
        drawdowns.request_drawdown(memory_deps, "alice", "key-payee-01",
                                   DrawdownCommand(line_id, Money.yuan(10_000), 12, M.EQUAL_INSTALMENT, ACCOUNT))
    assert refused.value.code == "PAYEE_ACCOUNT_NOT_VERIFIED" and refused.value.details["element"] == outcome
    assert memory_deps.repo.drawdowns == {} and memory_deps.core_banking.payouts == {}  # type: ignore[attr-defined]


def test_an_unanswered_account_check_is_a_503_and_records_nothing(memory_deps: Dependencies) -> None:
    from chalicelib.domain.errors import AccountVerificationUnavailableError

    line_id = active_line(memory_deps)
    memory_deps.accounts = RecordingVerifier(unavailable=True)  # type: ignore[assignment]
    with pytest.raises(AccountVerificationUnavailableError) as refused:
        drawdowns.request_drawdown(memory_deps, "alice", "key-payee-02",
                                   DrawdownCommand(line_id, Money.yuan(10_000), 12, M.EQUAL_INSTALMENT, ACCOUNT))
    assert http_status(refused.value) == 503 and memory_deps.repo.drawdowns == {}  # type: ignore[attr-defined]


def test_the_account_is_checked_once_and_the_workflow_reserves_only_for_a_verified_payee(
        memory_deps: Dependencies) -> None:
    line_id = active_line(memory_deps)
    verifier = RecordingVerifier()
    memory_deps.accounts = verifier  # type: ignore[assignment]
    for key in ("key-payee-03", "key-payee-04"):
        dd = drawdowns.request_drawdown(memory_deps, "alice", key,
                                        DrawdownCommand(line_id, Money.yuan(1_000), 12, M.EQUAL_INSTALMENT, ACCOUNT))
        assert drawdowns.reserve_limit(memory_deps, dd.drawdown_id)["reserved"]
    assert verifier.calls == 1
    # a drawdown recorded for an unverified account (say, the register was emptied) is rejected by the workflow
    memory_deps.identities.payees.clear()  # type: ignore[attr-defined]
    dd = drawdowns.request_drawdown(memory_deps, "alice", "key-payee-05",
                                    DrawdownCommand(line_id, Money.yuan(1_000), 12, M.EQUAL_INSTALMENT, ACCOUNT))
    memory_deps.identities.payees.clear()  # type: ignore[attr-defined]
    outcome = drawdowns.reserve_limit(memory_deps, dd.drawdown_id)
    assert outcome == {"reserved": False, "status": "REJECTED", "reason": "PAYEE_ACCOUNT_NOT_VERIFIED"}


def test_where_no_account_check_is_connected_drawdowns_are_refused_before_money_moves(
        memory_deps: Dependencies) -> None:
    from chalicelib.adapters.not_connected import NotConnectedAccountVerifier
    from chalicelib.domain.errors import AccountVerificationUnavailableError

    line_id = active_line(memory_deps)
    memory_deps.accounts = NotConnectedAccountVerifier()
    with pytest.raises(AccountVerificationUnavailableError):
        drawdowns.request_drawdown(memory_deps, "alice", "key-payee-06",
                                   DrawdownCommand(line_id, Money.yuan(1_000), 12, M.EQUAL_INSTALMENT, ACCOUNT))
    assert memory_deps.core_banking.payouts == {}  # type: ignore[attr-defined]
