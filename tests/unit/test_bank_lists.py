"""The risk list and the staff register have their writer: operations, through a command that reads ID numbers
from standard input (never the command line), writes only their keyed hash, refuses a mistyped number and leaves
each act in the officers' audit trail."""

import io
from typing import Any

import pytest

from chalicelib import ops
from chalicelib.domain.errors import ValidationError
from chalicelib.services.back_office import bank_lists

LISTED, TYPO = "330102199001010012", "330102199001010013"  # the second fails its check digit


def test_a_listed_identity_is_found_by_its_keyed_hash_and_the_act_audited(memory_deps: Any) -> None:
    bank_lists.add_to_risk_list(memory_deps, "ops.wang", LISTED.lower(), "confirmed fraud, case 2026-17")
    assert memory_deps.repo.is_blacklisted(memory_deps.cipher.keyed_hash(LISTED))
    assert LISTED not in str(memory_deps.repo.blacklist)
    day = memory_deps.clock.today()
    assert [a["event"] for a in memory_deps.repo.staff_actions(day)] == ["RiskListEntryAdded"]


def test_a_mistyped_number_or_no_reason_lists_nobody(memory_deps: Any) -> None:
    with pytest.raises(ValidationError):
        bank_lists.add_to_risk_list(memory_deps, "ops.wang", TYPO, "confirmed fraud")
    with pytest.raises(ValidationError):
        bank_lists.add_to_risk_list(memory_deps, "ops.wang", LISTED, "  ")
    assert not memory_deps.repo.blacklist


def test_the_command_reads_numbers_from_stdin_and_names_the_line_it_refused(memory_deps: Any,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ops.bootstrap, "deps", lambda: memory_deps)
    out = io.StringIO()
    code = ops.main(["risk-list", "--operator", "ops.wang", "--reason", "confirmed fraud"],
                    io.StringIO(f"{LISTED}\n{TYPO}\n"), out)
    assert code == 1 and "line 2: the ID number is not a valid one" in out.getvalue()
    assert "1 of 2 written" in out.getvalue() and TYPO not in out.getvalue()
    out = io.StringIO()
    assert ops.main(["staff", "--operator", "ops.wang", "--officer", "oscar"], io.StringIO(LISTED), out) == 0
    assert memory_deps.identities.staff_identity("oscar") == memory_deps.cipher.keyed_hash(LISTED)
