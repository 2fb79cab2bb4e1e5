"""The API's body parser: whatever the JSON parser cannot turn into values is a 400 in the error format, for any
cause (not only the causes someone thought of)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict

from chalicelib.api.error_status import http_status
from chalicelib.api.http import parse
from chalicelib.domain.errors import LendingError


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount_fen: int = 0


class _Request:
    def __init__(self, raw: bytes) -> None:
        self.raw_body = raw


def _refusal(raw: bytes) -> LendingError:
    with pytest.raises(LendingError) as caught:
        parse(_Request(raw), _Body)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize("raw", [
    b'{"amount_fen": ' + b"9" * 4_301 + b"}",  # past Python's integer-string limit: a ValueError, not a JSONDecodeError
    b'{"amount_fen": -' + b"1" * 5_000 + b"}",
    b'{"amount_fen": NaN}',  # Python's parser takes these; JSON (RFC 8259) has no such values
    b'{"amount_fen": Infinity}',
    b'{"amount_fen": -Infinity}',
    b'{"amount_fen": 1, "amount_fen": 2}',  # which one did the sender mean? another parser may take the other
    b"\xff\xfe{}",
    b'{"amount_fen": "\xed\xa0\x80"}',  # a lone surrogate in UTF-8
    b"{not json",
])
def test_a_body_the_parser_cannot_turn_into_values_is_a_400(raw: bytes) -> None:
    refusal = _refusal(raw)
    assert (refusal.code, http_status(refusal)) == ("BAD_REQUEST", 400)
    assert "9999" not in refusal.message and "9999" not in str(refusal.details)  # nothing of the body echoed


def test_ordinary_bodies_still_parse() -> None:
    body: Any = parse(_Request(b'{"amount_fen": 4300}'), _Body)  # type: ignore[arg-type]
    assert body.amount_fen == 4300


def test_a_lone_surrogate_written_as_an_escape_is_refused_too() -> None:
    assert http_status(_refusal(b'{"purpose": "\\ud800"}')) == 400
    assert http_status(_refusal(b'{"\\udfff": 1}')) == 400
