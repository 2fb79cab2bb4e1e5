"""The contract's words: amounts in Chinese capital numerals (the PBoC's rules for writing amounts, with the
examples its 《支付结算办法》 gives), and an agreement that states every term a lending agreement must state."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.contract import agreement_for, chinese_capital_amount, worked_example
from chalicelib.domain.money import Money
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


def test_the_agreement_states_every_term() -> None:
    agreement = agreement_for(sample_facts())
    text = "".join(v for _, v in agreement.key_terms) + "".join(t for _, t in agreement.clauses)
    for must in ("人民币伍万元整", "110105********0018", "4.50%", "等额本息", "等额本金", "先息后本", "无任何手续费",
                 "1.5倍", "提前归还", "个人信息保护法", "征信", "电子签名法", "人民法院", "年利率除以360"):
        assert must in text, must
    assert "110105199001010018" not in text  # never the full ID number
    assert agreement.template_version.startswith("LINE-AGREEMENT-")


def test_the_worked_example_adds_up() -> None:
    ex = worked_example(Money.yuan(50_000), Decimal("0.045"), (3, 12, 36), sample_facts().repayment_methods,
                        date(2026, 1, 31))
    assert ex.term_months == 36 and ex.total_repaid == ex.amount + ex.total_interest
    assert ex.apr == Decimal("0.0450")
