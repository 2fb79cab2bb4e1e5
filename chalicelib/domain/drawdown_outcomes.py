"""What the customer is told about a drawdown, at every step, and what the app honestly offers next.

A drawdown that does not pay out says why in words the customer can act on: an account the bank's core refused
will refuse again, so the next step is to call the bank, not to draw again to the same account; a line frozen
before the payout sends the customer to the line's notice; a drawdown over what was left when it was reserved
can be asked again for less. The reason codes are the contract (stored on the drawdown); the texts may change."""

from __future__ import annotations

from dataclasses import dataclass

from .drawdown import DECLINED_BY_OFFICER, Drawdown, DrawdownStatus, DrawdownSummary

# why a payout did not happen (Drawdown.failure_reason), decided by the service from the facts at release
PAYOUT_ACCOUNT_REFUSED = "PAYOUT_ACCOUNT_REFUSED"  # the core refused to credit the account
LINE_NOT_ACTIVE_AT_PAYOUT = "LINE_NOT_ACTIVE_AT_PAYOUT"  # frozen (or closed) after acceptance, before the payout


@dataclass(frozen=True)
class CustomerOutcome:
    next_action: str  # WAIT_FOR_BANK_REVIEW, WAIT_FOR_PAYOUT, VIEW_LOAN, DRAW_AGAIN, READ_NOTICE, CONTACT_BANK, NONE
    message_zh: str


_BY_STATUS = {
    DrawdownStatus.AWAITING_APPROVAL: CustomerOutcome(
        "WAIT_FOR_BANK_REVIEW", "根据本行贷后管理要求，本笔提款需经人工审核，审核通常在一个工作日内完成，"
                                "结果将短信通知您。"),
    DrawdownStatus.REQUESTED: CustomerOutcome("WAIT_FOR_PAYOUT", "提款申请已受理，正在为您放款。"),
    DrawdownStatus.RESERVED: CustomerOutcome("WAIT_FOR_PAYOUT", "额度已为您预留，正在放款至您的收款账户。"),
    DrawdownStatus.DISBURSED: CustomerOutcome("WAIT_FOR_PAYOUT", "款项已发放，正在生成借款和还款计划。"),
    DrawdownStatus.BOOKED: CustomerOutcome("VIEW_LOAN", "借款已到账，可在借款详情中查看还款计划。"),
}

_BY_REASON = {
    PAYOUT_ACCOUNT_REFUSED: CustomerOutcome(
        "CONTACT_BANK", "收款账户未能入账（账户可能已冻结、注销或限制收款），本笔借款未发放，额度已恢复。"
                        "请联系开户行核实账户状态，或致电本行客服更换收款账户后再提款。"),
    LINE_NOT_ACTIVE_AT_PAYOUT: CustomerOutcome(
        "READ_NOTICE", "放款前您的额度已暂停使用，本笔借款未发放，未占用额度。具体原因请查看额度页面的说明。"),
    DECLINED_BY_OFFICER: CustomerOutcome(
        "CONTACT_BANK", "经本行审核，本笔提款申请未获通过，额度未占用。"
                        "如有疑问，请联系您的客户经理或致电本行客服。"),
    "CREDIT_LIMIT_EXCEEDED": CustomerOutcome(
        "DRAW_AGAIN", "放款时可用额度已不足本笔金额（可能有另一笔提款先占用了额度），本笔借款未发放。"
                      "请按当前可用额度重新提款。"),
    "DRAWDOWN_NOT_AVAILABLE": CustomerOutcome(
        "CONTACT_BANK", "本笔提款暂无法办理，额度未占用。请致电本行客服或联系您的客户经理。"),
    "CREDIT_LINE_NOT_ACTIVE": CustomerOutcome(
        "READ_NOTICE", "您的额度当前不可使用，本笔借款未发放。具体原因请查看额度页面的说明。"),
}

_FAILED = CustomerOutcome("CONTACT_BANK", "本笔借款未能发放，额度已恢复。请致电本行客服了解原因。")
_REJECTED = CustomerOutcome("DRAW_AGAIN", "本笔提款未通过放款前的检查，额度未占用，请核对后重新提款。")
_CHECKING = CustomerOutcome("WAIT_FOR_PAYOUT", "放款结果正在核实中，请勿重复提款；核实后我们将短信通知您。")


def customer_outcome(dd: Drawdown | DrawdownSummary) -> CustomerOutcome:
    if dd.status in (DrawdownStatus.FAILED, DrawdownStatus.REJECTED):
        known = _BY_REASON.get(dd.failure_reason or "")
        if known is not None:
            return known
        # drawdowns failed before the reasons had codes carry the error's name: the core refused the account
        if dd.status is DrawdownStatus.FAILED and (dd.failure_reason or "").endswith("Error"):
            return _BY_REASON[PAYOUT_ACCOUNT_REFUSED]
        return _FAILED if dd.status is DrawdownStatus.FAILED else _REJECTED
    if dd.failure_reason and dd.status in (DrawdownStatus.RESERVED, DrawdownStatus.DISBURSED):
        return _CHECKING  # a step failed for good; operations reconcile with the core (money may have moved)
    return _BY_STATUS[dd.status]


def not_paid_sms(dd: Drawdown) -> str:
    """The text sent when money that was promised (a 202) will not arrive."""
    return f"【农商银行】您申请的借款 {dd.amount} 未能发放。{customer_outcome(dd).message_zh}"
