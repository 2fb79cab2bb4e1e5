"""The bank-card four-element check (银行卡四要素) behind the AccountVerifier port.

SIMULATOR on the local stage only, like the core banking simulator: outcomes are chosen by the account number's
last four digits (documented in the README) - ``0003`` the card belongs to someone else (HOLDER_MISMATCH),
``0004`` another phone is reserved at the card's bank (PHONE_MISMATCH), ``0005`` the service does not answer
(503, try later); any other account matches. Every other stage gets ``NotConnectedAccountVerifier`` until the
bank's connection (UnionPay or the bank's own channel) exists: drawdowns to an unverified account are refused
before any money could move."""

from __future__ import annotations

import hashlib

from ..domain.errors import AccountVerificationUnavailableError
from ..ports import AccountCheck, AccountVerifier

HOLDER_MISMATCH_SUFFIX, PHONE_MISMATCH_SUFFIX, UNAVAILABLE_SUFFIX = "0003", "0004", "0005"


class SimulatedAccountVerifier(AccountVerifier):
    def verify(self, name: str, id_number: str, account_no: str, phone: str) -> AccountCheck:
        reference = "AV" + hashlib.sha256(f"{account_no}:{id_number}".encode()).hexdigest()[:14].upper()
        if account_no.endswith(UNAVAILABLE_SUFFIX):
            raise AccountVerificationUnavailableError("the account verification service did not answer")
        if account_no.endswith(HOLDER_MISMATCH_SUFFIX):
            return AccountCheck("HOLDER_MISMATCH", reference)
        if account_no.endswith(PHONE_MISMATCH_SUFFIX):
            return AccountCheck("PHONE_MISMATCH", reference)
        return AccountCheck("MATCH", reference)
