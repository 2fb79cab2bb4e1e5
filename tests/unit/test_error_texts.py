"""Every error the API can answer carries a sentence in Chinese the app may show the customer as it is."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import chalicelib
from chalicelib.api.error_texts import ZH, zh_message
from chalicelib.domain.drawdown_rules import DRAWDOWN_RULES
from chalicelib.domain.errors import LendingError

ROOT = Path(chalicelib.__file__).parent


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_subclasses(c) for c in found)) if found else found


def codes_the_api_can_answer() -> set[str]:
    for module in pkgutil.walk_packages([str(ROOT)], "chalicelib."):
        if not module.name.startswith(("chalicelib.adapters.rapidocr", "chalicelib.adapters.pyhanko")):
            importlib.import_module(module.name)
    codes = {c.code for c in _subclasses(LendingError)} | {r.code for r in DRAWDOWN_RULES}
    for path in ROOT.rglob("*.py"):  # errors raised with a code of their own: code="..." (products have codes too)
        if path.name == "products.py":
            continue
        codes |= set(re.findall(r'\bcode="([A-Z_]+)"', path.read_text(encoding="utf-8")))
    # answered as a 500 with nothing said (the ledger refusing an unbalanced transaction is a bug, not a reply)
    return codes - {"LEDGER_UNBALANCED", "LENDING_ERROR"}


def test_every_code_has_a_chinese_sentence() -> None:
    missing = codes_the_api_can_answer() - set(ZH)
    assert not missing, f"add a customer's sentence for: {sorted(missing)}"
    assert all(text.endswith("。") and not re.search(r"[A-Za-z_]{4,}", text) for text in ZH.values())


def test_an_unknown_code_falls_back_to_its_status() -> None:
    assert zh_message("SOMETHING_NEW", 429) == "操作过于频繁，请稍后再试。"
    assert zh_message("SOMETHING_NEW", 500) == "系统繁忙，请稍后再试。"
