"""A customer's own things. Another customer's application, line, drawdown or loan is answered exactly like a
missing one (404, nothing disclosed): the one rule every customer route relies on, written once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from ..domain.errors import NotFoundError


class Owned(Protocol):
    customer_id: str


T = TypeVar("T", bound=Owned)


def owned(fetch: Callable[[str], T], customer_id: str, thing_id: str, what: str) -> T:
    try:
        thing = fetch(thing_id)
    except NotFoundError:
        raise NotFoundError(f"{what} not found") from None
    if thing.customer_id != customer_id:
        raise NotFoundError(f"{what} not found")
    return thing
