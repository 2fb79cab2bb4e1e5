"""A repayment method's Chinese name is written once (the domain): the contract, the API and so the screens say
the same words."""

from chalicelib.api import models as m
from chalicelib.domain.contract import METHOD_NAMES
from chalicelib.domain.repayment_method import RepaymentMethod


def test_the_contract_and_every_response_name_a_method_alike() -> None:
    assert METHOD_NAMES == {r: r.name_zh for r in RepaymentMethod}
    assert [r.name_zh for r in RepaymentMethod] == ["等额本息", "等额本金", "先息后本", "按季付息、到期还本"]
    product = m.ProductOut.model_construct(repayment_methods=["INTEREST_FIRST", "EQUAL_INSTALMENT"])
    assert product.repayment_methods_zh == ["先息后本", "等额本息"]
    accepted = m.DrawdownAcceptedOut(drawdown_id="dd_1", credit_line_id="line_1", amount_fen=100_000,
                                     term_months=12, repayment_method="EQUAL_PRINCIPAL",
                                     accepted_at="2026-12-07T01:00:00Z", status_url="/v1/drawdowns/dd_1")
    assert accepted.model_dump()["repayment_method_zh"] == "等额本金"
