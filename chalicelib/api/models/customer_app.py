"""The customer's app: sign-in, the product and the consent texts."""


from pydantic import Field

from .common import ConsentKind, Fen, Rate, Strict, WithMethodNames


class CustomerSessionOut(Strict):
    access_token: str = Field(description="kept in the page's memory; send it as Authorization: Bearer")
    expires_in: int = Field(description="seconds; sign in again after")


class ProductOut(WithMethodNames):
    product_code: str
    name: str
    summary: str
    eligibility: list[str] = Field(description="who may apply, in Chinese")
    min_line_fen: Fen
    max_line_fen: Fen
    min_annual_rate: Rate
    max_annual_rate: Rate
    term_months: list[int]
    line_validity_months: int
    fees: str


class ConsentTextOut(Strict):
    kind: ConsentKind
    version: str
    title: str
    text: str


class ConsentTextListOut(Strict):
    items: list[ConsentTextOut]
