"""Replaces each state machine's ``DefinitionUri`` (a path to infra/*.asl.json, the file the local stack and the
tests execute) with the definition itself, so the packaged template is self-contained and cfn-lint checks the
ASL too. ``DefinitionSubstitutions`` stay: CloudFormation fills in the function ARNs at deploy time."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def inline(template_path: Path) -> None:
    template = json.loads(template_path.read_text(encoding="utf-8"))
    for resource in template["Resources"].values():
        props = resource.get("Properties", {})
        if resource.get("Type") == "AWS::Serverless::StateMachine" and "DefinitionUri" in props:
            props["Definition"] = json.loads((ROOT / props.pop("DefinitionUri")).read_text(encoding="utf-8"))
    template_path.write_text(json.dumps(template, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    inline(Path(sys.argv[1]))
