"""A revolving credit line.

Invariant: ``0 <= available <= limit`` and ``available + reserved + outstanding principal == limit``.
The domain states it; the repository enforces it on every write with a DynamoDB condition expression, because
two Lambdas may draw on the same line at the same moment and only the database sees both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from .application import RepaymentMethod
from .events import utcnow
from .money import Money


class CreditLineStatus(StrEnum):
    ACTIVE = "ACTIVE"
    FROZEN = "FROZEN"
    EXPIRED = "EXPIRED"
    CLOSED = "CLOSED"


@dataclass
class CreditLine:
    credit_line_id: str
    customer_id: str
    application_id: str
    limit: Money
    available: Money
    annual_rate: Decimal
    term_months: tuple[int, ...]
    repayment_methods: tuple[RepaymentMethod, ...]
    payout_account_no: str
    valid_until: datetime
    product_code: str = "INCLUSIVE_BUSINESS_LOAN"
    status: CreditLineStatus = CreditLineStatus.ACTIVE
    version: int = 0
    created_at: datetime = field(default_factory=utcnow)

    def is_usable(self, now: datetime) -> bool:
        return self.status is CreditLineStatus.ACTIVE and now < self.valid_until

    @property
    def used(self) -> Money:
        return self.limit - self.available
