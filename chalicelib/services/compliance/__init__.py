"""Compliance: what the bank's compliance officers sign off - complaints first; the customer's other rights,
credit-bureau reporting and anti-money-laundering belong here as they land."""
