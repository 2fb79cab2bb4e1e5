"""The drawdown state machine (infra/drawdown.asl.json) executed by moto, with the real handlers, including
failures injected into the core banking call."""

from collections.abc import Callable

import pytest

from chalicelib import bootstrap
from chalicelib.adapters.core_banking_simulator import SimulatedCoreBanking
from chalicelib.domain.errors import DisbursementOutcomeUnknownError
from chalicelib.domain.money import Money
from local.journey import Journey
from tests.workflow.conftest import Executions

REFUSED_ACCOUNT = "6222020000000000000"  # the core banking simulator refuses accounts ending in 0000


def active_line(person: Journey, account: str = "6222021234567890123") -> str:
    app_id = person.apply_and_submit(account=account)
    person.wait_status(app_id, "OFFERED")
    return str(person.accept_and_sign(app_id)["credit_line_id"])


def test_a_drawdown_is_reserved_paid_booked_and_notified(journey: Callable[[str], Journey],
                                                         executions: Executions) -> None:
    alice = journey("alice")
    line_id = active_line(alice)
    accepted = alice.draw(line_id, 2_000_000, 6, "EQUAL_PRINCIPAL")
    drawdown = alice.wait_drawdown(accepted["drawdown_id"])
    assert drawdown["status"] == "BOOKED" and drawdown["account_masked"] == "****0123"
    assert executions.drawdown(accepted["drawdown_id"])["status"] == "SUCCEEDED"
    assert executions.entered_states("DRAWDOWN_STATE_MACHINE_ARN", accepted["drawdown_id"]) == [
        "ReserveLimit", "ReservationOutcome", "DisburseFunds", "BookLoan", "NotifyDisbursed", "Completed"]
    assert alice.call("GET", f"/v1/credit-lines/{line_id}")["available_fen"] == 3_000_000


def test_a_refused_payout_releases_the_reservation_once(journey: Callable[[str], Journey],
                                                        executions: Executions) -> None:
    bob = journey("carol")
    line_id = active_line(bob, account=REFUSED_ACCOUNT)
    accepted = bob.draw(line_id, 1_000_000, account=REFUSED_ACCOUNT)
    drawdown = bob.wait_drawdown(accepted["drawdown_id"])
    assert drawdown["status"] == "FAILED" and drawdown["failure_reason"] == "PAYOUT_ACCOUNT_REFUSED"
    assert drawdown["next_action"] == "CONTACT_BANK" and "收款账户未能入账" in drawdown["message_zh"]
    # by SMS: she had been told it was accepted (sent by the step that released it, just after the status moved)
    outbox = bob.wait_for("/v1/dev/outbox", lambda b: any(m["template"] == "DRAWDOWN_NOT_PAID" for m in b["items"]))
    told = [m for m in outbox["items"] if m["template"] == "DRAWDOWN_NOT_PAID"]
    assert "¥10,000.00" in told[0]["text"]
    execution = executions.drawdown(accepted["drawdown_id"])
    assert execution["status"] == "FAILED" and execution.get("error") == "DisbursementRefusedError"
    line = bob.call("GET", f"/v1/credit-lines/{line_id}")
    assert line["available_fen"] == line["limit_fen"]
    trail = [e["event"] for e in bootstrap.deps().repo.audit_trail(accepted["drawdown_id"])]
    assert trail.count("LimitReserved") == 1 and trail.count("ReservationReleased") == 1
    assert "FundsDisbursed" not in trail


class TimesOutAfterPaying(SimulatedCoreBanking):
    """The core pays, then the answer is lost: the workflow must ask by drawdown id, not pay again."""

    def __init__(self, inner: SimulatedCoreBanking) -> None:
        super().__init__(inner._client, inner._table)
        self.pay_calls = 0

    def pay(self, drawdown_id: str, account_no: str, amount: Money) -> str:
        self.pay_calls += 1
        super().pay(drawdown_id, account_no, amount)
        if self.pay_calls == 1:
            raise DisbursementOutcomeUnknownError("core banking timed out")
        raise AssertionError("paid twice")


def test_a_timeout_after_paying_is_resolved_by_asking_the_core_and_pays_once(
        journey: Callable[[str], Journey], executions: Executions) -> None:
    alice = journey("alice")
    line_id = active_line(alice)
    core = TimesOutAfterPaying(bootstrap.deps().core_banking)  # type: ignore[arg-type]
    bootstrap.override(core_banking=core)
    accepted = alice.draw(line_id, 1_000_000)
    drawdown = alice.wait_drawdown(accepted["drawdown_id"])
    assert drawdown["status"] == "BOOKED"
    assert core.pay_calls == 1 and core.payouts_count(accepted["drawdown_id"]) == 1
    assert executions.drawdown(accepted["drawdown_id"])["status"] == "SUCCEEDED"


def test_drawdowns_beyond_the_available_amount_are_never_paid(journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    line_id = active_line(alice)  # 50,000 yuan
    first = alice.draw(line_id, 3_000_000)
    # The second either passes the API's quick check (the first is not reserved yet) and is then rejected by the
    # atomic reservation, or is refused at once: both are correct, neither overdraws.
    second = alice.draw(line_id, 3_000_000, expect=(202, 422))
    assert alice.wait_drawdown(first["drawdown_id"])["status"] == "BOOKED"
    if "drawdown_id" in second:
        rejected = alice.wait_drawdown(second["drawdown_id"])
        assert (rejected["status"], rejected["failure_reason"]) == ("REJECTED", "CREDIT_LIMIT_EXCEEDED")
    else:
        assert second["error"]["code"] == "CREDIT_LIMIT_EXCEEDED"
    assert alice.call("GET", f"/v1/credit-lines/{line_id}")["available_fen"] == 2_000_000


def test_a_timeout_without_paying_is_retried_and_pays_once(journey: Callable[[str], Journey],
                                                           executions: Executions) -> None:
    account = "6222021234567890002"  # the simulator's "first attempt times out before paying"
    alice = journey("alice")
    line_id = active_line(alice, account=account)
    accepted = alice.draw(line_id, 1_000_000, account=account)
    assert alice.wait_drawdown(accepted["drawdown_id"])["status"] == "BOOKED"
    core = bootstrap.deps().core_banking
    assert core.payouts_count(accepted["drawdown_id"]) == 1  # type: ignore[attr-defined]


def test_the_simulators_timeout_after_paying_is_resolved_by_asking_the_core(
        journey: Callable[[str], Journey], executions: Executions) -> None:
    account = "6222021234567890001"  # the simulator's "first attempt pays, then the answer is lost"
    alice = journey("alice")
    line_id = active_line(alice, account=account)
    accepted = alice.draw(line_id, 1_000_000, account=account)
    assert alice.wait_drawdown(accepted["drawdown_id"])["status"] == "BOOKED"
    assert bootstrap.deps().core_banking.payouts_count(accepted["drawdown_id"]) == 1  # type: ignore[attr-defined]


class FailsOnce:
    """Wraps a dependency so that its first call to ``method`` raises, as a crashed Lambda would."""

    def __init__(self, inner: object, method: str) -> None:
        self._inner, self._method, self.failed = inner, method, False

    def __getattr__(self, name: str) -> object:
        target = getattr(self._inner, name)
        if name != self._method or self.failed:
            return target

        def boom(*args: object, **kwargs: object) -> object:
            self.failed = True
            raise ConnectionError("injected failure")  # a Lambda.Unknown-like crash, before the write

        return boom


@pytest.mark.parametrize("failing", ["reserve_limit", "save_drawdown", "book_loan"])
def test_a_crash_at_any_step_still_pays_exactly_once(journey: Callable[[str], Journey], executions: Executions,
                                                     failing: str) -> None:
    alice = journey("alice")
    line_id = active_line(alice)
    repo = FailsOnce(bootstrap.deps().repo, failing)
    bootstrap.override(repo=repo)
    accepted = alice.draw(line_id, 1_000_000)
    drawdown = alice.wait_for(f"/v1/drawdowns/{accepted['drawdown_id']}",
                              lambda b: b["status"] in ("BOOKED", "FAILED", "REJECTED"))
    assert repo.failed and drawdown["status"] == "BOOKED"  # the step was retried and the journey completed
    assert bootstrap.deps().core_banking.payouts_count(accepted["drawdown_id"]) == 1  # type: ignore[attr-defined]
    line = alice.call("GET", f"/v1/credit-lines/{line_id}")
    assert line["available_fen"] == line["limit_fen"] - 1_000_000


def test_a_drawdown_to_a_card_in_someone_elses_name_is_refused_through_the_api(
        journey: Callable[[str], Journey], executions: Executions) -> None:
    """The local four-element-check simulator says an account ending 0003 belongs to someone else: the first
    drawdown to it is refused with the element that failed, nothing is recorded or paid, the line is untouched."""
    alice = journey("alice")
    account = "6222021234560003"
    line_id = active_line(alice, account=account)
    status, payload = alice.send("POST", f"/v1/credit-lines/{line_id}/drawdowns", alice.token,
                                 {"amount_fen": 1_000_000, "term_months": 12, "repayment_method": "EQUAL_INSTALMENT",
                                  "account_no": account}, {"Idempotency-Key": "someone-elses-card-01"})
    assert status == 422 and payload["error"]["code"] == "PAYEE_ACCOUNT_NOT_VERIFIED"
    assert payload["error"]["details"]["element"] == "HOLDER_MISMATCH"
    line = alice.call("GET", f"/v1/credit-lines/{line_id}")
    assert line["available_fen"] == line["limit_fen"]
    assert bootstrap.deps().repo.drawdown_for_key(
        bootstrap.deps().repo.get_credit_line(line_id).customer_id, "someone-elses-card-01") is None


def test_a_replayed_drawdown_gets_its_first_answer_through_the_api_after_the_line_is_used_up(
        journey: Callable[[str], Journey], executions: Executions) -> None:
    alice = journey("alice")
    line_id = active_line(alice)
    limit = alice.call("GET", f"/v1/credit-lines/{line_id}")["limit_fen"]
    first = alice.draw(line_id, limit, key="whole-line-key-01")
    assert alice.wait_drawdown(first["drawdown_id"])["status"] == "BOOKED"
    assert alice.draw(line_id, limit, key="whole-line-key-01") == first  # a lost answer, retried: same answer
    status, payload = alice.send("POST", f"/v1/credit-lines/{line_id}/drawdowns", alice.token,
                                 {"amount_fen": 100_000, "term_months": 12, "repayment_method": "EQUAL_INSTALMENT",
                                  "account_no": "6222021234567890123"}, {"Idempotency-Key": "whole-line-key-02"})
    assert status == 422 and payload["error"]["code"] == "CREDIT_LIMIT_EXCEEDED"  # a new request meets the rules


class FreezesAsThePayoutStarts:
    """The core banking system, with a court record landing for the borrower just as the payout step begins
    (after the reservation): the early warning freezes the line before the step can start paying."""

    def __init__(self, inner: SimulatedCoreBanking, line_id: str) -> None:
        self._inner, self._line_id, self.frozen = inner, line_id, False

    def outcome(self, drawdown_id: str) -> str | None:
        if not self.frozen:
            from datetime import UTC, datetime

            from chalicelib.domain.early_warning import Signal, Source
            from chalicelib.services import monitoring

            monitoring.evaluate(bootstrap.deps(), self._line_id, Signal(
                "JUDICIAL_DISHONEST_DEBTOR", Source.JUDICIAL, f"case-{drawdown_id}", datetime.now(UTC)))
            self.frozen = True
        return self._inner.outcome(drawdown_id)

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


def test_a_freeze_recorded_before_the_payout_starts_stops_it_and_releases_the_reservation(
        journey: Callable[[str], Journey], executions: Executions) -> None:
    alice = journey("alice")
    line_id = active_line(alice)
    core = bootstrap.deps().core_banking
    assert isinstance(core, SimulatedCoreBanking)
    racing = FreezesAsThePayoutStarts(core, line_id)
    bootstrap.override(core_banking=racing)
    accepted = alice.draw(line_id, 1_000_000, 6, "EQUAL_PRINCIPAL")
    drawdown = alice.wait_drawdown(accepted["drawdown_id"])
    assert racing.frozen and drawdown["status"] == "FAILED"
    assert drawdown["failure_reason"] == "LINE_NOT_ACTIVE_AT_PAYOUT" and drawdown["next_action"] == "READ_NOTICE"
    assert core.outcome(accepted["drawdown_id"]) is None  # never paid
    line = alice.call("GET", f"/v1/credit-lines/{line_id}")
    assert line["status"] == "FROZEN" and line["available_fen"] == line["limit_fen"]  # reservation released
    trail = [e["event"] for e in bootstrap.deps().repo.audit_trail(accepted["drawdown_id"])]
    assert "PayoutStarted" not in trail and "FundsDisbursed" not in trail and trail.count("ReservationReleased") == 1
