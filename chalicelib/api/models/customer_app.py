"""The customer's app: sign-in, the product and the consent texts."""


from pydantic import Field

from .common import ConsentKind, Fen, Rate, Strict, WithMethodNames


class CustomerSessionOut(Strict):
    access_token: str = Field(description="kept in the page's memory; send it as Authorization: Bearer")
    expires_in: int = Field(description="seconds; sign in again after")


class ProductOut(WithMethodNames):
    product_code: str
    name_zh: str
    summary: str
    eligibility: list[str] = Field(description="who may apply, in Chinese")
    industries: list[str] = Field(description="the businesses that may apply (empty: any); the application's "
                                              "due_diligence.industry")
    min_line_fen: Fen
    max_line_fen: Fen
    min_drawdown_fen: Fen
    max_drawdown_fen: Fen
    min_annual_rate: Rate
    max_annual_rate: Rate
    terms_months: list[int]
    grace_months: int = Field(description="the first months of every loan repay interest only")
    harvest_months: list[int] = Field(description="a seasonal product's loans mature in one of these months "
                                                  "(empty: any)")
    line_validity_months: int
    fees: str


class ProductListOut(Strict):
    items: list[ProductOut]


class ConsentTextOut(Strict):
    kind: ConsentKind
    version: str
    title: str
    text: str


class ConsentTextListOut(Strict):
    items: list[ConsentTextOut]
