from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.errors import FloatMoneyError
from chalicelib.domain.money import Money


@pytest.mark.parametrize("bad", [1.0, 0.1, Decimal("1"), "100", True, None])
def test_money_refuses_anything_but_an_integer_number_of_fen(bad: object) -> None:
    with pytest.raises(FloatMoneyError):
        Money(bad)  # type: ignore[arg-type]


def test_multiplying_money_by_a_float_is_refused() -> None:
    with pytest.raises(FloatMoneyError):
        Money(100) * 1.5  # type: ignore[operator]


def test_rates_must_be_decimal_and_rounding_is_explicit() -> None:
    with pytest.raises(FloatMoneyError):
        Money(100).times_rate(0.05)  # type: ignore[arg-type]
    exact = Money(333).times_rate(Decimal("0.005"))
    assert exact == Decimal("1.665")
    assert Money.from_decimal_fen(exact) == Money(2)  # half up


def test_yuan_and_display() -> None:
    assert Money.yuan(50_000) == Money(5_000_000)
    assert str(Money(123456789)) == "¥1,234,567.89"
    assert str(Money(-5)) == "-¥0.05"
    assert Money(1_000_000).is_whole_hundred_yuan() and not Money(1_000_050).is_whole_hundred_yuan()


@given(st.integers(-10**12, 10**12), st.integers(-10**12, 10**12))
def test_addition_and_subtraction_are_exact(a: int, b: int) -> None:
    assert (Money(a) + Money(b)).fen == a + b
    assert (Money(a) - Money(b)) + Money(b) == Money(a)
