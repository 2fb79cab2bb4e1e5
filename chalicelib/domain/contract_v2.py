"""The second template of the credit line agreement (from 2026-12): what the product does after signing, said in
the contract the customer signs.

v1 allowed freezing the line only while a payment was overdue, although early warning freezes a line, cuts it and
proposes acceleration on other risk events; v2 names those events and the three measures (暂停额度, 调减额度,
宣布提前到期), lists the uses of funds the rules ban and the duty to report the use, tells her that the loan is
reported to the credit bureau and that she is told before negative information is first reported (征信业管理条例
Art. 15), gives the complaint channel, the lender's address, and the price as disclosed (年化利率 by IRR with every
fee, 综合融资成本 in yuan). Each clause's words are tested (tests/unit/test_contract_text.py)."""

from __future__ import annotations

from .contract import METHOD_NAMES, Agreement, AgreementFacts, chinese_capital_amount, percent
from .pricing import FeeBasis

V2 = "LINE-AGREEMENT-2026.12-v2"

# The uses of a business loan's funds the rules ban (个人贷款管理办法; the internet-lending rules): in the contract
# word for word, and what the use-of-funds signal watches for.
BANNED_USES = ("购房或偿还购房借款", "投资股票、债券、期货、金融衍生品、资产管理产品（理财）等", "股权投资",
               "民间借贷或借新还旧", "国家法律法规和监管规定禁止的其他用途")

# The named risk events on which the bank may act before the loan falls due (each is a signal early warning
# observes: the court and registry feeds, the bureau, the bank's own flows, the use-of-funds watch).
RISK_EVENTS = (
    "借款人或其经营主体被人民法院列为被执行人、失信被执行人或被限制高消费，或其财产被查封、冻结、强制执行",
    "借款人提供的身份、经营、收入或账户信息虚假，或隐瞒重要事实",
    "借款人违反本合同约定的借款用途使用借款，或未按贷款人要求报告、证明借款用途",
    "借款人或其经营主体的经营、财务或信用状况发生重大不利变化（包括停业、注销或吊销、列入经营异常名录、"
    "经营收入或账户流水大幅下降、在其他金融机构出现逾期），可能影响按期还款",
    "借款人未按期足额还款",
    "借款人被列入反洗钱、反恐怖融资相关的制裁或监控名单，或其交易被合理怀疑涉及洗钱",
)


def _fees(f: AgreementFacts) -> str:
    if not f.fees:
        return "无任何手续费、服务费或其他费用"
    parts = []
    for fee in f.fees:
        when = "放款时一次收取" if fee.basis is FeeBasis.AT_PAYOUT else "随每期还款收取"
        parts.append(f"{fee.name_zh}：借款本金的{percent(fee.rate)}，{when}")
    return "；".join(parts)


def _numbered(items: tuple[str, ...]) -> str:
    numerals = "一二三四五六七八九十"
    return "；".join(f"（{numerals[i]}）{text}" for i, text in enumerate(items)) + "。"


def agreement_v2(f: AgreementFacts) -> Agreement:
    limit_words = chinese_capital_amount(f.credit_limit)
    ex = f.example
    price = f.example_price
    apr = percent(price.apr if price else f.apr)
    terms = "、".join(f"{t}个月" for t in f.term_months)
    methods = "、".join(METHOD_NAMES[m] for m in f.repayment_methods)
    cost = (f"以全部额度{ex.term_months}个月{METHOD_NAMES[ex.method]}为例：利息{price.interest}、费用{price.fees}，"
            f"综合融资成本合计{price.total_cost}" if price else f"利息合计{ex.total_interest}")
    phone = f.lender_service_phone or "贷款人客服电话"
    key_terms = (
        ("贷款人", f"{f.lender_name}（住所：{f.lender_address}）"),
        ("借款人", f"{f.borrower_name}（身份证号 {f.borrower_id_masked}，手机 {f.borrower_phone_masked}）"),
        ("经营主体", f.business_name),
        ("授信额度", f"{limit_words}（{f.credit_limit}）"),
        ("额度有效期", f"自额度生效之日起{f.line_months}个月，额度内可循环使用"),
        ("年利率（单利）", f"{percent(f.annual_rate)}，日利率 = 年利率 ÷ 360"),
        ("年化利率（APR，内部收益率法，含全部费用）", apr),
        ("综合融资成本", cost),
        ("单笔借款期限", terms),
        ("还款方式", methods),
        ("费用", _fees(f)),
        ("逾期罚息", f"逾期本金按年利率的{f.default_interest_multiple}倍按日计收"),
        ("客服与投诉", f"客服电话 {phone}；手机银行“我的—投诉与建议”"),
    )
    clauses = (
        ("第一条 额度", f"贷款人向借款人提供{limit_words}的循环授信额度，额度有效期内可多次提款、随借随还。"),
        ("第二条 借款用途", "借款仅用于借款人的合法生产经营。借款人不得将借款用于下列用途：" + _numbered(BANNED_USES)
         + "借款人应按贷款人的要求如实报告借款的使用情况并提供交易凭证，贷款人有权对借款用途进行检查。"),
        ("第三条 提款", "借款人通过手机银行在额度有效期内申请提款，每笔不低于人民币壹仟元且为百元整数倍，"
                     "款项仅发放至借款人本人名下已验证的账户。每笔提款形成一笔借款，适用本合同约定。"),
        ("第四条 利息、费用与年化利率",
         "利息按日计算，日利率为年利率除以360；整月按年利率除以12计息，不足整月按实际天数计息；"
         "每期金额按四舍五入精确到分，最后一期吸收尾差。费用以本合同列明的为限，未列明的不收取。"
         f"年化利率按借款人实际占用的本金、以内部收益率法计算并包含全部费用，为{apr}。"),
        ("第五条 还款", f"借款人可选择{methods}；每期还款日为提款日在各月的对应日，当月无对应日的为该月最后一日。"
                     "借款人授权贷款人于还款日从其还款账户自动扣收应还款项。"),
        ("第六条 提前还款", "借款人可随时提前归还全部或部分本金，无需支付违约金；利息计至还款日。"
                        "部分提前还款后，剩余各期还款日不变、每期还款金额相应减少。"),
        ("第七条 逾期与罚息", f"借款人未按期还款的，逾期本金自逾期之日起按年利率的{f.default_interest_multiple}倍"
                         "按日计收罚息。"),
        ("第八条 暂停额度、调减额度与提前到期", "发生下列任一情形的，贷款人有权暂停借款人使用额度、调减授信额度，"
         "情节严重的有权宣布本合同项下已发放的借款全部或部分提前到期，要求借款人立即归还：" + _numbered(RISK_EVENTS)
         + "贷款人采取上述措施时以短信和手机银行消息通知借款人并说明原因；暂停或调减的原因消除、经贷款人核实后，"
           "额度可以恢复。借款人对措施有异议的，可以通过第十二条的渠道提出，并可要求人工复核。"),
        ("第九条 示例", f"以全部额度{ex.term_months}个月{METHOD_NAMES[ex.method]}为例：首期还款{ex.first_instalment}，"
                     f"利息合计{ex.total_interest}，本息合计{ex.total_repaid}，年化利率{apr}。"),
        ("第十条 个人信息处理授权", "借款人同意贷款人为审批、签约、放款、贷后管理和依法报送之目的，依照《中华人民共和国"
                              "个人信息保护法》处理其身份、联系方式、经营及账户信息；借款人可依法查阅、更正及撤回同意，"
                              "撤回不影响撤回前处理的效力。对自动化决策的结果，借款人有权要求贷款人说明并由工作人员复核。"),
        ("第十一条 征信查询与报送",
         "借款人授权贷款人向中国人民银行征信中心及依法设立的征信机构查询其信用信息。"
         "贷款人按月向金融信用信息基础数据库报送本合同项下的额度、借款、还款及逾期等信息；"
         "首次报送借款人的不良信息前，贷款人将以短信通知借款人。借款人认为报送的信息有错误或遗漏的，"
         "可以向贷款人或征信中心提出异议，贷款人自收到异议之日起20日内核查并答复，错误的予以更正。"),
        ("第十二条 客户服务与投诉",
         f"借款人可以拨打贷款人客服电话{phone}，或在手机银行“我的—投诉与建议”提出咨询和投诉；"
         "贷款人自收到投诉之日起15日内答复，答复以短信和手机银行消息送达。"),
        ("第十三条 电子签名", "双方同意以可靠的电子签名签署本合同。依据《中华人民共和国电子签名法》第十三条、第十四条，"
                         "可靠的电子签名与手写签名或者盖章具有同等的法律效力。签署后对本合同或签名的任何改动均能够被发现。"
                         "借款人签署后可随时在手机银行下载已签署的合同文件。"),
        ("第十四条 争议解决",
         "因本合同发生的争议，双方协商解决；协商不成的，向贷款人住所地有管辖权的人民法院提起诉讼。"),
        ("第十五条 生效",
         f"本合同自借款人与贷款人完成电子签名之日起生效。本合同要约有效期至{f.offer_valid_until.isoformat()}。"),
    )
    signature_block = (
        f"借款人（电子签名）：{f.borrower_name}",
        f"贷款人（电子签章）：{f.lender_name}",
        f"合同编号：{f.contract_no}    生成日期：{f.generated_on.isoformat()}    模板版本：{V2}",
    )
    return Agreement(V2, "个人经营性贷款额度借款合同", f.contract_no, key_terms, clauses, signature_block)
