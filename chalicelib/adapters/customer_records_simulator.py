"""Local simulator of the bank's customer information system: the records of ``local/bank_customers.json``
(the demo's alice and bob, and sandbox logins that each exercise one rule), served as the real system would
serve them. Deterministic: each account's last 12 months are its base figures varied by at most 10% a month by
a hash of the customer number and the month (and its ``latest_month_factor`` on the latest month), ending with
the month before today's (Beijing); an account's recent payments are dated ``days_ago``. A login with no record
is a customer new to the bank.

What the real system would keep (a newer ID card's expiry) this simulator keeps in memory, per process: enough
for ``make run`` and the tests, gone at the next start, like the rest of the local bank."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ..domain.business_date import business_date, utcnow
from ..domain.customer_record import (
    AccountMonth,
    BankAccount,
    CustomerRecord,
    KnownBusiness,
    LoanAtBank,
    OutgoingPayment,
)
from ..ports import CustomerRecords

MONTHS = 12


def account_id_of(customer_number: str, account_no: str) -> str:
    """The opaque handle the app sends back for an account: stable, and telling nothing of the number."""
    return "acct_" + hashlib.sha256(f"{customer_number}:{account_no}".encode()).hexdigest()[:20]


def _months_before(today: date, count: int) -> list[str]:
    year, month = today.year, today.month
    out = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(f"{year:04d}-{month:02d}")
    return sorted(out)


def _vary(customer_number: str, month: str, base: int) -> int:
    spread = int(hashlib.sha256(f"{customer_number}:{month}".encode()).hexdigest()[:4], 16) % 21 - 10  # -10..10
    return base * (100 + spread) // 100


class SimulatedCustomerRecords(CustomerRecords):
    def __init__(self, data: Path, today: date | None = None) -> None:
        raw = json.loads(data.read_text(encoding="utf-8"))
        self._raw = {c["customer_number"]: c for c in raw["customers"]}
        self._logins = {c["login"]: c["customer_number"] for c in raw["customers"]}
        self._today = today
        self._expiry: dict[str, date | None] = {}
        self._lock = threading.Lock()

    def record_of_login(self, login: str) -> CustomerRecord | None:
        number = self._logins.get(login)
        return self.record(number) if number else None

    def record(self, customer_number: str) -> CustomerRecord | None:
        raw = self._raw.get(customer_number)
        return None if raw is None else self._build(raw)

    def customer_numbers(self, segment: int, segments: int) -> Iterator[str]:
        for number in sorted(self._raw):
            if int(number) % segments == segment:
                yield number

    def note_id_card_expiry(self, customer_number: str, valid_until: date | None) -> None:
        with self._lock:
            self._expiry[customer_number] = valid_until

    def _build(self, c: dict[str, Any]) -> CustomerRecord:
        number = c["customer_number"]
        today = self._today or business_date(utcnow())
        months = _months_before(today, MONTHS)

        def flows(base: dict[str, Any], inflow_only: bool = False) -> tuple[AccountMonth, ...]:
            out = []
            for i, month in enumerate(months):
                factor = float(base.get("latest_month_factor", 1.0)) if i == len(months) - 1 else 1.0
                inflow = int(_vary(number, month, int(base.get("inflow_fen", base.get("acquiring_fen", 0)))) * factor)
                outflow = 0 if inflow_only else int(_vary(number, month + "o", int(base["outflow_fen"])) * factor)
                balance = 0 if inflow_only else int(_vary(number, month + "b", int(base["balance_fen"])) * factor)
                out.append(AccountMonth(month, inflow, outflow, balance))
            return tuple(out)

        accounts = tuple(BankAccount(
            account_id_of(number, a["account_no"]), a["account_no"], a["class"], a["status"], flows(a),
            tuple(OutgoingPayment(today - timedelta(days=int(p["days_ago"])), int(p["amount_fen"]), p["category"])
                  for p in a.get("payments", []))) for a in c["accounts"])
        business = c.get("business")
        with self._lock:
            expiry = self._expiry[number] if number in self._expiry else (
                date.fromisoformat(c["id_card_valid_until"]) if c.get("id_card_valid_until") else None)
        return CustomerRecord(
            customer_number=number, name=c["name"], id_number=c["id_number"], id_card_valid_until=expiry,
            phone=c["phone"], kyc_level=int(c["kyc_level"]), customer_since=date.fromisoformat(c["customer_since"]),
            accounts=accounts,
            acquiring_months=flows({"acquiring_fen": c["acquiring_fen"]}, inflow_only=True) if c.get("acquiring_fen")
            else (),
            business=KnownBusiness(business["name"], business["registration_no"], int(business["years_in_business"]),
                                   int(business["annual_revenue_fen"])) if business else None,
            loans=tuple(LoanAtBank(x["product"], int(x["outstanding_fen"]), int(x.get("days_past_due", 0)))
                        for x in c.get("loans", [])))
