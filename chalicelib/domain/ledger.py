"""Double-entry ledger.

Invariant: the legs of a transaction sum to zero - total debits equal total credits, every amount an integer
number of fen on one side only. Transactions are immutable, never edited: a correction is a new transaction
(``reverses`` names the one it corrects; no use case books one yet). An account's balance is always the
sum of its entries (checked by ``check``)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from .business_date import utcnow
from .errors import FloatMoneyError, LendingError
from .money import Money

NONE = Money(0)
CLEARING = "CUSTOMER_FUNDS_CLEARING"  # money between the bank and customers' accounts, via the core
INTEREST_INCOME = "INTEREST_INCOME"
DEFAULT_INTEREST_INCOME = "DEFAULT_INTEREST_INCOME"  # 罚息: kept apart from contractual interest
FEE_INCOME = "FEE_INCOME"  # the product charges no fees today; the account exists so a fee is never booked as interest


def loan_principal(loan_id: str) -> str:
    return f"LOAN_PRINCIPAL:{loan_id}"


def restructured_loan_principal(loan_id: str) -> str:
    """A restructured loan's principal, reclassified from LOAN_PRINCIPAL when it is restructured (重组贷款 are
    reported apart from performing loans); repayments and a write-off then credit this account."""
    return f"RESTRUCTURED_LOAN_PRINCIPAL:{loan_id}"


LOAN_LOSS_ALLOWANCE = "LOAN_LOSS_ALLOWANCE"  # 贷款损失准备: a write-off draws on it, a recovery replenishes it
WRITTEN_OFF_LOANS = "OFF_BALANCE_WRITTEN_OFF_LOANS"  # 表外: 已核销贷款, the claims kept after a write-off
WRITTEN_OFF_LOANS_CONTRA = "OFF_BALANCE_WRITTEN_OFF_LOANS_CONTRA"  # its memorandum counterpart (表外 only)


def interest_receivable(loan_id: str) -> str:
    return f"INTEREST_RECEIVABLE:{loan_id}"


class UnbalancedTransactionError(LendingError):
    code = "LEDGER_UNBALANCED"


@dataclass(frozen=True)
class Leg:
    account: str
    debit: Money = NONE  # Money is immutable: one shared zero is safe
    credit: Money = NONE

    def __post_init__(self) -> None:
        if not isinstance(self.debit, Money) or not isinstance(self.credit, Money):
            raise FloatMoneyError("ledger amounts are Money")
        if self.debit.fen < 0 or self.credit.fen < 0 or (self.debit.fen > 0) == (self.credit.fen > 0):
            raise UnbalancedTransactionError("a leg is a positive debit or a positive credit, never both")


@dataclass(frozen=True)
class LedgerTransaction:
    kind: str  # DISBURSEMENT, INTEREST_ACCRUAL, REPAYMENT, FEE, REVERSAL
    reference: str  # the drawdown, repayment or reversed transaction id
    legs: tuple[Leg, ...]
    transaction_id: str = field(default_factory=lambda: f"txn_{uuid.uuid4().hex}")
    booked_at: datetime = field(default_factory=utcnow)
    reverses: str | None = None

    def __post_init__(self) -> None:
        debits = sum(leg.debit.fen for leg in self.legs)
        credits = sum(leg.credit.fen for leg in self.legs)
        if not self.legs or debits != credits:
            raise UnbalancedTransactionError(f"debits {debits} != credits {credits}")

    @property
    def amount(self) -> Money:
        return Money(sum(leg.debit.fen for leg in self.legs))


def disbursement(drawdown_id: str, loan_id: str, amount: Money) -> LedgerTransaction:
    return LedgerTransaction("DISBURSEMENT", drawdown_id, (Leg(loan_principal(loan_id), debit=amount),
                                                           Leg(CLEARING, credit=amount)))


def interest_accrual(reference: str, loan_id: str, interest: Money,
                     default_interest: Money = NONE) -> LedgerTransaction | None:
    """Interest earned becomes income and a receivable from the customer (accrual basis): booked when an
    instalment falls due (collected or not), and for the broken period of an early repayment. None when nothing
    was earned (a ledger leg is never zero)."""
    legs = [Leg(INTEREST_INCOME, credit=interest)] if interest.is_positive() else []
    if default_interest.is_positive():
        legs.append(Leg(DEFAULT_INTEREST_INCOME, credit=default_interest))
    if not legs:
        return None
    return LedgerTransaction("INTEREST_ACCRUAL", reference,
                             (Leg(interest_receivable(loan_id), debit=interest + default_interest), *legs))


def repayment(repayment_id: str, loan_id: str, principal: Money, interest: Money,
              principal_account: str | None = None) -> LedgerTransaction:
    """Money collected settles principal (in ``principal_account``: the loan's, LOAN_PRINCIPAL unless it was
    restructured) and the interest receivable that was accrued before it."""
    legs = [Leg(CLEARING, debit=principal + interest)]
    if principal.is_positive():
        legs.append(Leg(principal_account or loan_principal(loan_id), credit=principal))
    if interest.is_positive():
        legs.append(Leg(interest_receivable(loan_id), credit=interest))
    return LedgerTransaction("REPAYMENT", repayment_id, tuple(legs))


def restructuring(reference: str, loan_id: str, outstanding: Money) -> LedgerTransaction:
    """The first restructuring moves the principal still owed into the restructured loans' account: the old
    schedule's principal is closed, the new one's opened (a later extension stays in that account)."""
    return LedgerTransaction("RESTRUCTURING", reference, (Leg(restructured_loan_principal(loan_id), debit=outstanding),
                                                          Leg(loan_principal(loan_id), credit=outstanding)))


def write_off(reference: str, loan_id: str, principal_account: str, principal: Money,
              interest: Money) -> tuple[LedgerTransaction, LedgerTransaction]:
    """核销: the principal and the accrued interest leave the balance sheet against the loss allowance; the same
    amount goes into the off-balance memorandum of written-off claims (the bank keeps pursuing them)."""
    legs = [Leg(LOAN_LOSS_ALLOWANCE, debit=principal + interest), Leg(principal_account, credit=principal)]
    if interest.is_positive():
        legs.append(Leg(interest_receivable(loan_id), credit=interest))
    total = principal + interest
    return (LedgerTransaction("WRITE_OFF", reference, tuple(legs)),
            LedgerTransaction("OFF_BALANCE_WRITE_OFF", reference,
                              (Leg(f"{WRITTEN_OFF_LOANS}:{loan_id}", debit=total),
                               Leg(WRITTEN_OFF_LOANS_CONTRA, credit=total))))


def recovery(reference: str, loan_id: str, amount: Money) -> tuple[LedgerTransaction, LedgerTransaction]:
    """Money collected on a written-off loan replenishes the allowance and reduces the off-balance claim."""
    return (LedgerTransaction("RECOVERY", reference, (Leg(CLEARING, debit=amount),
                                                      Leg(LOAN_LOSS_ALLOWANCE, credit=amount))),
            LedgerTransaction("OFF_BALANCE_RECOVERY", reference, (Leg(WRITTEN_OFF_LOANS_CONTRA, debit=amount),
                                                                  Leg(f"{WRITTEN_OFF_LOANS}:{loan_id}",
                                                                      credit=amount))))


def balances(transactions: Iterable[LedgerTransaction]) -> dict[str, int]:
    """Debit-positive balance per account, in fen."""
    out: dict[str, int] = defaultdict(int)
    for txn in transactions:
        for leg in txn.legs:
            out[leg.account] += leg.debit.fen - leg.credit.fen
    return dict(out)


def check(transactions: list[LedgerTransaction]) -> list[str]:
    """Problems found: unbalanced transactions, or accounts whose balances do not sum to zero overall."""
    problems = [t.transaction_id for t in transactions
                if sum(leg.debit.fen for leg in t.legs) != sum(leg.credit.fen for leg in t.legs)]
    if sum(balances(transactions).values()) != 0:
        problems.append("TRIAL_BALANCE")
    return problems
