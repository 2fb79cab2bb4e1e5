#!/usr/bin/env bash
# Builds what deploys to AWS: `chalice package` (SAM template + one deployment zip for every function of the
# app) merged with infra/resources.json, the state machines' ASL inlined, then cfn-lint over the result.
# Lambda runs python3.12 (numpy-era wheels need glibc 2.28), and chalice picks the runtime from the Python that
# runs it: so packaging uses its own 3.12 virtual environment. Needs PyPI (chalice fetches Linux wheels).
set -euo pipefail
cd "$(dirname "$0")/.."
find_python312() {
  if python3.12 --version >/dev/null 2>&1; then command -v python3.12; return; fi
  # pyenv installs versions side by side; its shim answers only for the selected one
  ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3.12 2>/dev/null | tail -1
}
PY312="${PY312:-$(find_python312)}"
if [ -z "$PY312" ]; then echo "python3.12 is needed to package for the Lambda python3.12 runtime" >&2; exit 2; fi
VENV=.venv-package
if [ ! -x "$VENV/bin/chalice" ] || [ requirements.txt -nt "$VENV/.installed" ]; then
  "$PY312" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --upgrade "pip<26.3"
  "$VENV/bin/python" -m pip install --quiet -r requirements.txt "chalice==1.34.0"
  touch "$VENV/.installed"
fi
rm -rf build/sam
# The contract font goes into the package (Lambda has no fonts): from Debian's fonts-wqy-microhei (make installs
# it), into chalicelib/fonts/ (git-ignored), where the renderer looks first.
bash scripts/system-packages.sh
mkdir -p chalicelib/fonts
cp /usr/share/fonts/truetype/wqy/wqy-microhei.ttc chalicelib/fonts/
# chalice needs a region to resolve the partition; the template itself uses pseudo parameters
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
STAGE=prod "$VENV/bin/chalice" package --stage prod --merge-template infra/resources.json build/sam
"$VENV/bin/python" infra/precompile.py build/sam/deployment.zip  # bytecode for python3.12: no compile at cold start
"$VENV/bin/python" infra/inline_definitions.py build/sam/sam.json
"$VENV/bin/python" infra/image_functions.py build/sam/sam.json  # the document function: PackageType Image
.venv/bin/cfn-lint build/sam/sam.json && echo "cfn-lint: no findings"
.venv-checkov/bin/checkov -f build/sam/sam.json --framework cloudformation --quiet --compact --skip-download
# the document function's image (Debian base from debootstrap, wheels from a wheelhouse: no registry needed)
bash scripts/document-image.sh "${DOCUMENT_IMAGE:-lending/document-function:latest}"
unzip -l build/sam/deployment.zip | tail -1 | awk '{printf "deployment.zip (every other function): %.1f MB unzipped, ", $1/1048576}'
du -h build/sam/deployment.zip | awk '{print $1 " zipped"}'
echo "template: build/sam/sam.json (deploy: see docs/operators/deploy.md)"
