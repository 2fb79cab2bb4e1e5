"""The daily sweep on the real state machine (infra/sweep.asl.json, a Distributed Map over 64 shards, executed
by moto) over a portfolio of 640 lines (its rate at scale is `make bench`'s): every line is visited once, overdue
loans are classified at their thresholds with a history, their lines get warnings, and the shards' figures add up
to the portfolio."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from chalicelib import bootstrap
from chalicelib.adapters import dynamodb_codec as codec
from chalicelib.adapters.dynamodb_repository import _dump
from chalicelib.domain.business_date import business_date
from chalicelib.domain.classification import ClassificationPolicy, classify
from chalicelib.domain.loan import Loan, build_schedule
from chalicelib.domain.money import Money
from chalicelib.domain.portfolio import add_up, shard_of
from chalicelib.domain.schedules import add_months
from local.journey import Journey, run_sweep

LINES = 640  # ten a shard, most of them unused, as most lines of a real book are on a given day
DRAWN = 100  # lines with a loan
OVERDUE = {5: 10, 45: 10, 95: 10, 280: 10}  # days past due -> how many of the loans


def seed_portfolio(template_line: dict[str, Any], day: datetime) -> dict[str, int]:
    """Lines cloned from a real one (same application: its sealed fields open), each of its own customer; DRAWN
    of them with a loan, most current, some overdue by the days in OVERDUE. Returns days past due by loan id."""
    db, table = boto3.client("dynamodb"), os.environ["TABLE_NAME"]
    today = business_date(day)
    items: list[dict[str, Any]] = []
    expected: dict[str, int] = {}
    tiers = [dpd for dpd, count in OVERDUE.items() for _ in range(count)]
    for i in range(LINES):
        line_id, customer = f"line_seed{i:05d}{os.getpid()}", f"seed-{i:05d}-{os.getpid()}"
        line = {**template_line, "credit_line_id": line_id, "customer_id": customer, "status": "ACTIVE",
                "created_at": (day - timedelta(days=20)).isoformat(), "version": 1}
        line = {**line, **codec.credit_line_key(line_id), "GSI1PK": f"CUSTOMER#{customer}",
                "GSI1SK": f"CREDITLINE#{line['created_at']}#{line_id}",
                "GSI2PK": f"SWEEP_SHARD#{shard_of(line_id):02d}", "GSI2SK": line_id}
        if i >= DRAWN:
            items.append({**line, "available_fen": line["limit_fen"]})
            continue
        line["available_fen"] = int(line["limit_fen"]) - 1_000_000
        dpd = tiers[i] if i < len(tiers) else 0
        start = add_months(today - timedelta(days=dpd), -1) if dpd else today - timedelta(days=10)
        schedule = build_schedule(Money(1_000_000), template_line_rate(template_line), 12,
                                  codec.RepaymentMethod("EQUAL_INSTALMENT"), start)
        loan = Loan(loan_id=f"loan_seed{i:05d}{os.getpid()}", drawdown_id=f"dd_seed{i:05d}", credit_line_id=line_id,
                    customer_id=customer, principal=Money(1_000_000), annual_rate=template_line_rate(template_line),
                    term_months=12, repayment_method=codec.RepaymentMethod("EQUAL_INSTALMENT"), start_date=start,
                    schedule=schedule, overdue_since=schedule[0].due_date if dpd else None,
                    accrued_through=len([s for s in schedule if s.due_date <= today]))
        expected[loan.loan_id] = loan.days_past_due(today)
        items += [line, codec.loan_to_item(loan), codec.line_loan_item(loan)]
    for chunk in range(0, len(items), 25):
        db.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": _dump(i)}} for i in items[chunk:chunk + 25]]})
    return expected


def template_line_rate(line: dict[str, Any]):  # type: ignore[no-untyped-def]
    from decimal import Decimal

    return Decimal(line["annual_rate"])


def test_the_sweep_visits_every_line_once_classifies_and_adds_up(journey: Callable[[str], Journey]) -> None:
    alice = journey("alice")
    app_id = alice.apply_and_submit(account="6222020000000000000")  # the simulated core refuses to debit it
    alice.wait_status(app_id, "OFFERED")
    real_line = alice.accept_and_sign(app_id)["credit_line_id"]
    repo = bootstrap.deps().repo
    template = repo._get(codec.credit_line_key(real_line))  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    expected = seed_portfolio(template, now)
    day = business_date(now).isoformat()
    # the 2,000 lines stay until the next module starts from the seeded data (tests/conftest.py: fresh_bank)
    check_the_sweep(run_sweep(day, timeout=300), expected, now)


def check_the_sweep(run: dict[str, Any], expected: dict[str, int], now: datetime) -> None:
    repo = bootstrap.deps().repo

    shards = run["result"]["shards"]
    assert len(shards) == 64 and sum(s["lines"] for s in shards) >= LINES
    seeded = {loan_id: repo.get_loan(loan_id) for loan_id in expected if expected[loan_id] > 0}
    for loan_id, loan in seeded.items():
        dpd = expected[loan_id]
        want = classify(dpd, "RED" if dpd >= 30 else None, ClassificationPolicy()).loan_class.name
        assert loan.review.loan_class == want, (loan_id, dpd)
        assert repo.classification_history(loan_id)[-1]["to"] == want
    classes = Counter(loan.review.loan_class for loan in seeded.values())
    assert classes == {"SPECIAL_MENTION": 20, "SUBSTANDARD": 10, "DOUBTFUL": 10}
    warned = {w.credit_line_id: w for w in bootstrap.deps().warnings.warnings()}
    for loan in seeded.values():
        assert warned[loan.credit_line_id].level.name == ("RED" if expected[loan.loan_id] >= 30 else "YELLOW")
    portfolio = add_up(repo.shard_figures(business_date(now)))
    assert portfolio["shards"] == 64 and portfolio["loans"] >= DRAWN and portfolio["lines_active"] >= LINES - 40
    assert portfolio["outstanding_by_bucket"]["90+"] >= 20 * 1_000_000
    assert portfolio["lines_frozen"] >= 30  # the RED ones (30+ days past due)
