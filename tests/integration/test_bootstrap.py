"""The container builds each port the first time a use case asks for it: a cold request pays for its own
adapters and clients, not for all twenty-four (OCR engines, Rekognition, the sealing function's client...)."""

from dataclasses import fields

from chalicelib import bootstrap
from chalicelib.services.deps import Dependencies


def test_every_dependency_has_its_factory() -> None:
    assert set(bootstrap._FACTORIES) == {f.name for f in fields(Dependencies)}


def test_reading_a_customers_list_builds_the_repository_and_its_cipher_only(live) -> None:  # type: ignore[no-untyped-def]
    bootstrap.reset()
    deps = bootstrap.deps()
    bootstrap._clients.clear()
    deps.repo.application_summaries_of("nobody")
    assert deps.built() == {"settings", "repo", "cipher"}  # type: ignore[attr-defined]
    assert {key[0] for key in bootstrap._clients} <= {"dynamodb", "kms", "secretsmanager"}
    assert bootstrap.deps().repo is deps.repo  # built once per container


def test_an_override_is_answered_before_anything_is_built(live) -> None:  # type: ignore[no-untyped-def]
    bootstrap.reset()
    sentinel = object()
    bootstrap.override(faces=sentinel)
    deps = bootstrap.deps()
    assert deps.faces is sentinel and "faces" not in deps.built()  # type: ignore[attr-defined]
    bootstrap.reset()
