"""Records from outside the bank (court enforcement lists, the business registry, the tax authority, the credit
bureau, the sanctions and anti-money-laundering watch lists) turned into early-warning signals.

A record arrives with the subject it is about (an ID number or a business registration number, kept with the
record as delivered in the encrypted bucket and looked up by their keyed hash) and says what it is; this module
checks its shape and names the signal, with a cause key that identifies the record itself (the same court case
delivered twice is one cause; a case withdrawn clears it). What the officer sees is the record's own figures,
never the subject's identity."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from .early_warning import Signal, SignalKind, Source
from .errors import ValidationError
from .warning_signals import BureauSnapshot, bureau_changes, tax_sales_drop


class FeedSource(StrEnum):
    JUDICIAL = "JUDICIAL"
    REGISTRY = "REGISTRY"
    TAX = "TAX"
    BUREAU = "BUREAU"
    SANCTIONS = "SANCTIONS"


JUDICIAL_KINDS = {"DISHONEST_DEBTOR": SignalKind.JUDICIAL_DISHONEST_DEBTOR,  # 失信被执行人
                  "ENFORCEMENT": SignalKind.JUDICIAL_ENFORCEMENT,  # 被执行人
                  "CONSUMPTION_RESTRICTED": SignalKind.JUDICIAL_CONSUMPTION_RESTRICTED,  # 限制高消费
                  "LAWSUIT": SignalKind.JUDICIAL_LAWSUIT}  # 新的诉讼
REGISTRY_KINDS = {"ABNORMAL_OPERATIONS": SignalKind.REGISTRY_ABNORMAL_OPERATIONS,  # 经营异常名录
                  "DEREGISTERED": SignalKind.REGISTRY_DEREGISTERED,  # 注销
                  "REVOKED": SignalKind.REGISTRY_DEREGISTERED,  # 吊销
                  "LEGAL_REP_CHANGED": SignalKind.REGISTRY_LEGAL_REP_CHANGED}  # 法定代表人变更
SANCTIONS_KINDS = ("SANCTIONS", "WATCH")  # a sanctions list (制裁名单) or an AML watch list (监控名单)
BUREAU_FIGURES = ("lenders", "inquiries_3m", "overdue_fen", "credit_limit_fen", "balance_fen")
CLEARING_STATUSES = {"REMOVED", "WITHDRAWN", "PAID", "RESTORED"}  # the source says the record no longer stands


@dataclass(frozen=True)
class ExternalRecord:
    source: FeedSource
    record_id: str  # the feed's own identifier of the record (a case number, a notice number, a report id)
    received_at: datetime
    body: dict[str, Any]
    id_number: str | None = field(default=None, repr=False)  # whom it is about: never logged, never evidence
    registration_no: str | None = field(default=None, repr=False)

    @property
    def cleared(self) -> bool:
        return str(self.body.get("status", "")).upper() in CLEARING_STATUSES


def record_id_of(source: FeedSource, body: dict[str, Any]) -> str:
    """The identifier that makes a redelivered record the same cause: the case, notice or report number."""
    field_name = {FeedSource.JUDICIAL: "case_no", FeedSource.REGISTRY: "decision_no", FeedSource.TAX: "record_no",
                  FeedSource.BUREAU: "report_no", FeedSource.SANCTIONS: "entry_no"}[source]
    value = body.get(field_name)
    if not isinstance(value, str) or not 1 <= len(value.strip()) <= 80:
        raise ValidationError(f"a {source.value} record needs its {field_name}", {"field": f"record.{field_name}"})
    return value.strip()


def check(source: FeedSource, body: dict[str, Any]) -> None:
    """The shape each source's record must have (a record that says nothing a rule can read is refused)."""
    kind = str(body.get("kind", ""))
    if source is FeedSource.JUDICIAL and kind not in JUDICIAL_KINDS:
        raise ValidationError("unknown judicial record kind",
                              {"field": "record.kind", "allowed": sorted(JUDICIAL_KINDS)})
    if source is FeedSource.REGISTRY and kind not in REGISTRY_KINDS:
        raise ValidationError("unknown registry record kind",
                              {"field": "record.kind", "allowed": sorted(REGISTRY_KINDS)})
    if source is FeedSource.SANCTIONS and kind not in SANCTIONS_KINDS:
        raise ValidationError("unknown sanctions record kind",
                              {"field": "record.kind", "allowed": list(SANCTIONS_KINDS)})
    if source is FeedSource.TAX:
        if kind == "ARREARS_NOTICE":
            _fen(body, "amount_fen")
        elif kind == "MONTHLY_SALES":
            sales = body.get("monthly_sales_fen")
            if not isinstance(sales, dict) or not sales or len(sales) > 36:
                raise ValidationError("monthly_sales_fen: 1 to 36 months of declared sales",
                                      {"field": "record.monthly_sales_fen"})
            for month, fen in sales.items():
                _month(month)
                if not isinstance(fen, int) or isinstance(fen, bool) or fen < 0:
                    raise ValidationError("declared sales are whole fen, never negative",
                                          {"field": f"record.monthly_sales_fen.{month}"})
        else:
            raise ValidationError("unknown tax record kind", {"field": "record.kind",
                                                             "allowed": ["ARREARS_NOTICE", "MONTHLY_SALES"]})
    if source is FeedSource.BUREAU:  # the summary of other lenders, the repayment history for rescoring, or both
        if not any(name in body for name in (*BUREAU_FIGURES, "report")):
            raise ValidationError("a bureau record carries its figures or a report", {"field": "record.lenders"})
        if any(name in body for name in BUREAU_FIGURES):
            for name in BUREAU_FIGURES:
                _fen(body, name)
        if "report" in body and not isinstance(body["report"], dict):
            raise ValidationError("a bureau report is an object of the model's fields", {"field": "record.report"})
    for name in ("amount_fen",):
        if name in body:
            _fen(body, name)


def signals_of(record: ExternalRecord, previous_bureau: BureauSnapshot | None = None) -> list[Signal]:
    """The signals one record gives (a bureau refresh is compared with the previous one)."""
    body, at = record.body, record.received_at
    evidence = _evidence(record)
    if record.source is FeedSource.JUDICIAL:
        kind = JUDICIAL_KINDS[body["kind"]]
        return [Signal(kind, Source.JUDICIAL, f"{kind}:{record.record_id}", at, {}, evidence, record.cleared)]
    if record.source is FeedSource.SANCTIONS:
        kind = SignalKind.SANCTIONS_LISTED
        return [Signal(kind, Source.SANCTIONS, f"{kind}:{record.record_id}", at, {}, evidence, record.cleared)]
    if record.source is FeedSource.REGISTRY:
        kind = REGISTRY_KINDS[body["kind"]]
        return [Signal(kind, Source.REGISTRY, f"{kind}:{record.record_id}", at, {}, evidence, record.cleared)]
    if record.source is FeedSource.TAX:
        if body["kind"] == "ARREARS_NOTICE":
            return [Signal(SignalKind.TAX_ARREARS, Source.TAX, f"TAX_ARREARS:{record.record_id}", at,
                           {"amount_fen": body["amount_fen"]}, evidence, record.cleared)]
        drop = tax_sales_drop({str(k): int(v) for k, v in body["monthly_sales_fen"].items()})
        if drop is None:
            return []
        # one cause per declared quarter: the same months declared again are the same fall
        return [Signal(SignalKind.TAX_SALES_DROP, Source.TAX, f"TAX_SALES_DROP:{drop['months'][-1]}", at, drop,
                       {**evidence, **drop})]
    if not all(name in body for name in BUREAU_FIGURES):
        return []  # a repayment history only: the service rescores it
    after = snapshot_of(body)
    return [Signal(kind, Source.BUREAU, f"{kind}:{record.record_id}", at, facts, {**evidence, **facts})
            for kind, facts in bureau_changes(previous_bureau, after)]


def snapshot_of(body: dict[str, Any]) -> BureauSnapshot:
    return BureauSnapshot(lenders=body["lenders"], inquiries_3m=body["inquiries_3m"], overdue_fen=body["overdue_fen"],
                          credit_limit_fen=body["credit_limit_fen"], balance_fen=body["balance_fen"])


_EVIDENCE_FIELDS = ("kind", "case_no", "court", "decision_no", "authority", "record_no", "report_no", "filed_on",
                    "listed_on", "amount_fen", "status", "reason", "entry_no", "list_name")


def _evidence(record: ExternalRecord) -> dict[str, Any]:
    """What the officer reads: the record's own facts, by an allow-list (a feed may carry names or numbers)."""
    return {"source": record.source.value, "record_id": record.record_id,
            **{k: record.body[k] for k in _EVIDENCE_FIELDS if k in record.body and k != "kind"},
            **({"record_kind": record.body["kind"]} if "kind" in record.body else {})}


def _fen(body: dict[str, Any], name: str) -> None:
    value = body.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10**13:
        raise ValidationError(f"{name} must be a whole number, never negative", {"field": f"record.{name}"})


def _month(value: Any) -> None:
    try:
        date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        raise ValidationError("months are written YYYY-MM", {"field": "record.monthly_sales_fen"}) from None
