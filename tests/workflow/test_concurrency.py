"""Many parallel drawdowns against one line, and parallel replays of one Idempotency-Key, on the local stack.

moto is not safe for conditional writes under parallel threads (a conditional update could succeed twice); real
DynamoDB is atomic. So every DynamoDB call is serialised here with one lock - which keeps each call atomic, as in
AWS, while the requests and the workflows still interleave freely between calls."""

import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chalicelib import bootstrap
from chalicelib.adapters.dynamodb_repository import DynamoDbLendingRepository
from chalicelib.domain.errors import DrawdownRuleViolatedError
from chalicelib.domain.money import Money
from chalicelib.domain.repayment_method import RepaymentMethod as M
from chalicelib.services.servicing import drawdowns
from chalicelib.services.servicing.drawdowns import DrawdownCommand
from local.journey import Journey
from tests.workflow.test_drawdown import active_line

ACCOUNT = "6222021234567890123"


class Serialised:
    """A boto3 client whose calls run one at a time."""

    def __init__(self, client: Any) -> None:
        self._client, self._lock = client, threading.Lock()
        self.exceptions = client.exceptions

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._client, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return method(*args, **kwargs)

        return call


def serialised_repo() -> DynamoDbLendingRepository:
    deps = bootstrap.deps()
    repo = DynamoDbLendingRepository(Serialised(deps.repo._client), deps.settings.table_name,  # type: ignore[attr-defined]
                                     deps.cipher)
    bootstrap.override(repo=repo)
    return repo


def settle(alice: Journey, ids: list[str]) -> list[dict[str, Any]]:
    return [alice.wait_drawdown(i) for i in ids]


def test_parallel_drawdowns_never_exceed_the_line(journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    line_id = active_line(alice)  # 50,000 yuan
    serialised_repo()
    deps = bootstrap.deps()
    customer = deps.repo.get_credit_line(line_id).customer_id

    def draw(i: int) -> str | None:
        cmd = DrawdownCommand(line_id, Money.yuan(6_000), 12, M.EQUAL_INSTALMENT, ACCOUNT)
        try:
            return drawdowns.request_drawdown(bootstrap.deps(), customer, f"parallel-{line_id[-8:]}-{i:03d}",
                                              cmd).drawdown_id
        except DrawdownRuleViolatedError:
            return None  # refused at once: the line was already used up

    with ThreadPoolExecutor(max_workers=12) as pool:
        accepted = [d for d in pool.map(draw, range(16)) if d]
    outcomes = settle(alice, accepted)
    booked = [o for o in outcomes if o["status"] == "BOOKED"]
    assert len(booked) == 8  # 8 x 6,000 = 48,000 of 50,000; every other one refused or rejected
    assert all(o["status"] in ("BOOKED", "REJECTED") for o in outcomes)
    line = alice.call("GET", f"/v1/credit-lines/{line_id}")
    assert line["available_fen"] == line["limit_fen"] - 8 * 600_000 >= 0
    core = deps.core_banking
    assert sum(core.payouts_count(o["drawdown_id"]) for o in outcomes) == 8  # type: ignore[attr-defined]


def test_parallel_replays_of_one_key_pay_once_with_identical_answers(journey: Callable[[str], Journey]) -> None:
    from chalicelib.api import views

    alice = journey("alice")
    line_id = active_line(alice)
    serialised_repo()
    customer = bootstrap.deps().repo.get_credit_line(line_id).customer_id
    cmd = DrawdownCommand(line_id, Money.yuan(10_000), 12, M.EQUAL_INSTALMENT, ACCOUNT)
    key = f"replayed-{line_id[-12:]}"

    def replay(_: int) -> str:  # what the API answers: the acceptance receipt, serialised
        return views.drawdown_accepted(drawdowns.request_drawdown(bootstrap.deps(), customer, key, cmd)
                                       ).model_dump_json()

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(replay, range(8)))
    assert len(set(answers)) == 1  # byte-identical bodies
    drawdown_id = json.loads(answers[0])["drawdown_id"]
    assert settle(alice, [drawdown_id])[0]["status"] == "BOOKED"
    assert bootstrap.deps().core_banking.payouts_count(drawdown_id) == 1  # type: ignore[attr-defined]
    line = alice.call("GET", f"/v1/credit-lines/{line_id}")
    assert line["available_fen"] == line["limit_fen"] - 1_000_000


def test_parallel_early_repayments_of_one_loan_collect_once(journey: Callable[[str], Journey]) -> None:
    """Two devices repay the same loan at the same moment, each with its own Idempotency-Key: one repayment
    is collected and booked, the other is told to wait (409) - never two collections for one balance."""
    from chalicelib.domain.errors import LendingError
    from chalicelib.services.servicing import repayments

    alice = journey("alice")
    line_id = active_line(alice)
    loan_id = alice.wait_drawdown(alice.draw(line_id, 1_000_000)["drawdown_id"])["loan_id"]
    serialised_repo()
    customer = bootstrap.deps().repo.get_credit_line(line_id).customer_id
    _, quote = repayments.quote(bootstrap.deps(), customer, loan_id)

    def repay(i: int) -> str:
        try:
            repayments.repay(bootstrap.deps(), customer, loan_id, f"device-{i}-{loan_id[-12:]}", quote.total.fen)
            return "REPAID"
        except LendingError as err:
            return err.code

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = sorted(pool.map(repay, range(4)))
    assert outcomes.count("REPAID") == 1, outcomes
    # the others: told to wait, or (once the first was booked) that the quote no longer holds - never debited
    assert set(outcomes) - {"REPAID"} <= {"REPAYMENT_IN_PROGRESS", "QUOTE_CHANGED", "INVALID_STATE"}, outcomes
    collected = [c for c in bootstrap.deps().core_banking.statement()
                 if c["kind"] == "COLLECTION" and c["amount_fen"] == quote.total.fen
                 and c["id"] in {repayments.repayment_id_for(customer, f"device-{i}-{loan_id[-12:]}")
                                 for i in range(4)}]
    assert len(collected) == 1, collected
    assert alice.call("GET", f"/v1/loans/{loan_id}")["status"] == "CLOSED"


def test_parallel_wrong_signing_codes_each_count_on_dynamodb(journey: Callable[[str], Journey]) -> None:
    """The attack: many guesses at once, hoping the ones that race past a read-compare-save go uncounted. Each
    guess is one conditional ADD on DynamoDB before it is compared, so exactly five count and the right code is
    refused afterwards."""
    from chalicelib.domain.errors import OtpAttemptsExceededError, OtpInvalidError
    from chalicelib.services.origination import origination

    alice = journey("alice")
    app_id = alice.apply_and_submit()
    alice.wait_status(app_id, "OFFERED")
    alice.call("POST", f"/v1/applications/{app_id}/offer/acceptance", expect=201)
    alice.call("POST", f"/v1/applications/{app_id}/contract/otp", expect=202)
    real = alice.latest_otp()
    serialised_repo()
    customer = bootstrap.deps().repo.get_application(app_id).customer_id
    wrong = [f"{n:06d}" for n in range(12) if f"{n:06d}" != real][:10]

    def guess(code: str) -> str:
        try:
            origination.sign_contract(bootstrap.deps(), customer, app_id, code)
            return "SIGNED"
        except (OtpInvalidError, OtpAttemptsExceededError) as err:
            return err.code

    with ThreadPoolExecutor(max_workers=10) as pool:
        outcomes = sorted(pool.map(guess, wrong))
    assert outcomes == ["OTP_ATTEMPTS_EXCEEDED"] * 5 + ["OTP_INVALID"] * 5
    status, payload = alice.send("POST", f"/v1/applications/{app_id}/contract/signature", alice.token,
                                 {"otp": real}, None)
    assert status == 429 and payload["error"]["code"] == "OTP_ATTEMPTS_EXCEEDED"
