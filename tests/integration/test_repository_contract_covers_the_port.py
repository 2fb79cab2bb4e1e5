"""The repository contract (tests/integration/test_repository_contract_*.py, each test run on the in-memory fake
and on DynamoDB) asks something of every method of the port: a method added without a contract test fails here,
so the fake the service tests trust cannot drift from the real repository unseen."""

import re
from pathlib import Path

from chalicelib.ports import LendingRepository


def test_every_method_of_the_repository_port_is_in_the_contract() -> None:
    here = Path(__file__).parent
    suite = "".join(p.read_text(encoding="utf-8") for p in here.glob("test_repository_contract_*.py"))
    suite += (here / "builders.py").read_text(encoding="utf-8")
    untested = sorted(m for m in LendingRepository.__abstractmethods__ if not re.search(rf"\brepo\.{m}\(", suite))
    assert untested == []
