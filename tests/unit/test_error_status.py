"""The API, not the domain, decides how an error is answered over HTTP: the domain's errors carry a code and no
status, and every one of them answers with a deliberate status (its own line or its nearest base's)."""

from __future__ import annotations

from pathlib import Path

from chalicelib.api.error_status import STATUS, http_status
from chalicelib.domain import errors as e

ROOT = Path(__file__).resolve().parents[2]


def test_the_domain_knows_nothing_of_http() -> None:
    for module in (ROOT / "chalicelib" / "domain").glob("*.py"):
        assert "http_status" not in module.read_text("utf-8"), module.name


def test_every_error_raised_on_purpose_answers_with_a_status_chosen_for_it_or_its_family() -> None:
    classes = [c for c in vars(e).values() if isinstance(c, type) and issubclass(c, e.LendingError)]
    assert len(classes) > 40
    for cls in classes:
        assert any(base in STATUS for base in cls.__mro__), cls.__name__
    assert http_status(e.NotFoundError("x")) == 404  # another customer's resource too: existence is not disclosed
    assert http_status(e.CreditDataUnavailableError("x")) == 503
    assert http_status(e.OtpResendTooSoonError("x")) == 429
    assert http_status(e.DrawdownRuleViolatedError("x", code="AMOUNT_NOT_WHOLE_HUNDREDS")) == 422
