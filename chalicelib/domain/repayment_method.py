"""The repayment methods a product offers, a line allows and a drawdown chooses."""

from __future__ import annotations

from enum import StrEnum


class RepaymentMethod(StrEnum):
    EQUAL_INSTALMENT = "EQUAL_INSTALMENT"  # 等额本息
    EQUAL_PRINCIPAL = "EQUAL_PRINCIPAL"  # 等额本金
    INTEREST_FIRST = "INTEREST_FIRST"  # 先息后本

    @property
    def name_zh(self) -> str:
        """What the customer, the officer and the contract call it: the one place the words are written."""
        return _NAMES_ZH[self]


_NAMES_ZH = {RepaymentMethod.EQUAL_INSTALMENT: "等额本息", RepaymentMethod.EQUAL_PRINCIPAL: "等额本金",
             RepaymentMethod.INTEREST_FIRST: "先息后本"}
