"""The product catalogue: what the bank sells and within which bounds. One product for now, 小额普惠贷."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .money import Money
from .pricing import Fee
from .repayment_method import RepaymentMethod


@dataclass(frozen=True)
class Product:
    code: str
    name_zh: str
    min_line: Money
    max_line: Money
    min_drawdown: Money
    max_drawdown: Money
    term_months: tuple[int, ...]
    repayment_methods: tuple[RepaymentMethod, ...]
    line_validity_months: int
    min_rate: Decimal
    max_rate: Decimal
    # priced and disclosed in every APR and 综合融资成本 (domain/pricing.py); none today. A product that charges one
    # also books it (the ledger's FEE_INCOME): that arrives with the first such product.
    fees: tuple[Fee, ...] = ()


INCLUSIVE_BUSINESS_LOAN = Product(
    code="INCLUSIVE_BUSINESS_LOAN",
    name_zh="小额普惠贷",
    min_line=Money.yuan(10_000),
    max_line=Money.yuan(300_000),
    min_drawdown=Money.yuan(1_000),
    max_drawdown=Money.yuan(300_000),
    term_months=(3, 6, 12, 24, 36),
    repayment_methods=(RepaymentMethod.EQUAL_INSTALMENT, RepaymentMethod.EQUAL_PRINCIPAL,
                       RepaymentMethod.INTEREST_FIRST),
    line_validity_months=12,
    min_rate=Decimal("0.0345"),
    max_rate=Decimal("0.1800"),
)

PRODUCTS = {INCLUSIVE_BUSINESS_LOAN.code: INCLUSIVE_BUSINESS_LOAN}


def clamp_line(amount: Money, product: Product) -> Money:
    """Whole hundreds of yuan, within the product's bounds."""
    hundreds = amount.fen - amount.fen % 10_000
    return Money(max(product.min_line.fen, min(product.max_line.fen, hundreds)))
