"""The bank's own record of a customer: who she is, her accounts at the bank and how money moves through them,
the business the bank knows, the loans she already holds here. Read from the bank's customer information system
(核心客户信息系统) through the ``CustomerRecords`` port; the lending product never writes it, but for one fact it
learns first: a newer ID card with the same number (its expiry).

What the decision takes from it is ``BankRelationship``: a handful of figures (average monthly inflow, average
balance, tenure, acquiring turnover, what is owed here) computed the same way for the policy rules, the
thin-file scorecard, pre-approval and early warning. Amounts are integers of fen."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime

from .identity import mask_id_number
from .masks import mask_account, mask_name, mask_phone
from .money import Money


@dataclass(frozen=True)
class AccountMonth:
    month: str  # "2026-11"
    inflow_fen: int
    outflow_fen: int
    average_balance_fen: int


RESTRICTED_COUNTERPARTIES = frozenset({"SECURITIES", "FUTURES", "REAL_ESTATE"})  # 证券、期货、房地产


@dataclass(frozen=True)
class OutgoingPayment:
    """A payment out of one of her accounts, with the category the bank's payment system gives its counterparty
    (its merchant or institution code): what use-of-funds monitoring reads."""

    on: date
    amount_fen: int
    counterparty_category: str  # SECURITIES, FUTURES, REAL_ESTATE, SUPPLIER, ... (the bank's code)


@dataclass(frozen=True)
class BankAccount:
    """One of the customer's own accounts. ``account_id`` is the bank's opaque handle the app sends back;
    the number itself leaves the backend only masked."""

    account_id: str
    account_no: str
    account_class: str  # "I" (一类户, full functions) or "II" (二类户, limited)
    status: str  # "ACTIVE", "DORMANT", "FROZEN"
    months: tuple[AccountMonth, ...] = ()
    payments: tuple[OutgoingPayment, ...] = ()  # the recent ones (the last 30 days)

    @property
    def masked(self) -> str:
        return mask_account(self.account_no)

    @property
    def can_receive_payout(self) -> bool:
        """A loan is paid only into an active account of full functions (a type II account's limits are below a
        loan's amount, and a dormant or frozen one cannot be credited)."""
        return self.status == "ACTIVE" and self.account_class == "I"


@dataclass(frozen=True)
class KnownBusiness:
    name: str
    registration_no: str  # 统一社会信用代码
    years_in_business: int
    annual_revenue_fen: int  # as the bank's own KYC file states it


@dataclass(frozen=True)
class LoanAtBank:
    product: str
    outstanding_fen: int
    days_past_due: int = 0


@dataclass(frozen=True)
class CustomerRecord:
    customer_number: str  # 客户号
    name: str
    id_number: str
    id_card_valid_until: date | None  # None: a long-term (长期) card
    phone: str
    kyc_level: int  # 1-3: how thoroughly the bank identified her (3: in person, documents seen)
    customer_since: date
    accounts: tuple[BankAccount, ...]
    acquiring_months: tuple[AccountMonth, ...] = ()  # card-acquiring turnover where she has a terminal (inflow only)
    business: KnownBusiness | None = None
    loans: tuple[LoanAtBank, ...] = ()

    def own_account(self, account_id: str) -> BankAccount | None:
        return next((a for a in self.accounts if a.account_id == account_id), None)

    def holds_account_no(self, account_no: str) -> BankAccount | None:
        return next((a for a in self.accounts if a.account_no == account_no), None)

    @property
    def payout_accounts(self) -> tuple[BankAccount, ...]:
        return tuple(a for a in self.accounts if a.can_receive_payout)

    def relationship(self, today: date) -> BankRelationship:
        return BankRelationship.of(self, today)

    def masked(self) -> MaskedRecord:
        return MaskedRecord(mask_name(self.name), mask_id_number(self.id_number), mask_phone(self.phone),
                            tuple((a.account_id, a.masked, a.account_class, a.status, a.can_receive_payout)
                                  for a in self.accounts),
                            self.business.name if self.business else None,
                            self.business.registration_no if self.business else None)


@dataclass(frozen=True)
class MaskedRecord:
    """What the app may show of the record: the name, ID number and phone masked, accounts by id and mask."""

    name: str
    id_number: str
    phone: str
    accounts: tuple[tuple[str, str, str, str, bool], ...]  # (account_id, masked number, class, status, payout)
    business_name: str | None
    business_registration_no: str | None


def _monthly_totals(accounts: tuple[BankAccount, ...]) -> list[tuple[str, int, int, int]]:
    """(month, inflow, outflow, average balance) summed over the accounts, oldest month first."""
    months: dict[str, list[int]] = {}
    for account in accounts:
        for m in account.months:
            total = months.setdefault(m.month, [0, 0, 0])
            total[0] += m.inflow_fen
            total[1] += m.outflow_fen
            total[2] += m.average_balance_fen
    return [(k, *months[k]) for k in sorted(months)]  # type: ignore[misc]


@dataclass(frozen=True)
class BankRelationship:
    """The figures the bank's own data gives the decision (never a bureau fact)."""

    months_observed: int
    average_monthly_inflow_fen: int
    average_balance_fen: int
    tenure_months: int
    acquiring_monthly_fen: int
    loans_outstanding_fen: int
    loans_days_past_due: int  # the worst of the loans held at the bank
    latest_inflow_fen: int
    previous_three_inflow_fen: int  # the average of the three months before the latest
    latest_balance_fen: int
    previous_three_balance_fen: int
    kyc_level: int

    @classmethod
    def of(cls, record: CustomerRecord, today: date) -> BankRelationship:
        totals = _monthly_totals(record.accounts)
        inflows = [t[1] for t in totals]
        balances = [t[3] for t in totals]
        tenure = (today.year - record.customer_since.year) * 12 + today.month - record.customer_since.month
        acquiring = [m.inflow_fen for m in record.acquiring_months]

        def mean(values: list[int]) -> int:
            return int(statistics.fmean(values)) if values else 0

        return cls(
            months_observed=len(totals), average_monthly_inflow_fen=mean(inflows),
            average_balance_fen=mean(balances), tenure_months=max(0, tenure),
            acquiring_monthly_fen=mean(acquiring),
            loans_outstanding_fen=sum(x.outstanding_fen for x in record.loans),
            loans_days_past_due=max((x.days_past_due for x in record.loans), default=0),
            latest_inflow_fen=inflows[-1] if inflows else 0, previous_three_inflow_fen=mean(inflows[-4:-1]),
            latest_balance_fen=balances[-1] if balances else 0, previous_three_balance_fen=mean(balances[-4:-1]),
            kyc_level=record.kyc_level)


@dataclass(frozen=True)
class PreApproval:
    """A line the bank offers before she asks (预授信), from its own data only: no bureau query is made before she
    consents. Applying from it still queries the bureau, and the offer may be lower (it says why)."""

    customer_number: str
    limit: Money
    annual_rate_from: str  # the lowest rate it could carry, as text ("0.0720")
    valid_until: datetime
    computed_at: datetime
    reasons: tuple[str, ...]


ID_CARD_NOT_ON_RECORD = "ID_CARD_NOT_ON_RECORD"


def renewed_expiry(on_file: date | None, card_valid_until: date | None, card_long_term: bool) -> date | bool | None:
    """The expiry to put on file when the card read (with the record's number) is newer than the one on file, or
    False when it is not: a long-term (长期) card replaces a dated one; a dated card replaces an earlier date."""
    if card_long_term:
        return None if on_file is not None else False
    if card_valid_until is None or on_file is None:
        return False  # (a dated card is not newer than a long-term one)
    return card_valid_until if card_valid_until > on_file else False
