#!/usr/bin/env bash
# Builds the document function's Lambda container image with no registry (see infra/document-image/Dockerfile):
#   scripts/document-image.sh [IMAGE]      default lending/document-function:latest
# Starts a Docker engine when none answers (scripts/docker-engine.sh; a developer's own engine is used as is) and
# builds the Debian base once. The wheelhouse (build/wheelhouse) is filled by this machine's pip, which reaches the
# package index with this machine's configuration; the build itself needs no index.
set -euo pipefail
cd "$(dirname "$0")/.."
IMAGE=${1:-lending/document-function:latest}
PIP=${PIP:-.venv/bin/python -m pip}
bash scripts/docker-engine.sh start
bash scripts/debian-base-image.sh
context=build/document-image
rm -rf "$context" && mkdir -p "$context/requirements" build/wheelhouse
cp requirements.txt requirements-ocr.txt requirements-ocr-engine.txt infra/document-image/requirements-image.txt \
   "$context/requirements/"
echo "wheelhouse: pip download (Linux x86_64, CPython 3.11: Debian 12's python3)"
wheels=(--only-binary=:all: --platform manylinux2014_x86_64 --platform manylinux_2_28_x86_64
        --platform manylinux_2_17_x86_64 --python-version 3.11 --implementation cp -d build/wheelhouse)
$PIP download --quiet "${wheels[@]}" -r requirements.txt -r requirements-ocr.txt \
     -r infra/document-image/requirements-image.txt 2> >(grep -v "^WARNING: Location" >&2)
$PIP download --quiet "${wheels[@]}" --no-deps -r requirements-ocr-engine.txt 2> >(grep -v "^WARNING: Location" >&2)
cp -l build/wheelhouse/*.whl "$context/" 2>/dev/null || true
mkdir -p "$context/wheelhouse" && mv "$context"/*.whl "$context/wheelhouse/"
cp infra/document-image/Dockerfile app.py "$context/"
rsync -a --exclude __pycache__ --exclude fonts chalicelib "$context/" 2>/dev/null || {
  cp -r chalicelib "$context/"; find "$context/chalicelib" -name __pycache__ -prune -exec rm -rf {} +; rm -rf "$context/chalicelib/fonts"; }
started=$(date +%s)
docker build --quiet --network host -t "$IMAGE" "$context" >/dev/null 2> >(grep -v -e DEPRECATED -e buildx -e "^ *$" >&2)
size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
echo "document function image $IMAGE: built in $(( $(date +%s) - started )) s, $(awk -v s="$size" 'BEGIN {printf "%.0f MB", s/1e6}')"
