"""The error hierarchy of the lending domain.

Class names are part of the contract with the state machines in ``infra/``: a Lambda that raises
``DisbursementRefusedError`` reaches the ``Catch`` whose ``ErrorEquals`` names ``DisbursementRefusedError``.
A test checks that every error name used in the ASL files is a class defined here.

``code`` names what went wrong for a client; which HTTP status answers it is the API layer's choice
(``chalicelib/api/error_status.py``): the domain knows nothing of HTTP.
"""

from __future__ import annotations

from typing import Any


class LendingError(Exception):
    """Base of every error the domain raises on purpose."""

    code = "LENDING_ERROR"

    def __init__(self, message: str, details: dict[str, Any] | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}
        if code is not None:  # a rule may name itself more precisely than its class
            self.code = code


# --- programming errors that must never reach a customer as a result -------------------------------------
class FloatMoneyError(LendingError, TypeError):
    """An amount was given as a float (or another non-integer). Money is integer fen."""

    code = "INVALID_AMOUNT"


# --- the request is wrong ------------------------------------------------------------------------------
class ValidationError(LendingError):
    code = "VALIDATION_ERROR"


class NotFoundError(LendingError):
    """Also what a customer gets for another customer's resource: its existence is not disclosed."""

    code = "NOT_FOUND"


class ForbiddenError(LendingError):
    code = "FORBIDDEN"


class ComplianceOfficerRequiredError(ForbiddenError):
    """A sanctions or watch-list hit is a compliance officer's to decide (the anti-money-laundering law), not a
    risk officer's: the application it holds, the line it froze."""

    code = "COMPLIANCE_OFFICER_REQUIRED"


class SignInRefusedError(LendingError):
    """Wrong username or password (which of the two is not said), or the account cannot sign in."""

    code = "SIGN_IN_REFUSED"


class SessionRevokedError(LendingError):
    """The token's user signed out everywhere or was disabled after it was issued: sign in again."""

    code = "SESSION_REVOKED"


class SessionCheckUnavailableError(LendingError):
    """The user pool could not say whether the session still stands: nothing that moves money or signs goes on."""

    code = "SESSION_CHECK_UNAVAILABLE"


class InvalidTransitionError(LendingError):
    """The entity is not in a state that allows the requested change."""

    code = "INVALID_STATE"


class ConcurrentModificationError(LendingError):
    """Optimistic concurrency: someone else changed the item since it was read. Safe to retry from a re-read."""

    code = "CONCURRENT_MODIFICATION"


class IdempotencyKeyReusedError(LendingError):
    """The same Idempotency-Key was sent with a different request body."""

    code = "IDEMPOTENCY_KEY_REUSED"


class OfferExpiredError(LendingError):
    code = "OFFER_EXPIRED"


class OtpInvalidError(LendingError):
    code = "OTP_INVALID"


class OtpExpiredError(LendingError):
    code = "OTP_EXPIRED"


class OtpAttemptsExceededError(LendingError):
    """Five wrong guesses lock the code: ask for a new one (within the resend limits)."""

    code = "OTP_ATTEMPTS_EXCEEDED"


class OtpResendTooSoonError(LendingError):
    code = "OTP_RESEND_TOO_SOON"


class OtpDailyLimitError(LendingError):
    code = "OTP_DAILY_LIMIT"


class PhoneNotVerifiedError(LendingError):
    """The applicant's phone must be confirmed with an SMS code before the application is submitted."""

    code = "PHONE_NOT_VERIFIED"


class ConflictOfInterestError(LendingError):
    code = "OFFICER_CONFLICT_OF_INTEREST"


class MfaRequiredError(LendingError):
    """Back-office routes need a token from a sign-in that completed MFA (its amr claim lists "mfa")."""

    code = "MFA_REQUIRED"


class DocumentAlreadyReadError(LendingError):
    """A document that was read and accepted cannot be replaced by another upload (what was checked is what
    is used)."""

    code = "DOCUMENT_ALREADY_READ"


class DocumentsMissingError(LendingError):
    code = "DOCUMENTS_MISSING"


class SecondOfficerRequiredError(LendingError):
    """Maker-checker: large approvals need a second, different risk officer."""

    code = "SECOND_OFFICER_REQUIRED"


class ConsentRequiredError(LendingError):
    """PIPL: this processing needs a consent that was not given or was withdrawn."""

    code = "CONSENT_REQUIRED"


class LivenessRequiredError(LendingError):
    code = "LIVENESS_REQUIRED"


class LivenessLockedError(LendingError):
    """Five failed liveness checks in a row lock the face step until a lockout ends (each lockout twice the last)."""

    code = "LIVENESS_LOCKED"


class LivenessSessionLimitError(LendingError):
    """Too many liveness sessions started in the last 24 hours (each one costs a Rekognition session)."""

    code = "LIVENESS_SESSION_LIMIT"


class DocumentsNotReadyError(LendingError):
    """A required document could not be read (details: the reason per document type) or is still processing."""

    code = "DOCUMENTS_NOT_READY"


# --- drawdown rules (each a named business rule, see domain.drawdown_rules) ------------------------------
class DrawdownRuleViolatedError(LendingError):
    code = "DRAWDOWN_RULE_VIOLATED"


class CreditLimitExceededError(DrawdownRuleViolatedError):
    """The line has less available than asked for. Raised by the atomic reservation, never by a read."""

    code = "CREDIT_LIMIT_EXCEEDED"


class CreditLineNotActiveError(DrawdownRuleViolatedError):
    code = "CREDIT_LINE_NOT_ACTIVE"


# --- workflow outcomes named in Catch clauses -----------------------------------------------------------
class IdentityNotVerifiedError(LendingError):
    code = "IDENTITY_NOT_VERIFIED"


class CreditDataUnavailableError(LendingError):
    """The bureau or tax source did not answer. Transient: the workflow retries it, then records the failure."""

    code = "CREDIT_DATA_UNAVAILABLE"


class DisbursementRefusedError(LendingError):
    """The core banking system definitively refused the payout: no money moved, the reservation is released."""

    code = "DISBURSEMENT_REFUSED"


class RepaymentRefusedError(LendingError):
    """The core could not debit the customer's account: nothing was applied."""

    code = "REPAYMENT_REFUSED"


class QuoteChangedError(LendingError):
    """The amount sent is not today's quote (a day passed, or the loan changed): ask for a new quote."""

    code = "QUOTE_CHANGED"


class CreditLineInUseError(LendingError):
    code = "CREDIT_LINE_IN_USE"


class RepaymentBeingBookedError(LendingError):
    """The core has collected the money but its booking has not landed yet (it conflicted with another change
    of the loan or line). The claim on the loan keeps the collection; a retry with the same Idempotency-Key, or
    the next daily run, books it. Never answered as a changed quote: the customer has paid."""

    code = "REPAYMENT_BEING_BOOKED"


class RepaymentInProgressError(LendingError):
    """Another repayment of the same loan is between collection and booking: one at a time per loan."""

    code = "REPAYMENT_IN_PROGRESS"


class InstalmentDueError(LendingError):
    """An early repayment while an instalment is due and uncollected: that instalment is settled first."""

    code = "INSTALMENT_DUE"


class DisbursementOutcomeUnknownError(LendingError):
    """The core banking call timed out: the workflow must ask for the outcome by drawdown id before any retry."""

    code = "DISBURSEMENT_OUTCOME_UNKNOWN"


class ApplicationWithdrawnError(LendingError):
    """Sent as the task failure to a waiting workflow when the customer withdraws."""

    code = "APPLICATION_WITHDRAWN"


class CustomerRecordNotFoundError(NotFoundError):
    """The signed-in login has no record at the bank: she applies the way of a customer new to the bank (typed
    details, the phone proved by SMS, the payout account checked by its four elements)."""

    code = "CUSTOMER_RECORD_NOT_FOUND"


class BureauReportingUnavailableError(LendingError):
    """The credit bureau's reporting intake is not connected on this stage: no report was claimed or written."""

    code = "BUREAU_REPORTING_UNAVAILABLE"


class CustomerRecordsUnavailableError(LendingError):
    """The bank's customer information system did not answer, or is not connected on this stage: nothing was
    recorded; the customer may try again later."""

    code = "CUSTOMER_RECORDS_UNAVAILABLE"


class AccountVerificationUnavailableError(LendingError):
    """The bank-card four-element check (银行卡四要素) did not answer, or is not connected on this stage: the
    drawdown is refused before any money could move; the customer may try again later."""

    code = "ACCOUNT_VERIFICATION_UNAVAILABLE"


class ContractSigningUnavailableError(LendingError):
    """The certificate authority or time-stamping authority for contract signatures is not connected."""

    code = "CONTRACT_SIGNING_UNAVAILABLE"


class ContractAlreadySignedError(LendingError):
    code = "CONTRACT_ALREADY_SIGNED"
