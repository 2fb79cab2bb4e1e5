"""The back office: officers' reviews, the customer file, the audit search, reconciliation, sign-in."""
