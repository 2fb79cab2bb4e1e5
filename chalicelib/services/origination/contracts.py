"""The credit line agreement: generated when the offer is accepted, signed with the customer's OTP, verified on
request. The unsigned PDF the customer reviewed is stored write-once and its sha256 shown before signing; at
signing that stored file is read back, checked against the hash, signed (borrower, then the bank's seal: PAdES
B-LTA) and the result stored write-once beside it, with its hash, signers, timestamps and level in DynamoDB."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Protocol

from ...domain import events as ev
from ...domain.application import ApplicationStatus, Contract, LoanApplication
from ...domain.business_date import business_date
from ...domain.contract import Agreement, AgreementFacts, worked_example
from ...domain.contract_templates import agreement_for
from ...domain.errors import InvalidTransitionError
from ...domain.products import PRODUCTS
from ...domain.signature import VerificationReport
from ...observability import logger, mask_phone, metrics
from ...ports import ContractSigning, DocumentStore, LendingRepository
from ...settings import Settings


class ContractPorts(Protocol):
    """The ports the contracts use cases touch, and no other (the bootstrap's container has them all; a
    test may hand just these)."""

    contracts: ContractSigning
    documents: DocumentStore
    repo: LendingRepository
    settings: Settings


def unsigned_key(application_id: str) -> str:
    return f"contracts/{application_id}/agreement-unsigned.pdf"


def signed_key(application_id: str) -> str:
    return f"contracts/{application_id}/agreement-signed.pdf"


def words_key(application_id: str) -> str:
    """The agreement's words as data, beside its PDF: what the app renders for a phone (the same Agreement the
    PDF was drawn from, not a picture of it)."""
    return f"contracts/{application_id}/agreement.json"


def _facts(deps: ContractPorts, app: LoanApplication, now: datetime) -> AgreementFacts:
    offer = app.offer
    assert offer is not None
    product = PRODUCTS[app.product_code]
    example = worked_example(offer.credit_limit, offer.annual_rate, offer.term_months, offer.repayment_methods,
                             business_date(now))
    return AgreementFacts(
        contract_no=f"HT{now:%Y%m%d}{app.application_id[-8:].upper()}",
        lender_name=deps.settings.lender_name, lender_address=deps.settings.lender_address,
        borrower_name=app.applicant_name,
        borrower_id_masked=app.identity.id_number_masked if app.identity else "（未核验）",
        borrower_phone_masked=mask_phone(app.applicant_phone), business_name=app.business.name,
        credit_limit=offer.credit_limit, annual_rate=offer.annual_rate,
        apr=example.apr,
        term_months=offer.term_months, repayment_methods=offer.repayment_methods,
        line_months=product.line_validity_months, default_interest_multiple=deps.settings.default_interest_multiple,
        offer_valid_until=business_date(offer.valid_until), generated_on=business_date(now),
        example=example, lender_service_phone=deps.settings.lender_service_phone, fees=product.fees,
        example_price=example.price(offer.annual_rate, product.fees))


def _words(agreement: Agreement) -> bytes:
    return json.dumps(agreement.as_record(), ensure_ascii=False, sort_keys=True).encode()


def generate(deps: ContractPorts, app: LoanApplication, now: datetime) -> Contract:
    """The PDF and its words, both write-once, each with its sha256 on the record: the words the app shows are
    checked against it as the PDF is."""
    agreement = agreement_for(_facts(deps, app, now), PRODUCTS[app.product_code].contract_template)
    pdf = deps.contracts.render(agreement)
    words = _words(agreement)
    key = unsigned_key(app.application_id)
    retain_until = now + timedelta(days=deps.settings.contract_retention_days)
    deps.documents.put_contract(key, pdf, retain_until)
    deps.documents.put_contract(words_key(app.application_id), words, retain_until)
    return Contract(s3_key=key, sha256=hashlib.sha256(pdf).hexdigest(), template_version=agreement.template_version,
                    generated_at=now, contract_no=agreement.contract_no,
                    agreement_sha256=hashlib.sha256(words).hexdigest())


def agreement_words(deps: ContractPorts, app: LoanApplication) -> Agreement | None:
    """The words of her contract as stored when it was generated, checked against their recorded sha256; None for
    a contract generated before its words were kept (its PDF is what she reads)."""
    contract = app.contract
    if contract is None:
        raise InvalidTransitionError("no contract yet: accept the offer first", {"status": app.status.value})
    if contract.agreement_sha256 is None:
        return None
    words = deps.documents.get_contract(words_key(app.application_id))
    if hashlib.sha256(words).hexdigest() != contract.agreement_sha256:
        raise InvalidTransitionError("the stored contract does not match its record",
                                     {"contract_no": contract.contract_no})
    return Agreement.from_record(json.loads(words))


def sign(documents: DocumentStore, signing: ContractSigning, retention_days: int, app: LoanApplication,
         now: datetime) -> Contract:
    """Signs exactly the bytes the customer reviewed (read back from the write-once store and checked): the
    sealing function's use case, given only what it touches (the API reaches it through its ContractSealer)."""
    contract = app.contract
    assert contract is not None
    unsigned = documents.get_contract(contract.s3_key)
    if hashlib.sha256(unsigned).hexdigest() != contract.sha256:
        raise InvalidTransitionError("the stored contract is not the one reviewed; it cannot be signed")
    id_masked = app.identity.id_number_masked if app.identity else "（未核验）"
    signed, records = signing.sign(unsigned, app.applicant_name, id_masked, now)
    version = documents.put_contract(signed_key(app.application_id), signed, now + timedelta(days=retention_days))
    logger.info("contract signed", extra={"application_id": app.application_id, "signatures": len(records)})
    metrics.add_metric(name="ContractsSigned", unit="Count", value=1)
    return replace(contract, signed_at=now, signed_s3_version=version, signed_sha256=hashlib.sha256(signed).hexdigest(),
                   pades_level="B-LTA", signatures=records)


def download_link(deps: ContractPorts, app: LoanApplication) -> str:
    """The unsigned PDF before signing; after, the signed contract on record: that version, whatever else was ever
    written under its key."""
    assert app.contract is not None
    if app.contract.signed_at is None:
        return deps.documents.presigned_contract_download(app.contract.s3_key, deps.settings.download_url_seconds)
    return deps.documents.presigned_contract_download(signed_key(app.application_id),
                                                      deps.settings.download_url_seconds,
                                                      app.contract.signed_s3_version)


def verify(deps: ContractPorts, app: LoanApplication) -> tuple[VerificationReport, bool]:
    """The stored signed contract validated again; and whether its bytes still hash to what was recorded."""
    contract = app.contract
    if contract is None or contract.signed_at is None:
        raise InvalidTransitionError("the contract is not signed yet", {"status": app.status.value})
    pdf = deps.documents.get_contract(signed_key(app.application_id), contract.signed_s3_version)
    return deps.contracts.verify(pdf), hashlib.sha256(pdf).hexdigest() == contract.signed_sha256


def renew_archive_timestamp(deps: ContractPorts, application_id: str, now: datetime) -> Contract:
    """PAdES-LTA renewal: a new archive timestamp over the stored signed contract, written as a new version of the
    same write-once object (its own retention), the record pointing at it. Run before the last archive timestamp's
    TSA certificate expires or its algorithms weaken (a back-office action today; not scheduled)."""
    app = deps.repo.get_application(application_id)
    contract = app.contract
    if contract is None or contract.signed_at is None:
        raise InvalidTransitionError("the contract is not signed", {"status": app.status.value})
    current = deps.documents.get_contract(signed_key(application_id), contract.signed_s3_version)
    if hashlib.sha256(current).hexdigest() != contract.signed_sha256:
        raise InvalidTransitionError("the stored contract is not the one recorded; it is not renewed")
    renewed, records = deps.contracts.renew_archive(current, now)
    version = deps.documents.put_contract(signed_key(application_id), renewed,
                                          now + timedelta(days=deps.settings.contract_retention_days))
    app.contract = replace(contract, signed_s3_version=version, signed_sha256=hashlib.sha256(renewed).hexdigest(),
                           signatures=records)
    app.record(ev.ARCHIVE_TIMESTAMP_RENEWED, "system:contracts",
               {"signed_sha256": app.contract.signed_sha256, "s3_version": version})
    deps.repo.save_application(app)
    return app.contract


def renew_due_archive_timestamps(deps: ContractPorts, now: datetime) -> dict[str, int]:
    """The scheduled renewal: every active line's contract whose newest timestamp is older than
    ``archive_renewal_days`` gets a new archive timestamp. One failure is logged and the others carry on (the
    next run tries it again)."""
    due_before = now - timedelta(days=deps.settings.archive_renewal_days)
    summary = {"checked": 0, "renewed": 0, "failed": 0}
    for app in deps.repo.applications_with_status(ApplicationStatus.ACTIVE, limit=0):
        contract = app.contract
        if contract is None or contract.signed_at is None:
            continue
        summary["checked"] += 1
        newest = max((r.timestamp_at for r in contract.signatures if r.timestamp_at), default=contract.signed_at)
        if newest > due_before:
            continue
        try:
            renew_archive_timestamp(deps, app.application_id, now)
            summary["renewed"] += 1
        except Exception as err:  # one contract's trouble must not stop the others
            summary["failed"] += 1
            logger.error("archive timestamp renewal failed",
                         extra={"application_id": app.application_id, "error": type(err).__name__})
    logger.info("archive timestamp renewal run", extra=summary)
    return summary
