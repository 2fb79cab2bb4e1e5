"""The lending domain: pure Python, no boto3, no chalice. Everything here is testable with in-memory fakes."""
