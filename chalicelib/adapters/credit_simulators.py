"""Local simulators of the credit bureau (征信) and the tax authority (税务). Not placeholders for logic: the
bureau serves real repayment histories (../shared/data/credit, or the small derived sample local/bureau_sample.csv
beside the repo when that is absent), picking a row deterministically from the applicant's keyed ID hash; the tax
source generates plausible, deterministic monthly invoiced sales around the declared revenue (a small-scale
taxpayer's 1% VAT). Real clients for both sit behind the same ports (chalicelib/ports/origination.py)."""

from __future__ import annotations

import csv
import hashlib
import json
import threading
from datetime import date
from pathlib import Path
from typing import Any

from ..domain.money import Money
from ..ports import CreditBureau, TaxAuthority
from ..scoring.features import RAW_FIELDS

_lock = threading.Lock()
_histories: dict[str, list[dict[str, float]]] = {}


def _load(path: Path) -> list[dict[str, float]]:
    with _lock:
        if str(path) not in _histories:
            with path.open(newline="", encoding="utf-8") as handle:
                _histories[str(path)] = [{k: float(r[k]) for k in ("ID", *RAW_FIELDS)} for r in csv.DictReader(handle)]
        return _histories[str(path)]


class SimulatedBureau(CreditBureau):
    """Like a bureau's sandbox: designated test identities (local/bureau_test_identities.json) always get the same
    record; anyone else gets a record picked by a hash of the ID number."""

    def __init__(self, data: Path, test_identities: Path | None = None) -> None:
        self._data = data
        self._test: dict[str, int | None] = {}
        if test_identities is not None and test_identities.exists():
            raw = json.loads(test_identities.read_text(encoding="utf-8"))
            # a null: a sandbox identity with no bureau record at all (a thin file)
            self._test = {k: None if v is None else int(v) for k, v in raw.items() if not k.startswith("_")}

    def report(self, id_number: str) -> dict[str, Any] | None:
        histories = _load(self._data)
        if id_number in self._test:
            known = self._test[id_number]
            if known is None:
                return None
            row = next(r for r in histories if int(r["ID"]) == known)
        else:
            pick = int(hashlib.sha256(id_number.encode()).hexdigest()[:12], 16)
            if pick % 97 == 0:  # about 1% of applicants have no bureau record (a thin file)
                return None
            row = histories[pick % len(histories)]
        return {"record": f"SIM-{int(row['ID'])}", **{k: row[k] for k in RAW_FIELDS}}


class SimulatedTaxAuthority(TaxAuthority):
    def __init__(self, today: date | None = None) -> None:
        self._today = today

    def monthly_figures(self, registration_no: str, declared_annual_revenue: Money) -> list[dict[str, Any]]:
        today = self._today or date.today()
        seed = hashlib.sha256(registration_no.encode()).digest()
        base = declared_annual_revenue.fen // 12
        months = []
        for i in range(12, 0, -1):
            index = (today.year * 12 + today.month - 1) - i
            wobble = (seed[i] - 128) / 640  # -20% .. +20%, the same every time for this business
            sales = max(0, int(base * (1 + wobble)))
            months.append({"month": f"{index // 12:04d}-{index % 12 + 1:02d}", "invoiced_sales_fen": sales,
                           "tax_paid_fen": sales // 100})
        return months
