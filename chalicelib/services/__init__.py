"""Use cases: one function per API command or workflow step. They take their ports from ``Dependencies`` and
know nothing of HTTP, Lambda events or AWS."""
