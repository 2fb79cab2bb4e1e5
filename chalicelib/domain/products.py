"""The product catalogue: what the bank sells and within which bounds, read from catalogue.json beside this module.

A product is data: its limits, terms and repayment methods (each a schedule strategy, domain/schedules.py), its
grace and harvest months, its price by risk grade, its fees, who may apply, the words the customer reads and the
contract template its agreements are worded from. Nothing outside the catalogue names a product: the services
look a product up by the code an application or a line carries. A new product is one more entry in the file (and
a strategy if its schedule has a new shape); ``Catalogue.from_records`` checks every entry as it is loaded, so a
mistyped entry fails at import, never on a customer's request."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import NotFoundError, ValidationError
from .money import Money
from .pricing import Fee, FeeBasis
from .repayment_method import RepaymentMethod
from .schedules import add_months

PRODUCT_NOT_FOR_APPLICANT = "PRODUCT_NOT_FOR_APPLICANT"  # her business is not one the product lends to
INDUSTRIES = ("RETAIL", "CATERING", "MANUFACTURING", "SERVICES", "TRANSPORT", "AGRICULTURE", "OTHER")


@dataclass(frozen=True)
class GradePrice:
    annual_rate: Decimal
    revenue_share: Decimal  # of verified annual revenue: the line's capacity at this grade


@dataclass(frozen=True)
class Eligibility:
    min_age: int = 18
    max_age: int = 65
    min_business_years: int = 1
    industries: tuple[str, ...] = ()  # empty: any business; otherwise only these (the due diligence's industry)

    def admits(self, industry: str) -> bool:
        return not self.industries or industry in self.industries

    def age_bounds(self, bank_min: int, bank_max: int) -> tuple[int, int]:
        """The product's ages, never wider than the bank's settings."""
        return max(bank_min, self.min_age), min(bank_max, self.max_age)


@dataclass(frozen=True)
class Product:
    code: str
    name_zh: str
    min_line: Money
    max_line: Money
    min_drawdown: Money
    max_drawdown: Money
    term_months: tuple[int, ...]
    repayment_methods: tuple[RepaymentMethod, ...]
    line_validity_months: int
    min_rate: Decimal
    max_rate: Decimal
    # priced and disclosed in every APR and 综合融资成本 (domain/pricing.py); none in today's products
    fees: tuple[Fee, ...] = ()
    summary_zh: str = ""
    pricing_by_grade: tuple[tuple[str, GradePrice], ...] = ()
    eligibility: Eligibility = field(default_factory=Eligibility)
    eligibility_zh: tuple[str, ...] = ()
    grace_months: int = 0  # interest only for the first months of every loan
    harvest_months: tuple[int, ...] = ()  # a seasonal product's loans mature in one of these months
    contract_template: str = ""
    pre_approval: bool = False  # the product the bank's pre-approved lines are offered in

    def __post_init__(self) -> None:
        if not (Money.zero() < self.min_line <= self.max_line and Money.zero() < self.min_drawdown <= self.max_drawdown
                and self.term_months and self.repayment_methods and self.min_rate <= self.max_rate):
            raise ValueError(f"product {self.code}: bounds must be positive and ordered")
        if not 0 <= self.grace_months < min(self.term_months):
            raise ValueError(f"product {self.code}: the grace period must be shorter than every term")
        if any(not 1 <= m <= 12 for m in self.harvest_months):
            raise ValueError(f"product {self.code}: harvest months are 1 to 12")

    @property
    def seasonal(self) -> bool:
        return bool(self.harvest_months)

    def rate_for(self, grade: str) -> Decimal | None:
        price = dict(self.pricing_by_grade).get(grade)
        return None if price is None else price.annual_rate

    def revenue_share_for(self, grade: str) -> Decimal | None:
        price = dict(self.pricing_by_grade).get(grade)
        return None if price is None else price.revenue_share

    def terms_from(self, start: date) -> tuple[int, ...]:
        """The terms a loan starting on ``start`` may have: every term, or for a seasonal product those that end
        in a harvest month (the principal is repaid from the harvest)."""
        if not self.seasonal:
            return self.term_months
        return tuple(t for t in self.term_months if add_months(start, t).month in self.harvest_months)


class Catalogue(Mapping[str, Product]):
    """The products by code, in the catalogue's order."""

    def __init__(self, products: list[Product]) -> None:
        self._products = {p.code: p for p in products}
        if len(self._products) != len(products):
            raise ValueError("two products share a code")
        if sum(p.pre_approval for p in products) > 1:
            raise ValueError("one product at most carries the pre-approved lines")

    def __getitem__(self, code: str) -> Product:
        return self._products[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._products)

    def __len__(self) -> int:
        return len(self._products)

    def product(self, code: str) -> Product:
        """The product a request names: a clear 404 for a code the bank does not sell."""
        found = self._products.get(code)
        if found is None:
            raise NotFoundError("no such product", {"product_code": code})
        return found

    def for_application(self, code: str) -> Product:
        """The product an application names: unknown codes are the request's fault (422)."""
        found = self._products.get(code)
        if found is None:
            known = ", ".join(self._products)
            raise ValidationError("unknown product", {"fields": [
                {"field": "product_code", "problem": f"one of {known}", "type": "UNKNOWN_PRODUCT"}]})
        return found

    @property
    def pre_approved(self) -> Product | None:
        return next((p for p in self._products.values() if p.pre_approval), None)

    @classmethod
    def from_records(cls, records: list[dict[str, Any]]) -> Catalogue:
        return cls([product_from_record(r) for r in records])


def product_from_record(r: dict[str, Any]) -> Product:
    """One catalogue entry, checked: unknown repayment methods, fee bases or industries fail here."""
    eligibility = r.get("eligibility", {})
    unknown = set(eligibility.get("industries", ())) - set(INDUSTRIES)
    if unknown:
        raise ValueError(f"product {r['code']}: unknown industries {sorted(unknown)}")
    grid = tuple((grade, GradePrice(Decimal(p["annual_rate"]), Decimal(p["revenue_share"])))
                 for grade, p in r["pricing_by_grade"].items())
    elig = Eligibility(int(eligibility.get("min_age", 18)), int(eligibility.get("max_age", 65)),
                       int(eligibility.get("min_business_years", 1)), tuple(eligibility.get("industries", ())))
    words = tuple(line.format(min_business_years=elig.min_business_years) for line in r.get("eligibility_zh", ()))
    return Product(
        code=r["code"], name_zh=r["name_zh"], summary_zh=r.get("summary_zh", ""),
        min_line=Money(int(r["line_fen"]["min"])), max_line=Money(int(r["line_fen"]["max"])),
        min_drawdown=Money(int(r["drawdown_fen"]["min"])), max_drawdown=Money(int(r["drawdown_fen"]["max"])),
        term_months=tuple(int(t) for t in r["terms_months"]),
        repayment_methods=tuple(RepaymentMethod(m) for m in r["repayment_methods"]),
        line_validity_months=int(r["line_validity_months"]),
        min_rate=Decimal(r["rate_bounds"]["min"]), max_rate=Decimal(r["rate_bounds"]["max"]),
        fees=tuple(Fee(f["code"], f["name_zh"], FeeBasis(f["basis"]), Decimal(f["rate"])) for f in r.get("fees", ())),
        pricing_by_grade=grid, eligibility=elig, eligibility_zh=words,
        grace_months=int(r.get("grace_months", 0)), harvest_months=tuple(int(m) for m in r.get("harvest_months", ())),
        contract_template=r["contract_template"], pre_approval=bool(r.get("pre_approval", False)))


CATALOGUE_FILE = Path(__file__).with_name("catalogue.json")
PRODUCTS = Catalogue.from_records(json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))["products"])


def clamp_line(amount: Money, product: Product) -> Money:
    """Whole hundreds of yuan, within the product's bounds."""
    hundreds = amount.fen - amount.fen % 10_000
    return Money(max(product.min_line.fen, min(product.max_line.fen, hundreds)))
