"""Lambda functions that the state machines in infra/ call. One function per Task; each is a one-liner that
sets the correlation id and hands ids to a service. The function names are the ``${...FunctionArn}``
placeholders of the ASL files (CamelCase + FunctionArn), checked by a test."""
