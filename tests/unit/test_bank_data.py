"""The bank's own data in the decision: the relationship's figures from a record, the policy it adds (a loan past
due here declines; the line within her inflows), and the thin-file scorecard - the bank's expert judgement,
one test per reason - plus the card renewal rule and what the app may see of a record."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from chalicelib.domain.bank_data import (
    BANK_LOAN_OVERDUE,
    LIMIT_CAPPED_BY_BANK_INFLOWS,
    BankDataPolicy,
    bank_knock_outs,
    capped_terms,
    inflow_cap,
    thin_file_scorecard,
)
from chalicelib.domain.credit import CreditTerms
from chalicelib.domain.customer_record import (
    AccountMonth,
    BankAccount,
    BankRelationship,
    CustomerRecord,
    LoanAtBank,
    renewed_expiry,
)
from chalicelib.domain.money import Money
from tests.products import INCLUSIVE_BUSINESS_LOAN

TODAY = date(2026, 12, 7)
YUAN = 100


def months(inflow_yuan: int, balance_yuan: int, latest_factor: float = 1.0) -> tuple[AccountMonth, ...]:
    """The twelve months before TODAY (2025-12 to 2026-11), the latest scaled by ``latest_factor``."""
    labels = ["2025-12", *(f"2026-{m:02d}" for m in range(1, 12))]
    return tuple(AccountMonth(label, int(inflow_yuan * YUAN * (latest_factor if i == 11 else 1)), inflow_yuan * YUAN,
                              int(balance_yuan * YUAN * (latest_factor if i == 11 else 1)))
                 for i, label in enumerate(labels))


def record(inflow_yuan: int = 60_000, balance_yuan: int = 80_000, since: date = date(2014, 5, 20), kyc: int = 3,
           acquiring_yuan: int = 0, latest_factor: float = 1.0, loans: tuple[LoanAtBank, ...] = ()) -> CustomerRecord:
    account = BankAccount("acct_1", "6222021234567890123", "I", "ACTIVE", months(inflow_yuan, balance_yuan,
                                                                                 latest_factor))
    acquiring = tuple(AccountMonth(m.month, acquiring_yuan * YUAN, 0, 0) for m in account.months if acquiring_yuan)
    return CustomerRecord("8801000000017", "张三", "330102199001010012", date(2036, 3, 1), "13800138000", kyc, since,
                          (account, BankAccount("acct_2", "6230521234500004567", "II", "ACTIVE")), acquiring,
                          loans=loans)


def rel(**kwargs: object) -> BankRelationship:
    return record(**kwargs).relationship(TODAY)  # type: ignore[arg-type]


def test_the_relationship_is_read_from_the_accounts_months() -> None:
    r = record(inflow_yuan=60_000, balance_yuan=80_000, acquiring_yuan=40_000, latest_factor=0.3).relationship(TODAY)
    assert r.months_observed == 12 and r.tenure_months == 12 * 12 + 7
    assert r.latest_inflow_fen == 1_800_000 and r.previous_three_inflow_fen == 6_000_000
    assert r.average_monthly_inflow_fen == (11 * 6_000_000 + 1_800_000) // 12
    assert r.acquiring_monthly_fen == 4_000_000 and r.kyc_level == 3


@pytest.mark.parametrize("facts, reason, points", [
    ({"since": date(2020, 1, 1)}, "BANK_RELATIONSHIP_LONG", 25),
    ({"since": date(2023, 6, 1)}, "BANK_RELATIONSHIP_ESTABLISHED", 15),
    ({"inflow_yuan": 50_000}, "BANK_INFLOWS_STRONG", 25),
    ({"inflow_yuan": 20_000}, "BANK_INFLOWS_STEADY", 15),
    ({"balance_yuan": 50_000}, "BANK_BALANCE_STRONG", 20),
    ({"balance_yuan": 10_000}, "BANK_BALANCE_STEADY", 10),
    ({"acquiring_yuan": 30_000}, "BANK_ACQUIRING_TURNOVER", 15),
    ({"kyc": 3}, "BANK_KYC_FULL", 15),
    ({"inflow_yuan": 60_000, "latest_factor": 0.4}, "BANK_INFLOWS_FALLING", -40),
])
def test_each_reason_of_the_scorecard_scores_what_it_says(facts: dict[str, object], reason: str, points: int) -> None:
    """One fact at a time above a baseline that scores nothing: the fact's points and reason, and no other."""
    baseline = {"inflow_yuan": 1_000, "balance_yuan": 1_000, "since": date(2026, 6, 1), "kyc": 2, "acquiring_yuan": 0}
    card = thin_file_scorecard(rel(**{**baseline, **facts}))
    other = [r for r in card.reasons if r != reason]
    assert reason in card.reasons and other == ([] if reason != "BANK_INFLOWS_FALLING" else ["BANK_INFLOWS_STRONG"])
    expected = points + (25 if reason == "BANK_INFLOWS_FALLING" else 0)  # (the fall's baseline inflow is strong)
    assert card.points == expected


def test_a_strong_relationship_approves_a_middling_one_refers() -> None:
    policy = BankDataPolicy()
    strong = thin_file_scorecard(rel(inflow_yuan=60_000, balance_yuan=80_000, acquiring_yuan=40_000))
    assert strong.points == 100 and strong.outcome(policy) == "APPROVE"
    assert strong.reasons[0] == "BANK_RELATIONSHIP_LONG"  # the strongest first
    middling = thin_file_scorecard(rel(inflow_yuan=25_000, balance_yuan=12_000, kyc=2))
    assert middling.points == 25 + 15 + 10 and middling.outcome(policy) == "REFER"
    falling = thin_file_scorecard(rel(inflow_yuan=60_000, balance_yuan=80_000, acquiring_yuan=40_000,
                                      latest_factor=0.3))
    assert falling.reasons[0] == "BANK_INFLOWS_FALLING" and falling.outcome(policy) == "REFER"


def test_a_loan_past_due_at_the_bank_declines() -> None:
    assert bank_knock_outs(rel(loans=(LoanAtBank("个人经营贷", 8_000_000, 45),))) == [BANK_LOAN_OVERDUE]
    assert bank_knock_outs(rel(loans=(LoanAtBank("个人经营贷", 8_000_000, 0),))) == []


def test_the_line_is_within_her_inflows_at_the_bank_and_says_so() -> None:
    policy = BankDataPolicy(inflow_multiple=Decimal("3"))
    r = rel(inflow_yuan=20_000)
    assert inflow_cap(r, policy) == Money.yuan(60_000)
    terms = CreditTerms(Money.yuan(150_000), Decimal("0.058"), Decimal("0.058"))
    capped, why = capped_terms(terms, r, policy, INCLUSIVE_BUSINESS_LOAN)
    assert capped is not None and capped.credit_limit == Money.yuan(60_000) and why == (LIMIT_CAPPED_BY_BANK_INFLOWS,)
    assert capped_terms(replace(terms, credit_limit=Money.yuan(50_000)), r, policy, INCLUSIVE_BUSINESS_LOAN) == (
        replace(terms, credit_limit=Money.yuan(50_000)), ())
    tiny, why = capped_terms(terms, rel(inflow_yuan=100), policy, INCLUSIVE_BUSINESS_LOAN)
    assert tiny is None and why == (LIMIT_CAPPED_BY_BANK_INFLOWS,)  # below the product's smallest line


def test_a_newer_card_renews_the_expiry_on_file_and_an_older_one_does_not() -> None:
    assert renewed_expiry(date(2026, 3, 1), date(2036, 3, 1), False) == date(2036, 3, 1)
    assert renewed_expiry(date(2036, 3, 1), date(2036, 3, 1), False) is False
    assert renewed_expiry(date(2036, 3, 1), date(2026, 3, 1), False) is False
    assert renewed_expiry(date(2026, 3, 1), None, True) is None  # a long-term card replaces a dated one
    assert renewed_expiry(None, date(2036, 3, 1), False) is False  # nothing is newer than long-term


def test_the_app_sees_a_record_masked_and_only_type_one_active_accounts_receive_a_loan() -> None:
    r = record()
    masked = r.masked()
    assert (masked.name, masked.id_number, masked.phone) == ("张*", "3301**********0012", "138****8000")
    assert [a[1] for a in masked.accounts] == ["****0123", "****4567"]
    assert [a.account_id for a in r.payout_accounts] == ["acct_1"]
    dormant = replace(r.accounts[0], status="DORMANT")
    assert not dormant.can_receive_payout
    assert r.own_account("acct_2") is not None and r.own_account("acct_other") is None
