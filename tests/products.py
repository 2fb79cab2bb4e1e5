"""The catalogue's products by name, for tests (the product code literals live in the catalogue and here only)."""

from chalicelib.domain.products import PRODUCTS

INCLUSIVE_BUSINESS_LOAN = PRODUCTS["INCLUSIVE_BUSINESS_LOAN"]
SEASONAL_FARM_LOAN = PRODUCTS["SEASONAL_FARM_LOAN"]
