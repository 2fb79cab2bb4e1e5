"""The contract's words: amounts in Chinese capital numerals (the PBoC's rules for writing amounts, with the
examples its 《支付结算办法》 gives), and an agreement that states every term a lending agreement must state."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.contract import V1, Agreement, chinese_capital_amount, worked_example
from chalicelib.domain.contract_templates import CURRENT_TEMPLATE, TEMPLATES, agreement_for
from chalicelib.domain.contract_v2 import BANNED_USES, V2
from chalicelib.domain.money import Money
from chalicelib.domain.pricing import Fee, FeeBasis, disclose
from local.contract_preview import sample_facts


@pytest.mark.parametrize(("fen", "words"), [
    (5_000_000, "人民币伍万元整"),
    (168_032, "人民币壹仟陆佰捌拾元叁角贰分"),  # 元位是0, 角位不是0: 零 may be omitted
    (10_700_053, "人民币壹拾万柒仟元伍角叁分"),
    (1_640_902, "人民币壹万陆仟肆佰零玖元零贰分"),  # 角位是0, 分位不是0: 元 is followed by 零
    (32_500_000, "人民币叁拾贰万伍仟元整"),
    (100_400, "人民币壹仟零肆元整"),
    (100_001_000, "人民币壹佰万零壹拾元整"),
    (100_000_000_100, "人民币壹拾亿零壹元整"),
    (12_000_000_000, "人民币壹亿贰仟万元整"),
    (1_000, "人民币壹拾元整"),
    (50, "人民币伍角整"),
    (5, "人民币伍分"),
    (0, "人民币零元整"),
])
def test_amounts_in_chinese_capitals(fen: int, words: str) -> None:
    assert chinese_capital_amount(Money(fen)) == words


DIGITS = dict(zip("零壹贰叁肆伍陆柒捌玖", range(10), strict=True))
UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def parse_back(words: str) -> int:
    """An independent reader of the capitals (not the converter run backwards): back to fen."""
    body = words.removeprefix("人民币").removesuffix("整")
    yuan_part, _, small = body.partition("元") if "元" in body else ("", "", body)
    total, section, digit = 0, 0, 0
    for ch in yuan_part:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in UNITS:
            section += digit * UNITS[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
    yuan = total + section + digit
    jiao = DIGITS[small[small.index("角") - 1]] if "角" in small else 0
    fen = DIGITS[small[small.index("分") - 1]] if "分" in small else 0
    return yuan * 100 + jiao * 10 + fen


@given(st.integers(0, 10**13))
def test_any_amount_reads_back_to_the_same_fen(fen: int) -> None:
    words = chinese_capital_amount(Money(fen))
    assert parse_back(words) == fen
    assert ("零零" not in words and not words.removeprefix("人民币").startswith("零")) or fen == 0


def _text(agreement: Agreement) -> str:
    return ("".join(v for _, v in agreement.key_terms) + "".join(h + t for h, t in agreement.clauses)
            + "".join(agreement.signature_block))


@pytest.mark.parametrize("version", sorted(TEMPLATES))
def test_every_template_states_every_term(version: str) -> None:
    agreement = agreement_for(sample_facts(), version)
    text = _text(agreement)
    for must in ("人民币伍万元整", "110105********0018", "4.50%", "等额本息", "等额本金", "先息后本", "无任何手续费",
                 "1.5倍", "提前归还", "个人信息保护法", "征信", "电子签名法", "人民法院", "年利率除以360"):
        assert must in text, must
    assert "110105199001010018" not in text  # never the full ID number
    assert agreement.template_version == version and version in agreement.signature_block[-1]


def test_a_new_contract_is_worded_by_v2_and_v1_stays_as_it_was_signed() -> None:
    assert CURRENT_TEMPLATE == V2
    v1 = _text(agreement_for(sample_facts(), V1))
    assert "逾期期间额度冻结" in v1 and "提前到期" not in v1  # v1 allowed freezing only while overdue
    with pytest.raises(ValueError, match="no contract template"):
        agreement_for(sample_facts(), "LINE-AGREEMENT-1999-v0")


def test_v2_names_the_measures_the_product_takes_after_signing_and_the_events_they_follow() -> None:
    text = _text(agreement_for(sample_facts()))
    for measure in ("暂停借款人使用额度", "调减授信额度", "提前到期"):
        assert measure in text, measure
    for event in ("被执行人", "失信被执行人", "虚假", "违反本合同约定的借款用途", "重大不利变化", "制裁或监控名单"):
        assert event in text, event
    assert "以短信和手机银行消息通知借款人并说明原因" in text


def test_v2_lists_the_banned_uses_of_funds_and_the_duty_to_report_the_use() -> None:
    use = dict(agreement_for(sample_facts()).clauses)["第二条 借款用途"]
    for banned in ("购房", "股票", "期货", "理财", "股权投资", "禁止的其他用途"):
        assert banned in use, banned
    assert all(b in use for b in BANNED_USES)
    assert "如实报告借款的使用情况并提供交易凭证" in use


def test_v2_tells_her_about_bureau_reporting_the_notice_before_negative_information_and_disputes() -> None:
    bureau = dict(agreement_for(sample_facts()).clauses)["第十一条 征信查询与报送"]
    assert "按月" in bureau and "报送" in bureau
    assert "首次报送借款人的不良信息前" in bureau and "短信通知" in bureau
    assert "异议" in bureau and "20日内" in bureau


def test_v2_gives_the_complaint_channel_and_the_lenders_name_and_address_from_the_facts() -> None:
    facts = replace(sample_facts(), lender_name="某某农村商业银行股份有限公司", lender_address="某县某路8号",
                    lender_service_phone="96123")
    agreement = agreement_for(facts)
    terms = dict(agreement.key_terms)
    assert terms["贷款人"] == "某某农村商业银行股份有限公司（住所：某县某路8号）"
    assert "96123" in terms["客服与投诉"] and "手机银行" in terms["客服与投诉"]
    complaint = dict(agreement.clauses)["第十二条 客户服务与投诉"]
    assert "96123" in complaint and "15日内答复" in complaint
    assert agreement.signature_block[1].endswith("某某农村商业银行股份有限公司")


def test_v2_states_the_price_as_disclosed_and_a_fee_moves_it() -> None:
    free = dict(agreement_for(sample_facts()).key_terms)
    assert free["年化利率（APR，内部收益率法，含全部费用）"] == "4.50%"
    assert "综合融资成本合计" in free["综合融资成本"] and free["费用"] == "无任何手续费、服务费或其他费用"
    base = sample_facts()
    fee = Fee("SERVICE", "服务费", FeeBasis.AT_PAYOUT, Decimal("0.01"))
    ex = base.example
    priced = replace(base, fees=(fee,), example_price=disclose(ex.amount, base.annual_rate, list(ex.instalments),
                                                               (fee,)))
    terms = dict(agreement_for(priced).key_terms)
    assert terms["年化利率（APR，内部收益率法，含全部费用）"] != "4.50%"
    assert terms["费用"] == "服务费：借款本金的1.00%，放款时一次收取"
    assert "费用¥500.00" in terms["综合融资成本"]


def test_the_words_as_data_round_trip() -> None:
    agreement = agreement_for(sample_facts())
    assert Agreement.from_record(agreement.as_record()) == agreement


def test_the_worked_example_adds_up() -> None:
    ex = worked_example(Money.yuan(50_000), Decimal("0.045"), (3, 12, 36), sample_facts().repayment_methods,
                        date(2026, 1, 31))
    assert ex.term_months == 36 and ex.total_repaid == ex.amount + ex.total_interest
    assert ex.apr == Decimal("0.0450")
