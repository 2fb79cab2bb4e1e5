"""The credit line agreement (个人经营性贷款额度借款合同): what it says, independent of how it is drawn or signed.

``agreement_for`` turns an accepted offer into a versioned, structured document (title, parties, a table of key
terms, numbered clauses); an adapter renders it to PDF and another signs it. Amounts appear in figures and in
Chinese capital numerals (大写金额, rules of the PBoC's 《支付结算办法》 for writing amounts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .loan import Loan, apr, build_schedule
from .money import Money
from .pricing import Fee, PriceDisclosure, disclose
from .repayment_method import RepaymentMethod
from .schedules import month_offsets

V1 = "LINE-AGREEMENT-2026.11-v1"  # signed until 2026-12: freezing only while overdue; stays valid and readable

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")

METHOD_NAMES = {m: m.name_zh for m in RepaymentMethod}


def _group(value: int) -> str:
    """0 < value < 10000 -> e.g. 1004 -> 壹仟零肆 (one 零 for a run of zeros inside the group)."""
    out: list[str] = []
    zero = False
    for position in range(3, -1, -1):
        digit = value // 10 ** position % 10
        if digit == 0:
            zero = bool(out)  # a zero after a written digit; written only if another digit follows
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_DIGITS[digit] + _SMALL_UNITS[position])
    return "".join(out)


def chinese_capital_amount(amount: Money) -> str:
    """人民币 in capital numerals: 5,000,000 fen -> 人民币伍万元整; 1,640,902 -> 人民币壹万陆仟肆佰零玖元零贰分."""
    if amount.fen < 0:
        raise ValueError("a contract amount is never negative")
    yuan, jiao, fen = amount.fen // 100, amount.fen // 10 % 10, amount.fen % 10
    groups = []
    rest = yuan
    while rest:
        groups.append(rest % 10_000)
        rest //= 10_000
    if len(groups) > len(_GROUP_UNITS):
        raise ValueError("amount too large for a contract")
    words: list[str] = []
    pending_zero = False
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            pending_zero = bool(words)
            continue
        if words and (pending_zero or value < 1000):  # zeros between groups are written once
            words.append("零")
        pending_zero = False
        words.append(_group(value) + _GROUP_UNITS[index])
    text = "".join(words)
    if yuan:
        text += "元"
    if jiao == 0 and fen == 0:
        return "人民币" + (text or "零元") + "整"
    if jiao:
        text += _DIGITS[jiao] + "角"
    elif yuan:
        text += "零"  # 角位是零而分位不是零: 元 is followed by 零
    if fen:
        text += _DIGITS[fen] + "分"
    else:
        text += "整"
    return "人民币" + text


def percent(rate: Decimal) -> str:
    return f"{(rate * 100).quantize(Decimal('0.01'))}%"


@dataclass(frozen=True)
class WorkedExample:
    """What drawing the whole line over the longest term would cost: shown with the offer and in the contract."""

    amount: Money
    term_months: int
    method: RepaymentMethod
    first_instalment: Money
    total_interest: Money
    total_repaid: Money
    apr: Decimal
    instalments: tuple[Money, ...] = ()  # each instalment's principal and interest (what the price is computed on)
    months: tuple[int, ...] = ()  # the month after the start each instalment falls in (quarterly: 3, 6, ...)

    def price(self, annual_rate: Decimal, fees: tuple[Fee, ...]) -> PriceDisclosure:
        """The example's 年化利率 and 综合融资成本 under the product's fees."""
        return disclose(self.amount, annual_rate, list(self.instalments), fees, list(self.months) or None)


def worked_example(limit: Money, annual_rate: Decimal, term_months: tuple[int, ...],
                   methods: tuple[RepaymentMethod, ...], start: date) -> WorkedExample:
    method = RepaymentMethod.EQUAL_INSTALMENT if RepaymentMethod.EQUAL_INSTALMENT in methods else methods[0]
    term = max(term_months)
    schedule = build_schedule(limit, annual_rate, term, method, start)
    loan = Loan("example", "example", "example", "example", limit, annual_rate, term, method, start, schedule)
    interest = loan.total_interest
    return WorkedExample(limit, term, method, schedule[0].total, interest, limit + interest, apr(loan),
                         tuple(i.total for i in schedule), tuple(month_offsets(schedule, start)))


@dataclass(frozen=True)
class AgreementFacts:
    contract_no: str
    lender_name: str
    lender_address: str
    borrower_name: str
    borrower_id_masked: str
    borrower_phone_masked: str
    business_name: str
    credit_limit: Money
    annual_rate: Decimal
    apr: Decimal
    term_months: tuple[int, ...]
    repayment_methods: tuple[RepaymentMethod, ...]
    line_months: int
    default_interest_multiple: Decimal
    offer_valid_until: date
    generated_on: date
    example: WorkedExample
    # v2's facts (a v1 agreement does not state them)
    lender_service_phone: str = ""
    fees: tuple[Fee, ...] = ()
    example_price: PriceDisclosure | None = None  # the worked example priced as disclosed (fees included)


@dataclass(frozen=True)
class Agreement:
    template_version: str
    title: str
    contract_no: str
    key_terms: tuple[tuple[str, str], ...]
    clauses: tuple[tuple[str, str], ...]  # (heading, text)
    signature_block: tuple[str, ...]

    def as_record(self) -> dict[str, object]:
        """The words as data: stored beside the PDF when it is generated, and what the app renders for a phone."""
        return {"template_version": self.template_version, "title": self.title, "contract_no": self.contract_no,
                "key_terms": [list(t) for t in self.key_terms], "clauses": [list(c) for c in self.clauses],
                "signature_block": list(self.signature_block)}

    @classmethod
    def from_record(cls, r: dict) -> Agreement:
        return cls(r["template_version"], r["title"], r["contract_no"], tuple((k, v) for k, v in r["key_terms"]),
                   tuple((h, t) for h, t in r["clauses"]), tuple(r["signature_block"]))


def agreement_v1(f: AgreementFacts) -> Agreement:
    """The first template, word for word as it was signed (its contracts are still verified and shown)."""
    limit_words = chinese_capital_amount(f.credit_limit)
    ex = f.example
    terms = "、".join(f"{t}个月" for t in f.term_months)
    methods = "、".join(METHOD_NAMES[m] for m in f.repayment_methods)
    key_terms = (
        ("贷款人", f.lender_name),
        ("借款人", f"{f.borrower_name}（身份证号 {f.borrower_id_masked}，手机 {f.borrower_phone_masked}）"),
        ("经营主体", f.business_name),
        ("授信额度", f"{limit_words}（{f.credit_limit}）"),
        ("额度有效期", f"自额度生效之日起{f.line_months}个月，额度内可循环使用"),
        ("年利率（单利）", f"{percent(f.annual_rate)}，日利率 = 年利率 ÷ 360"),
        ("年化利率（APR，内部收益率法）", percent(f.apr)),
        ("单笔借款期限", terms),
        ("还款方式", methods),
        ("费用", "无任何手续费、服务费或其他费用"),
        ("逾期罚息", f"逾期本金按年利率的{f.default_interest_multiple}倍按日计收"),
    )
    clauses = (
        ("第一条 额度与用途", f"贷款人向借款人提供{limit_words}的循环授信额度，仅用于借款人的合法生产经营，"
                         "不得用于购房、股票、债券、期货、理财等投资，不得用于任何违法用途。"),
        ("第二条 提款", "借款人通过手机银行在额度有效期内申请提款，每笔不低于人民币壹仟元且为百元整数倍，"
                     "款项仅发放至借款人本人名下已验证的账户。每笔提款形成一笔借款，适用本合同约定。"),
        ("第三条 利息与计息", "利息按日计算，日利率为年利率除以360；整月按年利率除以12计息，不足整月按实际天数计息；"
                         "每期金额按四舍五入精确到分，最后一期吸收尾差。"),
        ("第四条 还款", f"借款人可选择{methods}；每期还款日为提款日在各月的对应日，当月无对应日的为该月最后一日。"
                     "借款人授权贷款人于还款日从其还款账户自动扣收应还款项。"),
        ("第五条 提前还款", "借款人可随时提前归还全部或部分本金，无需支付违约金；利息计至还款日。"
                        "部分提前还款后，剩余各期还款日不变、每期还款金额相应减少。"),
        ("第六条 逾期与罚息", f"借款人未按期还款的，逾期本金自逾期之日起按年利率的{f.default_interest_multiple}倍"
                         "按日计收罚息；逾期期间额度冻结，借款人还清逾期款项后恢复。"),
        ("第七条 示例", f"以全部额度{ex.term_months}个月{METHOD_NAMES[ex.method]}为例：首期还款{ex.first_instalment}，"
                     f"利息合计{ex.total_interest}，本息合计{ex.total_repaid}，年化利率{percent(ex.apr)}。"),
        ("第八条 个人信息处理授权", "借款人同意贷款人为审批、签约、放款、贷后管理之目的，依照《中华人民共和国个人信息保护法》"
                              "处理其身份、联系方式、经营及账户信息；借款人可依法查阅、更正及撤回同意，撤回不影响撤回前处理的效力。"),
        ("第九条 征信授权", "借款人授权贷款人向中国人民银行征信中心及依法设立的征信机构查询、报送其信用信息，"
                        "包括本合同项下的借款及还款情况。"),
        ("第十条 电子签名", "双方同意以可靠的电子签名签署本合同。依据《中华人民共和国电子签名法》第十三条、第十四条，"
                        "可靠的电子签名与手写签名或者盖章具有同等的法律效力。签署后对本合同或签名的任何改动均能够被发现。"),
        ("第十一条 争议解决", "因本合同发生的争议，双方协商解决；协商不成的，向贷款人住所地有管辖权的人民法院提起诉讼。"),
        ("第十二条 生效", f"本合同自借款人与贷款人完成电子签名之日起生效。本合同要约有效期至{f.offer_valid_until.isoformat()}。"),
    )
    signature_block = (
        f"借款人（电子签名）：{f.borrower_name}",
        f"贷款人（电子签章）：{f.lender_name}",
        f"合同编号：{f.contract_no}    生成日期：{f.generated_on.isoformat()}    模板版本：{V1}",
    )
    return Agreement(V1, "个人经营性贷款额度借款合同", f.contract_no, key_terms, clauses, signature_block)

