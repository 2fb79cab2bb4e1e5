"""What the customer is told when her line is frozen, given back or cut, in plain words, and the notice a line shows."""

from __future__ import annotations

from typing import Any, Protocol

from ...domain.credit_line import CreditLineStatus
from ...domain.early_warning import (
    EarlyWarning,
    Level,
    WarningEvent,
)
from ...ports import LendingRepository, Notifier, WarningStore


class NoticePorts(Protocol):
    """The ports the notices use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    notifier: Notifier
    repo: LendingRepository
    warnings: WarningStore


FROZEN_NOTICE = ("您的小额普惠贷额度因风险复核暂停使用，已有借款按原计划还款。"
                 "如有疑问，请联系您的客户经理或致电本行客服。")


UNFROZEN_NOTICE = "您的小额普惠贷额度已恢复使用。感谢您的配合。"


LIMIT_REDUCED_NOTICE = ("经本行风险复核，您的小额普惠贷额度已调整为{limit}，已有借款按原计划还款。"
                        "如有疑问，请联系您的客户经理或致电本行客服。")


OVERDUE_NOTICE = "您有借款逾期未还，额度暂停使用；还清逾期款项后将自动恢复。"


REVIEW_NOTICE = "根据本行贷后管理要求，新的提款需经本行审核后放款，审核通常在一个工作日内完成。"


def notice_for(warnings: WarningStore, line: Any) -> str | None:
    """What the customer reads on the line (no reason codes, no record: those are for officers)."""
    live = line.status in (CreditLineStatus.FROZEN, CreditLineStatus.ACTIVE)
    return _notice(line.status, warnings.open_warning_of_line(line.credit_line_id) if live else None)


def notices_for(warnings: WarningStore, lines: list[Any]) -> dict[str, str | None]:
    """Each line's notice, the open warnings of a whole page read at once (a list costs the same reads for one
    line or fifty)."""
    live = [x.credit_line_id for x in lines if x.status in (CreditLineStatus.FROZEN, CreditLineStatus.ACTIVE)]
    found = warnings.open_warnings_of_lines(live) if live else {}
    return {x.credit_line_id: _notice(x.status, found.get(x.credit_line_id)) for x in lines}


def _notice(status: CreditLineStatus, warning: EarlyWarning | None) -> str | None:
    if status is CreditLineStatus.FROZEN:
        return FROZEN_NOTICE if warning is not None and frozen_by_warning(warning) else OVERDUE_NOTICE
    if status is CreditLineStatus.ACTIVE and warning is not None and warning.level >= Level.ORANGE:
        return REVIEW_NOTICE
    return None


def tell_customer(deps: NoticePorts, application_id: str, customer_id: str, template: str, text: str) -> None:
    app = deps.repo.get_application(application_id)
    deps.notifier.send_sms(customer_id, app.applicant_phone, template, text)


def frozen_by_warning(warning: EarlyWarning) -> bool:
    """A line frozen because a loan is overdue stays frozen until the loan is caught up, whatever the warning."""
    return any(h.event is WarningEvent.LINE_FROZEN for h in warning.history)
