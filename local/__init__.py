"""The embedded local stack (dev and test only; never packaged): moto as AWS, the project's real handlers
run in-process for Lambda invocations, chalice local for the API."""
