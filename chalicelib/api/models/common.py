"""What every area's models share: the strict base, amounts, ids, checked identifiers, the error body, paging."""

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictInt, computed_field
from pydantic_core import PydanticCustomError

from ...domain.identity import id_number_problems, uscc_problems
from ...domain.repayment_method import RepaymentMethod
from ...domain.text import visible_text

Fen = Annotated[StrictInt, Field(ge=0, le=10_000_000_000, description="integer amount in fen (1 yuan = 100 fen)")]


PositiveFen = Annotated[StrictInt, Field(gt=0, le=10_000_000_000, description="integer amount in fen")]


Rate = Annotated[str, Field(pattern=r"^0\.[0-9]{4}$", description="annual rate as a decimal string, e.g. 0.0720")]


DocumentType = Literal["ID_CARD_FRONT", "ID_CARD_BACK", "SELFIE", "BUSINESS_LICENCE", "BANK_STATEMENT"]


RepaymentMethodName = Literal["EQUAL_INSTALMENT", "EQUAL_PRINCIPAL", "INTEREST_FIRST", "INTEREST_QUARTERLY"]


ConsentKind = Literal["PERSONAL_INFORMATION", "CREDIT_BUREAU", "BIOMETRIC"]


BusinessDate = date  # (a field may be named "date")


# Free text a person typed that ends up in documents and screens (the contract PDF, the officer's console):
# no control, bidirectional-override, zero-width or other invisible format characters (domain/text.py).
PlainText = Annotated[str, AfterValidator(visible_text)]


def _credit_code_checked(code: str) -> str:
    """A 统一社会信用代码 someone typed: its shape is the pattern's, its last character must be its check character
    (GB 32100-2015) - one mistyped character would send the tax query to another business, or to none."""
    for problem in uscc_problems(code):
        raise PydanticCustomError(problem, "the unified social credit code's check character does not match: "
                                           "it was mistyped")
    return code


def _id_number_checked(number: str) -> str:
    """A 居民身份证号码 someone typed: check digit (GB 11643-1999), province and birth date must hold."""
    problems, _ = id_number_problems(number)
    for problem in problems:
        raise PydanticCustomError(problem, "the ID number is not a valid one (check digit, province or birth date): "
                                           "it was mistyped")
    return number


CreditCode = Annotated[str, Field(pattern=r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$",
                                  description="统一社会信用代码 (18 characters, the last its check character)"),
                       AfterValidator(_credit_code_checked)]


IdNumber = Annotated[str, Field(pattern=r"^[0-9]{17}[0-9Xx]$",
                                description="居民身份证号码 (18 characters, the last its check digit)"),
                     AfterValidator(_id_number_checked)]


class Strict(BaseModel):
    # built on first use, not at import: a cold start builds only the models its request needs (~100 ms saved)
    model_config = ConfigDict(extra="forbid", defer_build=True)


class OpenApiDocumentOut(BaseModel):
    """An OpenAPI 3.1 document."""

    model_config = ConfigDict(extra="allow", defer_build=True)
    openapi: str


class ErrorBody(Strict):
    code: str = Field(description="what the app branches on")
    message: str = Field(description="for developers and logs (English)")
    message_zh: str = Field(description="a sentence the app may show the customer as it is")
    details: dict[str, Any]


class ErrorResponse(Strict):
    error: ErrorBody


class ReasonOut(Strict):
    code: str
    zh: str
    en: str


class IdentityOut(Strict):
    verdict: Literal["PASS", "FAIL", "RETRY", "REVIEW"]
    verdict_zh: str = Field("", description="the verdict in words")
    reason_codes: list[str]
    reasons_zh: list[str] = Field(default_factory=list, description="the reasons in words")
    name_masked: str
    id_number_masked: str
    sex: str
    birth_date: str
    valid_until: str = Field(description="ISO date, or 长期 for a long-term card")


class PageQuery(Strict):
    limit: int = Field(default=20, ge=1, le=50, description="items per page")
    cursor: str | None = Field(default=None, max_length=300, pattern=r"^[A-Za-z0-9_-]+$",
                               description="the `next_cursor` of the page before; absent for the first page")


class InstalmentOut(Strict):
    number: int
    due_date: date
    principal_fen: Fen
    interest_fen: Fen
    total_fen: Fen


class ConsoleSessionIn(Strict):
    username: str = Field(min_length=1, max_length=128, pattern=r"^[\w.@+-]+$")
    password: str = Field(min_length=1, max_length=256)


ApplicationId = Annotated[str, Field(pattern=r"^app_[0-9a-f]{8,64}$")]


CreditLineId = Annotated[str, Field(pattern=r"^line_[0-9a-f]{8,64}$")]


TotalFen = Annotated[StrictInt, Field(ge=0, description="integer amount in fen, a portfolio total (no cap)")]


class WithMethodName(Strict):
    """A response that names a repayment method also says it in Chinese, as the screens show it (the words come
    from the domain, so the app, the console and the contract cannot disagree)."""

    repayment_method: RepaymentMethodName

    @computed_field  # type: ignore[prop-decorator]
    @property
    def repayment_method_zh(self) -> str:
        return RepaymentMethod(self.repayment_method).name_zh


class WithMethodNames(Strict):
    """The same for a list of the methods offered."""

    repayment_methods: list[RepaymentMethodName]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def repayment_methods_zh(self) -> list[str]:
        return [RepaymentMethod(m).name_zh for m in self.repayment_methods]


class PriceOut(Strict):
    """The price as the PBoC's 2021 notice and the internet-lending rules require it shown: 年化利率 (the IRR of what
    the customer receives and pays, every fee included, annualised) and 综合融资成本 (interest and fees, in fen, over
    the term); the simple figure beside them, as the notice contrasts it."""

    annual_rate: str = Field(description="the contract's annual rate on the outstanding principal")
    apr: str = Field(description="年化利率 / 综合融资成本 as a rate: annualised IRR with every fee")
    interest_fen: int
    fees_fen: int
    total_cost_fen: int = Field(description="综合融资成本 in fen over the term: interest and fees")
    simple_annual_rate: str = Field(description="total cost / principal / years (not the price: shown beside it)")
