"""No raw code reaches an officer's screen from the line's history, the ledger or the audit trail: every domain
event, ledger transaction kind and ledger account has its Chinese words in one place (chalicelib/api/labels.py),
and a new one without them fails here."""

from __future__ import annotations

import re
from pathlib import Path

from chalicelib.api.labels import ACCOUNT_ZH, EVENT_ZH, LEDGER_KIND_ZH, account_zh
from chalicelib.domain import events as ev
from chalicelib.domain import ledger

DOMAIN = Path(__file__).resolve().parents[2] / "chalicelib" / "domain"


def test_every_domain_event_has_its_words() -> None:
    names = {v for k, v in vars(ev).items()
             if k.isupper() and isinstance(v, str) and re.fullmatch(r"[A-Z][A-Za-z]+", v)}
    assert names and not sorted(names - set(EVENT_ZH))
    assert all(re.search(r"[\u4e00-\u9fff]", words) for words in EVENT_ZH.values())


def test_every_ledger_kind_and_account_has_its_words() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in DOMAIN.glob("*.py"))
    kinds = set(re.findall(r'LedgerTransaction\("([A-Z_]+)"', source))
    assert kinds and not sorted(kinds - set(LEDGER_KIND_ZH))
    accounts = {v for k, v in vars(ledger).items() if k.isupper() and isinstance(v, str) and v.isupper()}
    per_loan = {ledger.loan_principal("loan_x"), ledger.restructured_loan_principal("loan_x"),
                ledger.interest_receivable("loan_x")}
    assert not [a for a in accounts | per_loan if account_zh(a) == a]
    assert account_zh("LOAN_PRINCIPAL:loan_1") == ACCOUNT_ZH["LOAN_PRINCIPAL"] == "贷款本金"


def test_every_classification_reason_has_its_words() -> None:
    from chalicelib.api.labels import CLASSIFICATION_REASON_ZH
    from chalicelib.domain.classification import ClassificationPolicy, classify

    reasons = {r for dpd in (0, 5, 100, 200, 400) for level in (None, "RED", "ORANGE", "YELLOW")
               for watched in (False, True) for r in classify(dpd, level, ClassificationPolicy(), watched).reasons}
    assert reasons and not sorted(reasons - set(CLASSIFICATION_REASON_ZH))
