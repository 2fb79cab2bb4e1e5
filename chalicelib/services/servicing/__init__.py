"""Servicing: the line and what is drawn on it - drawdowns, loans, repayments and their booking, the daily
auto-debit."""
