"""The deploy template, offline and in seconds: what `chalice package` generates for this app, merged with
infra/resources.json and with the state machines' ASL inlined, but without building the deployment zip (which
needs Python 3.12 and PyPI). `make test` runs the static checks (cfn-lint, checkov) over it; `make package`
builds the same template with the real zip and builds the document function's image.

    python infra/template.py build/template        # writes build/template/sam.json"""

from __future__ import annotations

import json
import os
import sys
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LAMBDA_RUNTIME = "python3.12"  # what `make package` targets (chalice takes the runtime from the Python it runs on)


def build(outdir: Path) -> Path:
    from chalice.cli.factory import CLIFactory
    from chalice.deploy import packager

    outdir.mkdir(parents=True, exist_ok=True)
    placeholder = outdir / "placeholder.zip"
    with zipfile.ZipFile(placeholder, "w") as archive:
        archive.writestr("README.txt", "placeholder: `make package` builds the real deployment zip")

    def no_zip(self: Any, *args: Any, **kwargs: Any) -> str:
        return str(placeholder)

    for cls in (packager.LambdaDeploymentPackager, packager.AppOnlyDeploymentPackager,
                packager.LayerDeploymentPackager):
        cls.create_deployment_package = no_zip  # type: ignore[method-assign]
    saved = {k: os.environ.get(k) for k in ("STAGE", "AWS_DEFAULT_REGION")}
    os.environ.update({"STAGE": "prod", "AWS_DEFAULT_REGION": saved["AWS_DEFAULT_REGION"] or "us-east-1"})
    try:  # chalice imports app.py, which reads the stage from the environment
        factory = CLIFactory(str(ROOT), environ=dict(os.environ))
        config = factory.create_config_obj(chalice_stage_name="prod")
        app_packager = factory.create_app_packager(config, factory.create_package_options(), "cloudformation",
                                                   "json", merge_template=str(ROOT / "infra" / "resources.json"))
        app_packager.package_app(config, str(outdir), "prod")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    sam = outdir / "sam.json"
    template = json.loads(sam.read_text(encoding="utf-8"))
    for resource in template["Resources"].values():
        if resource.get("Type") == "AWS::Serverless::Function" and "Runtime" in resource.get("Properties", {}):
            resource["Properties"]["Runtime"] = LAMBDA_RUNTIME
    sam.write_text(json.dumps(template, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    from infra.image_functions import rewrite
    from infra.inline_definitions import inline

    inline(sam)
    rewrite(sam)  # the document function as a container image
    return sam


if __name__ == "__main__":
    sys.stdout.write(f"{build(Path(sys.argv[1] if len(sys.argv) > 1 else 'build/template'))}\n")
