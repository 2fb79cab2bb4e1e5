"""The repayment methods a product offers, a line allows and a drawdown chooses. How each one lays out a
schedule is its strategy in domain/schedules.py."""

from __future__ import annotations

from enum import StrEnum


class RepaymentMethod(StrEnum):
    EQUAL_INSTALMENT = "EQUAL_INSTALMENT"  # 等额本息
    EQUAL_PRINCIPAL = "EQUAL_PRINCIPAL"  # 等额本金
    INTEREST_FIRST = "INTEREST_FIRST"  # 先息后本: interest monthly, the principal at maturity
    INTEREST_QUARTERLY = "INTEREST_QUARTERLY"  # 按季付息、到期还本: interest each quarter, the principal at maturity

    @property
    def name_zh(self) -> str:
        """What the customer, the officer and the contract call it: the one place the words are written."""
        return _NAMES_ZH[self]


_NAMES_ZH = {RepaymentMethod.EQUAL_INSTALMENT: "等额本息", RepaymentMethod.EQUAL_PRINCIPAL: "等额本金",
             RepaymentMethod.INTEREST_FIRST: "先息后本",
             RepaymentMethod.INTEREST_QUARTERLY: "按季付息、到期还本"}
