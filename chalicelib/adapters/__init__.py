"""Adapters: the only modules that import boto3 (or any other technology). Each takes its client in the
constructor so tests can hand it a moto-backed or stubbed one."""
