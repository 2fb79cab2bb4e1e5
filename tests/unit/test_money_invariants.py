"""A Hypothesis state machine over drawdowns, payouts and repayments (in-memory fakes with the real services).
After every step: available + reserved + outstanding principal = limit; the ledger balances; no drawdown is paid
out twice; no repayment is collected twice."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from chalicelib.domain.application import RepaymentMethod as M
from chalicelib.domain.drawdown import DrawdownStatus as D
from chalicelib.domain.errors import DrawdownRuleViolatedError, IdempotencyKeyReusedError
from chalicelib.domain.ledger import balances, check, loan_principal
from chalicelib.domain.loan import LoanStatus
from chalicelib.domain.money import Money
from chalicelib.services import drawdowns, repayments
from chalicelib.services.drawdowns import DrawdownCommand
from tests.conftest import build_memory_deps
from tests.fakes.memory import MemoryCoreBanking
from tests.unit.test_services import ACCOUNT, active_line


class Lending(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.core = MemoryCoreBanking()
        self.deps = build_memory_deps(self.core)
        self.line_id = active_line(self.deps)
        self.created: list[str] = []  # drawdown ids in creation order (ids are random; their order is not)

    @rule(hundreds=st.integers(10, 600), key=st.integers(0, 30))
    def request(self, hundreds: int, key: int) -> None:
        """A tap on "draw" (keys repeat: a flaky network replays them)."""
        cmd = DrawdownCommand(self.line_id, Money.yuan(hundreds * 100), 12, M.EQUAL_INSTALMENT, ACCOUNT)
        try:
            dd = drawdowns.request_drawdown(self.deps, "alice", f"draw-key-{key:04d}", cmd)
        except (DrawdownRuleViolatedError, IdempotencyKeyReusedError):
            return
        if dd.drawdown_id not in self.created:
            self.created.append(dd.drawdown_id)

    @precondition(lambda self: bool(self.created))
    @rule(data=st.data(), refused=st.booleans(), retries=st.integers(1, 3))
    def run_workflow(self, data: st.DataObject, refused: bool, retries: int) -> None:
        """The workflow for one drawdown, each step possibly retried (Step Functions retries)."""
        dd_id = self.created[data.draw(st.integers(0, len(self.created) - 1))]
        for _ in range(retries):
            drawdowns.reserve_limit(self.deps, dd_id)
        if self.deps.repo.get_drawdown(dd_id).status is not D.RESERVED:
            return
        self.core.refuse = refused
        for _ in range(retries):
            try:
                drawdowns.disburse(self.deps, dd_id)
            except Exception:
                drawdowns.release_reservation(self.deps, dd_id, {"Error": "DisbursementRefusedError"})
        self.core.refuse = False
        if self.deps.repo.get_drawdown(dd_id).status is D.DISBURSED:
            for _ in range(retries):
                drawdowns.book_loan(self.deps, dd_id)

    @precondition(lambda self: any(loan.status is LoanStatus.ACTIVE for loan in self.deps.repo.loans.values()))
    @rule(data=st.data(), replays=st.integers(1, 3))
    def repay(self, data: st.DataObject, replays: int) -> None:
        active = [loan_id for loan_id in (drawdowns.loan_id_for(d) for d in self.created)
                  if loan_id in self.deps.repo.loans and self.deps.repo.loans[loan_id].status is LoanStatus.ACTIVE]
        loan_id = active[data.draw(st.integers(0, len(active) - 1))]
        self.deps.clock.advance(days=data.draw(st.integers(0, 40)))  # type: ignore[attr-defined]
        _, quote = repayments.quote(self.deps, "alice", loan_id)
        for _ in range(replays):
            repayments.repay(self.deps, "alice", loan_id, f"repay-{loan_id[-12:]}", quote.total.fen)

    @invariant()
    def the_line_is_never_overdrawn_and_every_fen_is_accounted_for(self) -> None:
        line = self.deps.repo.get_credit_line(self.line_id)
        reserved = sum(d.amount.fen for d in self.deps.repo.drawdowns.values() if d.status is D.RESERVED)
        outstanding = sum(loan.outstanding_principal.fen for loan in self.deps.repo.loans.values()  # type: ignore[union-attr]
                          if loan.outstanding_principal is not None)
        disbursed_not_booked = sum(d.amount.fen for d in self.deps.repo.drawdowns.values() if d.status is D.DISBURSED)
        assert 0 <= line.available.fen <= line.limit.fen
        assert line.available.fen + reserved + disbursed_not_booked + outstanding == line.limit.fen

    @invariant()
    def the_ledger_balances_and_matches_the_loans(self) -> None:
        book = self.deps.repo.ledger_of(self.line_id)
        assert check(book) == []
        totals = balances(book)
        for loan_id, loan in self.deps.repo.loans.items():
            assert totals.get(loan_principal(loan_id), 0) == loan.outstanding_principal.fen  # type: ignore[union-attr]

    @invariant()
    def nothing_is_paid_or_collected_twice(self) -> None:
        paid = [d for d in self.deps.repo.drawdowns.values() if d.status in (D.DISBURSED, D.BOOKED)]
        assert len(self.core.payouts) == len(paid)
        assert len(self.core.collections) == sum(1 for loan in self.deps.repo.loans.values()
                                                 if loan.status is LoanStatus.CLOSED)


Lending.TestCase.settings = settings(max_examples=60, stateful_step_count=25, deadline=None)
TestLending = Lending.TestCase
