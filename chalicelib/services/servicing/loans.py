"""A customer's loans as such: finding her own (the schedule, repayments and the daily run are elsewhere)."""

from __future__ import annotations

from typing import Protocol

from ...domain.loan import Loan
from ...domain.loan import price_of as loan_price
from ...domain.pricing import PriceDisclosure
from ...domain.products import PRODUCTS
from ...ports import LendingRepository
from ..ownership import owned


class LoanPorts(Protocol):
    """The ports the loans use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    repo: LendingRepository


def owned_loan(deps: LoanPorts, customer_id: str, loan_id: str) -> Loan:
    return owned(deps.repo.get_loan, customer_id, loan_id, "loan")


def price_of(deps: LoanPorts, loan: Loan) -> PriceDisclosure:
    """The loan's 年化利率 and 综合融资成本 under its product's fees (the product is its line's)."""
    product = PRODUCTS[deps.repo.get_credit_line(loan.credit_line_id).product_code]
    return loan_price(loan, product.fees)
