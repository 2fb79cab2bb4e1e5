"""Drawdown rules, each a named business rule with its own reason code.

The API checks them first for a quick, clear 4xx; the workflow's reservation step checks them again and the
reservation itself is the one authoritative, atomic test of the available amount. What a line can reserve is
stated once, by the line (CreditLine.is_usable, covers, reservation_refusal).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from .business_date import beijing_time, business_date
from .credit_line import CreditLine
from .errors import DrawdownRuleViolatedError
from .money import Money
from .products import Product
from .repayment_method import RepaymentMethod


@dataclass(frozen=True)
class DrawdownRequest:
    amount: Money
    term_months: int
    repayment_method: RepaymentMethod
    account_no: str
    identity_valid_until: str = ""  # the borrower's ID card: ISO date, "长期", or "" when unknown
    business_hours: tuple[time, time] | None = None  # settings: drawdowns only inside this window (Beijing)
    account_verified: bool = False  # the payee account passed the four-element check for this customer
    own_account_at_bank: bool = False  # the bank's record holds the payee account in the borrower's name
    borrower_drawn_fen: int = 0  # what she owes or has reserved across all her lines, before this drawdown
    exposure_cap_fen: int | None = None  # the bank's cap on one borrower's exposure (settings); None: no cap


class DrawdownRule:
    code = "DRAWDOWN_RULE_VIOLATED"

    def violated(self, req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> str | None:
        raise NotImplementedError

    def check(self, req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> None:
        message = self.violated(req, line, product, now)
        if message:
            raise DrawdownRuleViolatedError(message, {"rule": type(self).__name__}, code=self.code)


class CreditLineMustBeActive(DrawdownRule):
    code = "CREDIT_LINE_NOT_ACTIVE"

    def violated(self, req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> str | None:
        if line.is_usable(now):
            return None
        return f"the credit line is {line.status_at(now)}"


class DrawdownMustMeetMinimum(DrawdownRule):
    code = "AMOUNT_BELOW_MINIMUM"

    def violated(self, req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> str | None:
        if req.amount < product.min_drawdown:
            return f"the minimum drawdown is {product.min_drawdown}"
        return None


class DrawdownMustBeWholeHundreds(DrawdownRule):
    code = "AMOUNT_NOT_WHOLE_HUNDREDS"

    def violated(self, req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> str | None:
        return None if req.amount.is_whole_hundred_yuan() else "drawdowns are in whole hundreds of yuan"


class DrawdownMustNotExceedMaximum(DrawdownRule):
    code = "AMOUNT_ABOVE_MAXIMUM"

    def violated(self, req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> str | None:
        return f"the maximum drawdown is {product.max_drawdown}" if req.amount > product.max_drawdown else None


class DrawdownMustNotExceedAvailableLimit(DrawdownRule):
    code = "CREDIT_LIMIT_EXCEEDED"

    def violated(self, req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> str | None:
        return None if line.covers(req.amount) else f"only {line.available} is available"


class TermMustBeOffered(DrawdownRule):
    code = "TERM_NOT_ALLOWED"

    def violated(self, req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> str | None:
        return None if req.term_months in line.term_months else f"terms offered: {list(line.term_months)}"


class SeasonalLoanMustMatureAtHarvest(DrawdownRule):
    """A seasonal product's principal is repaid from the harvest: the loan's maturity falls in one of the product's
    harvest months (the terms that do, from today, are said)."""

    code = "TERM_NOT_AT_HARVEST"

    def violated(self, req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> str | None:
        terms = product.terms_from(business_date(now))
        if req.term_months in terms:
            return None
        return (f"the loan must mature in a harvest month {list(product.harvest_months)}: "
                f"terms from today {list(t for t in terms if t in line.term_months)}")


class RepaymentMethodMustBeOffered(DrawdownRule):
    code = "REPAYMENT_METHOD_NOT_ALLOWED"

    def violated(self, req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> str | None:
        if req.repayment_method in line.repayment_methods:
            return None
        return "this repayment method is not offered on the line"


class PayoutAccountMustBeCustomersOwn(DrawdownRule):
    code = "PAYOUT_ACCOUNT_NOT_OWN"

    def violated(self, req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> str | None:
        # The account declared with the application, or another the bank itself holds in her name and that can
        # receive a loan (her record says so); funds never go to any other account.
        if req.account_no == line.payout_account_no or req.own_account_at_bank:
            return None
        return "funds are paid only to your own account"


class PayeeAccountMustBeVerified(DrawdownRule):
    """The payee account passed the bank-card four-element check (name, ID number, card number and the phone the
    card's bank holds) for this customer: money goes only to an account in the borrower's own name."""

    code = "PAYEE_ACCOUNT_NOT_VERIFIED"

    def violated(self, req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> str | None:
        # (an account the bank holds in her name needs no check of its four elements: the bank knows its holder)
        if req.account_verified or req.own_account_at_bank:
            return None
        return "the payee account has not been verified as yours"


class IdentityDocumentMustBeValid(DrawdownRule):
    code = "ID_CARD_EXPIRED"

    def violated(self, req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> str | None:
        until = req.identity_valid_until
        if until and until != "长期" and date.fromisoformat(until) < business_date(now):
            return "your ID card has expired: update it before drawing"
        return None


class DrawdownMustBeWithinBusinessHours(DrawdownRule):
    code = "OUTSIDE_BUSINESS_HOURS"

    def violated(self, req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> str | None:
        if req.business_hours is None:
            return None
        opens, closes = req.business_hours
        local = beijing_time(now).time()
        return None if opens <= local < closes else f"drawdowns are taken between {opens:%H:%M} and {closes:%H:%M}"


class BorrowerExposureMustStayWithinCap(DrawdownRule):
    """One cap on what a borrower may owe the bank across all her lines and products (a setting): a drawdown that
    would take her past it is refused, whatever her lines still have available."""

    code = "EXPOSURE_CAP_REACHED"

    def violated(self, req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> str | None:
        if req.exposure_cap_fen is None or req.borrower_drawn_fen + req.amount.fen <= req.exposure_cap_fen:
            return None
        room = Money(max(0, req.exposure_cap_fen - req.borrower_drawn_fen))
        return f"the bank lends one borrower at most {Money(req.exposure_cap_fen)} in all: {room} is left"


DRAWDOWN_RULES: tuple[DrawdownRule, ...] = (
    CreditLineMustBeActive(),
    IdentityDocumentMustBeValid(),
    DrawdownMustBeWithinBusinessHours(),
    DrawdownMustMeetMinimum(),
    DrawdownMustBeWholeHundreds(),
    DrawdownMustNotExceedMaximum(),
    TermMustBeOffered(),
    SeasonalLoanMustMatureAtHarvest(),
    RepaymentMethodMustBeOffered(),
    PayoutAccountMustBeCustomersOwn(),
    PayeeAccountMustBeVerified(),
    DrawdownMustNotExceedAvailableLimit(),
    BorrowerExposureMustStayWithinCap(),
)


def check_drawdown(req: DrawdownRequest, line: CreditLine, product: Product, now: datetime) -> None:
    for rule in DRAWDOWN_RULES:
        rule.check(req, line, product, now)
