"""Money is an integer number of fen (分, 1/100 yuan). Floats are refused, always.

A float cannot represent 0.1 yuan exactly; a ledger built on floats drifts. Every amount the bank stores,
compares or sends is a ``Money`` holding an ``int``; rates are ``decimal.Decimal`` and any product of an amount
and a rate is rounded back to whole fen explicitly, with the rounding mode named at the call site.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .errors import FloatMoneyError

FEN_PER_YUAN = 100


@dataclass(frozen=True, order=True, slots=True)
class Money:
    fen: int

    def __post_init__(self) -> None:
        # bool is an int subclass; True fen is a bug, not an amount.
        if isinstance(self.fen, bool) or not isinstance(self.fen, int):
            raise FloatMoneyError(f"money must be an integer number of fen, got {type(self.fen).__name__}")

    @classmethod
    def zero(cls) -> Money:
        return cls(0)

    @classmethod
    def yuan(cls, whole_yuan: int) -> Money:
        if isinstance(whole_yuan, bool) or not isinstance(whole_yuan, int):
            raise FloatMoneyError("Money.yuan takes a whole number of yuan")
        return cls(whole_yuan * FEN_PER_YUAN)

    @classmethod
    def from_decimal_fen(cls, amount: Decimal) -> Money:
        """Round an exact decimal number of fen to whole fen, half up (the convention of PBoC interest rules)."""
        if not isinstance(amount, Decimal):
            raise FloatMoneyError("from_decimal_fen takes a Decimal")
        return cls(int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)))

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.fen + other.fen)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.fen - other.fen)

    def __neg__(self) -> Money:
        return Money(-self.fen)

    def __mul__(self, other: object) -> Money:
        # Multiplying by an int (a count) is exact; by anything else the caller must round explicitly.
        if isinstance(other, bool) or not isinstance(other, int):
            raise FloatMoneyError("money can only be multiplied by an integer; use Decimal and round explicitly")
        return Money(self.fen * other)

    __rmul__ = __mul__

    def times_rate(self, rate: Decimal) -> Decimal:
        """Exact product with a rate, still in fen, still unrounded: the caller decides how to round."""
        if not isinstance(rate, Decimal):
            raise FloatMoneyError("rates are Decimal")
        return Decimal(self.fen) * rate

    def is_positive(self) -> bool:
        return self.fen > 0

    def is_whole_hundred_yuan(self) -> bool:
        return self.fen % (100 * FEN_PER_YUAN) == 0

    def __str__(self) -> str:
        sign = "-" if self.fen < 0 else ""
        whole, cents = divmod(abs(self.fen), FEN_PER_YUAN)
        return f"{sign}¥{whole:,}.{cents:02d}"
