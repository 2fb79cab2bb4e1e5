"""Event names live in one place (domain/events.py): a literal name in a service would fall out of the audit
trail's closed vocabulary unnoticed."""

import re
from pathlib import Path

import chalicelib

ROOT = Path(chalicelib.__file__).parent


def test_no_event_is_named_by_a_literal() -> None:
    literal = re.compile(r'(?:\.record|_record|DomainEvent)\(\s*"[A-Z][A-Za-z]+"')
    found = [f"{path.relative_to(ROOT)}:{n}" for path in ROOT.rglob("*.py") if path.name != "events.py"
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if literal.search(line)]
    assert found == []
