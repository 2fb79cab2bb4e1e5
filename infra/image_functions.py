"""Turns the functions that deploy as container images into `PackageType: Image` in the packaged template:
`chalice package` knows only zip functions, and the merge template can add properties but not remove them.

The document function (OCR of ID cards, selfie checks) is an image: its OCR engine and models are over Lambda's
zip limit. Its image is built by scripts/document-image.sh and pushed to the bank's ECR; the stack takes its URI
as the parameter DocumentFunctionImageUri. Every other function stays in the zip."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

IMAGE_FUNCTIONS = {
    "OnDocumentUploaded": {"parameter": "DocumentFunctionImageUri",
                           "command": "chalicelib.workflow.handlers.on_document_uploaded", "memory_mb": 2048},
}


def as_images(template: dict[str, Any]) -> dict[str, Any]:
    for logical, spec in IMAGE_FUNCTIONS.items():
        props = template["Resources"][logical]["Properties"]
        for zip_only in ("CodeUri", "Handler", "Runtime", "Layers"):
            props.pop(zip_only, None)
        props.update({"PackageType": "Image", "ImageUri": {"Ref": spec["parameter"]},
                      "ImageConfig": {"Command": [spec["command"]]}, "MemorySize": spec["memory_mb"]})
        template.setdefault("Parameters", {})[spec["parameter"]] = {
            "Type": "String", "Description": f"ECR image URI of {logical} (scripts/document-image.sh builds it)"}
    return template


def rewrite(path: Path) -> None:
    template = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(as_images(template), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    rewrite(Path(sys.argv[1]))
