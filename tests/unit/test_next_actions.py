"""Every state the app can find an application, a line, a drawdown or a loan in says what the app offers next."""

from chalicelib.domain.application import NEXT_ACTION as APPLICATION
from chalicelib.domain.application import ApplicationStatus
from chalicelib.domain.credit_line import NEXT_ACTION as LINE
from chalicelib.domain.credit_line import CreditLineStatus
from chalicelib.domain.loan import LoanStatus, loan_next_action


def test_every_status_has_a_next_action() -> None:
    assert set(APPLICATION) == set(ApplicationStatus)
    assert set(LINE) == set(CreditLineStatus) and LINE[CreditLineStatus.FROZEN] == "READ_NOTICE"
    assert [loan_next_action(LoanStatus.ACTIVE, 0), loan_next_action(LoanStatus.ACTIVE, 3),
            loan_next_action(LoanStatus.CLOSED, 0)] == ["PAY_NEXT_INSTALMENT", "REPAY_OVERDUE", "NONE"]
