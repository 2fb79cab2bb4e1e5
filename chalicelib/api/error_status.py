"""How the API answers each error raised on purpose: the domain says what went wrong (the error's class and its
code), this table says which HTTP status tells a client that best - whose fault it is and whether trying again
can help. The domain knows nothing of HTTP. An error class not named here answers as its nearest named base
(``type(err).__mro__``), so a new rule error under ``DrawdownRuleViolatedError`` is a 422 without a line here."""

from __future__ import annotations

from ..adapters.cognito_jwt import TokenRejectedError
from ..domain import errors as e
from ..domain.ledger import UnbalancedTransactionError

STATUS: dict[type[e.LendingError], int] = {
    e.LendingError: 400,
    e.FloatMoneyError: 422,
    e.ValidationError: 422,
    e.NotFoundError: 404,
    e.ForbiddenError: 403,
    e.SignInRefusedError: 401,
    e.SessionRevokedError: 401,
    e.SessionCheckUnavailableError: 503,
    e.InvalidTransitionError: 409,
    e.ConcurrentModificationError: 409,
    e.IdempotencyKeyReusedError: 422,
    e.OfferExpiredError: 409,
    e.OtpInvalidError: 422,
    e.OtpExpiredError: 422,
    e.OtpAttemptsExceededError: 429,
    e.OtpResendTooSoonError: 429,
    e.OtpDailyLimitError: 429,
    e.PhoneNotVerifiedError: 409,
    e.ConflictOfInterestError: 403,
    e.MfaRequiredError: 403,
    e.DocumentAlreadyReadError: 409,
    e.DocumentsMissingError: 409,
    e.SecondOfficerRequiredError: 409,
    e.ConsentRequiredError: 409,
    e.LivenessRequiredError: 409,
    e.LivenessLockedError: 429,
    e.LivenessSessionLimitError: 429,
    e.DocumentsNotReadyError: 409,
    e.DrawdownRuleViolatedError: 422,
    e.CreditLineNotActiveError: 409,
    e.IdentityNotVerifiedError: 409,
    e.CreditDataUnavailableError: 503,
    e.DisbursementRefusedError: 409,
    e.RepaymentRefusedError: 409,
    e.QuoteChangedError: 409,
    e.CreditLineInUseError: 409,
    e.RepaymentBeingBookedError: 409,
    e.RepaymentInProgressError: 409,
    e.InstalmentDueError: 409,
    e.DisbursementOutcomeUnknownError: 503,
    e.ApplicationWithdrawnError: 409,
    e.AccountVerificationUnavailableError: 503,
    e.CustomerRecordsUnavailableError: 503,
    e.BureauReportingUnavailableError: 503,
    e.ContractSigningUnavailableError: 503,
    e.ContractAlreadySignedError: 409,
    UnbalancedTransactionError: 500,
    TokenRejectedError: 401,
}


def http_status(err: e.LendingError) -> int:
    for cls in type(err).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400
