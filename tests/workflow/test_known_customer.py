"""The known customer's journey on the local stack (the real state machines, the customer records' simulator):
alice applies with nothing typed but the amount and is paid into her own account with no bank-card check; a card
that is not hers is refused with ID_CARD_NOT_ON_RECORD; bob cannot be paid into alice's account; a newer card
renews the expiry the bank has on file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from chalicelib import bootstrap
from chalicelib.domain.errors import AccountVerificationUnavailableError
from chalicelib.ports import AccountCheck, AccountVerifier
from local.journey import Journey


class MustNotBeAsked(AccountVerifier):
    """The four-element check of a card: a payout into an account the bank holds in her name never asks it."""

    def verify(self, name: str, id_number: str, account_no: str, phone: str) -> AccountCheck:
        raise AccountVerificationUnavailableError("the four-element check was asked for the bank's own account")


def own_account(person: Journey) -> str:
    profile = person.profile()
    assert profile is not None
    return str(next(a["account_id"] for a in profile["accounts"] if a["can_receive_payout"]))


def line_from_record(person: Journey) -> str:
    app_id = person.apply_from_record()
    person.upload_documents(app_id, "valid_zhang")
    person.pass_liveness(app_id)
    person.call("POST", f"/v1/applications/{app_id}/submit", expect=202)  # no SMS step: her phone is on record
    person.wait_status(app_id, "OFFERED")
    return str(person.accept_and_sign(app_id)["credit_line_id"])


def test_alice_applies_from_her_record_and_is_paid_into_her_own_account(journey: Callable[[str], Journey],
                                                                         live: object) -> None:
    alice = journey("alice")
    line_id = line_from_record(alice)
    line = alice.call("GET", f"/v1/credit-lines/{line_id}")
    assert line["status"] == "ACTIVE" and line["payout_account_masked"] == "****0123"
    bootstrap.override(accounts=MustNotBeAsked())
    accepted = alice.draw_to_own(line_id, own_account(alice), 2_000_000)
    drawdown = alice.wait_drawdown(accepted["drawdown_id"])
    assert drawdown["status"] == "BOOKED" and drawdown["account_masked"] == "****0123"
    outbox = alice.call("GET", "/v1/dev/outbox")["items"]
    assert not [m for m in outbox if m["template"] == "PHONE_VERIFICATION"]  # no SMS proof of a phone on record


def test_someone_elses_card_on_alices_application_is_refused(journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    app_id = alice.apply_from_record()
    alice.upload_documents(app_id, "longterm_li")  # bob's card: readable, valid, not hers
    alice.pass_liveness(app_id)
    alice.call("POST", f"/v1/applications/{app_id}/submit", expect=202)
    declined = alice.wait_status(app_id, "DECLINED")
    assert declined["identity"]["verdict"] == "FAIL"
    assert declined["identity"]["reason_codes"] == ["ID_CARD_NOT_ON_RECORD"]
    # the typed way is no way round it: a known login presenting another's card, with that person's name typed
    typed = alice.apply_and_submit(card="risky_zhou")
    assert alice.wait_status(typed, "DECLINED")["identity"]["reason_codes"] == ["ID_CARD_NOT_ON_RECORD"]


def test_bob_cannot_be_paid_into_alices_account(journey: Callable[[str], Journey], live: object) -> None:
    alice, bob = journey("alice"), journey("bob")
    alices_account = own_account(alice)
    app_id = bob.apply_from_record(business={"name": "李梅小吃", "registration_no": "91330100MA2B3C4D5N",
                                             "years_in_business": 2, "annual_revenue_fen": 30_000_000})
    bob.upload_documents(app_id, "longterm_li")
    bob.pass_liveness(app_id)
    bob.call("POST", f"/v1/applications/{app_id}/submit", expect=202)
    bob.wait_status(app_id, "OFFERED")
    line_id = bob.accept_and_sign(app_id)["credit_line_id"]
    status, body = bob.send("POST", f"/v1/credit-lines/{line_id}/drawdowns", bob.token,
                            {"amount_fen": 1_000_000, "term_months": 12, "repayment_method": "EQUAL_INSTALMENT",
                             "payout_account_id": alices_account}, {"Idempotency-Key": "bob-into-alices-0001"})
    assert status == 422 and body["error"]["code"] == "PAYOUT_ACCOUNT_UNKNOWN"
    # nor by her number typed: an account the bank does not hold in his name goes through its four elements,
    # and is not the one he declared
    status, body = bob.send("POST", f"/v1/credit-lines/{line_id}/drawdowns", bob.token,
                            {"amount_fen": 1_000_000, "term_months": 12, "repayment_method": "EQUAL_INSTALMENT",
                             "account_no": "6222021234567890123"}, {"Idempotency-Key": "bob-into-alices-0002"})
    assert status == 422 and body["error"]["code"] == "PAYOUT_ACCOUNT_NOT_OWN"
    assert bob.call("GET", "/v1/drawdowns")["items"] == []


def test_a_newer_card_renews_the_expiry_on_file(journey: Callable[[str], Journey], live: object) -> None:
    records = bootstrap.deps().customer_records
    records.note_id_card_expiry("8801000000017", date(2026, 3, 1))  # the bank still holds her old card's date
    alice = journey("alice")
    app_id = alice.apply_from_record()
    alice.upload_documents(app_id, "valid_zhang")  # valid until 2036-03-01
    alice.pass_liveness(app_id)
    alice.call("POST", f"/v1/applications/{app_id}/submit", expect=202)
    alice.wait_status(app_id, "OFFERED")
    record = records.record("8801000000017")
    assert record is not None and record.id_card_valid_until == date(2036, 3, 1)


def test_a_thin_file_gets_a_line_from_the_banks_own_data(journey: Callable[[str], Journey]) -> None:
    """钱多多 (the sandbox-thin login) has no credit-bureau record at all, and twelve years of strong accounts at
    the bank: the scorecard of the bank's own data approves her, at grade C's terms, and says why."""
    thin = journey("sandbox-thin")
    app_id = thin.apply_from_record()
    thin.upload_documents(app_id, "thin_qian")
    thin.pass_liveness(app_id)
    thin.call("POST", f"/v1/applications/{app_id}/submit", expect=202)
    offered = thin.wait_status(app_id, "OFFERED", "REFERRED", "DECLINED")
    assert offered["status"] == "OFFERED", offered["decision"]
    codes = offered["decision"]["reason_codes"]
    assert codes[0] == "THIN_FILE_APPROVED_ON_BANK_DATA" and "BANK_RELATIONSHIP_LONG" in codes
    assert offered["offer"]["annual_rate"] == "0.0720"  # grade C's price: the most careful the product approves
    words = {r["code"]: r["zh"] for r in offered["decision"]["reasons"]}
    assert words["THIN_FILE_APPROVED_ON_BANK_DATA"] == "征信无记录，依据您在本行的账户往来核定额度"
