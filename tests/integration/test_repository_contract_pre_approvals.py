"""Pre-approvals as the repository keeps them, against the in-memory fake and DynamoDB (moto): one per customer of
the bank, a later run's replacing an earlier one's, withdrawn when she is no longer eligible."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib.domain.customer_record import PreApproval
from chalicelib.domain.money import Money

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def pre_approval(number: str, yuan: int) -> PreApproval:
    return PreApproval(number, Money.yuan(yuan), "0.0720", NOW + timedelta(days=30), NOW,
                       ("BANK_INFLOWS_STEADY", "LONG_RELATIONSHIP"))


def test_a_pre_approval_is_kept_per_customer_and_replaced_by_a_later_run(repo: Any) -> None:
    number, other = f"88{uuid.uuid4().int % 10**11:011d}", f"88{uuid.uuid4().int % 10**11:011d}"
    assert repo.pre_approval_of(number) is None
    repo.save_pre_approval(pre_approval(number, 80_000))
    repo.save_pre_approval(pre_approval(other, 30_000))
    assert repo.pre_approval_of(number) == pre_approval(number, 80_000)
    repo.save_pre_approval(pre_approval(number, 60_000))
    assert repo.pre_approval_of(number).limit == Money.yuan(60_000)
    assert repo.pre_approval_of(other).limit == Money.yuan(30_000)


def test_a_withdrawn_pre_approval_is_gone_and_withdrawing_none_is_harmless(repo: Any) -> None:
    number = f"88{uuid.uuid4().int % 10**11:011d}"
    repo.save_pre_approval(pre_approval(number, 50_000))
    repo.withdraw_pre_approval(number)
    assert repo.pre_approval_of(number) is None
    repo.withdraw_pre_approval(number)  # (a run that finds nothing to withdraw)
