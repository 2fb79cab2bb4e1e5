"""The customer information system's local simulator, as the README documents it: the demo's and the sandbox's
records by login, deterministic figures (the same record twice, twelve months ending last month), account ids that
are stable and tell nothing of the number, customers in disjoint segments, and a newer card's expiry kept."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from chalicelib.adapters.customer_records_simulator import SimulatedCustomerRecords, account_id_of
from chalicelib.settings import Settings

DATA = Path(Settings.model_fields["customer_records_data"].default)
CARDS = json.loads((Path(__file__).parents[1] / "fixtures" / "idcards" / "cards.json").read_text(encoding="utf-8"))
TODAY = date(2026, 12, 7)


def test_alice_is_the_holder_of_the_valid_zhang_card_and_bob_of_the_long_term_one() -> None:
    records = SimulatedCustomerRecords(DATA, TODAY)
    alice, bob = records.record_of_login("alice"), records.record_of_login("bob")
    assert alice is not None and bob is not None
    assert (alice.name, alice.id_number) == (CARDS["valid_zhang"]["name"], CARDS["valid_zhang"]["id_number"])
    assert alice.id_card_valid_until == date.fromisoformat(CARDS["valid_zhang"]["valid_until"])
    assert (bob.name, bob.id_number, bob.id_card_valid_until) == ("李梅", CARDS["longterm_li"]["id_number"], None)
    assert (CARDS["thin_qian"]["id_number"] ==
            records.record_of_login("sandbox-thin").id_number)  # type: ignore[union-attr]
    assert records.record_of_login("carol") is None and records.record_of_login("olivia") is None


def test_the_figures_are_deterministic_and_end_with_last_month() -> None:
    one, two = SimulatedCustomerRecords(DATA, TODAY), SimulatedCustomerRecords(DATA, TODAY)
    assert one.record("8801000000017") == two.record("8801000000017")
    months = one.record("8801000000017").accounts[0].months  # type: ignore[union-attr]
    assert (months[0].month, months[-1].month, len(months)) == ("2025-12", "2026-11", 12)
    assert all(6_800_000 * 0.9 <= m.inflow_fen <= 6_800_000 * 1.1 for m in months)  # within 10% of the base


def test_a_sandbox_fall_is_in_the_latest_month_only() -> None:
    falling = SimulatedCustomerRecords(DATA, TODAY).record_of_login("sandbox-falling")
    assert falling is not None
    rel = falling.relationship(TODAY)
    assert rel.latest_inflow_fen * 2 < rel.previous_three_inflow_fen and rel.loans_days_past_due == 45


def test_account_ids_are_stable_opaque_and_differ_between_customers() -> None:
    alice = SimulatedCustomerRecords(DATA, TODAY).record_of_login("alice")
    assert alice is not None
    account = alice.accounts[0]
    assert account.account_id == account_id_of(alice.customer_number, account.account_no)
    assert re.fullmatch(r"acct_[0-9a-f]{20}", account.account_id)  # what the API accepts back, and no digits of hers
    assert account_id_of("8801000000025", account.account_no) != account.account_id


def test_every_customer_is_in_exactly_one_segment() -> None:
    records = SimulatedCustomerRecords(DATA, TODAY)
    seen = [n for segment in range(3) for n in records.customer_numbers(segment, 3)]
    assert sorted(seen) == sorted(set(seen)) and len(seen) == len(json.loads(DATA.read_text())["customers"])


def test_a_newer_cards_expiry_is_kept() -> None:
    records = SimulatedCustomerRecords(DATA, TODAY)
    records.note_id_card_expiry("8801000000017", date(2040, 1, 1))
    assert records.record("8801000000017").id_card_valid_until == date(2040, 1, 1)  # type: ignore[union-attr]


def test_recent_payments_are_dated_from_today_with_their_counterpartys_category() -> None:
    falling = SimulatedCustomerRecords(DATA, TODAY).record_of_login("sandbox-falling")
    assert falling is not None
    payments = [p for a in falling.accounts for p in a.payments]
    assert [(p.on, p.amount_fen, p.counterparty_category) for p in payments] == [
        (date(2026, 12, 4), 3_000_000, "SECURITIES")]
