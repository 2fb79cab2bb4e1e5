#!/usr/bin/env bash
# `make fresh-check`: the README's two commands on a brand-new Debian 12 machine, to prove that nothing needs
# installing by hand. Builds (once, cached) a Debian bookworm image from Debian packages, adds only python3,
# python3-venv, make and git, puts the committed tree in it (`git archive`), and runs inside: `make test`, then
# `make run` and `make demo` against it. Only the package index's configuration and CA bundle are passed in
# from this machine (and ../shared, the data the tests read, read-only, when it is there).
#   REF=HEAD (default; `REF=$(git stash create)` checks uncommitted work)
#   EXPECT_SUMMARY="405 passed, 2 skipped"  the host's pytest summary: the counts must match (set by .ci/run)
# Needs root (it may install docker.io and debootstrap and start dockerd, and stops dockerd if it started it).
set -euo pipefail
cd "$(dirname "$0")/.."
REF=${REF:-HEAD}
IMAGE=lending/fresh-machine:bookworm
t_start=$SECONDS
declare -a STEPS=()
step() { STEPS+=("$(printf '%-34s %4d s' "$1" $((SECONDS - $2)))"); }

t=$SECONDS
engine_started=""
if ! docker info >/dev/null 2>&1; then scripts/docker-engine.sh start; engine_started=1; fi
cleanup() { [[ -n "$engine_started" ]] && scripts/docker-engine.sh stop || true; rm -rf "${work:-}"; }
trap cleanup EXIT
step "docker engine" $t

t=$SECONDS; scripts/debian-base-image.sh; step "Debian base image (debootstrap)" $t
t=$SECONDS
docker build --quiet --network host -t "$IMAGE" scripts/fresh-machine >/dev/null
step "fresh machine image (+4 packages)" $t

work=$(mktemp -d /tmp/fresh-check.XXXXXX)
rev=$(git rev-parse --short "$REF")  # fixed now: the tree checked is the one archived here, whatever HEAD becomes
git archive --format=tar "$rev" >"$work/tree.tar"
git show "$rev:scripts/fresh-machine/inside.sh" >"$work/inside.sh"
# pip inside reaches the index as this machine does: its CA bundle, and its index URL if it sets one
ca=$(python3 -c 'import ssl; print(ssl.get_default_verify_paths().cafile or "")' 2>/dev/null || true)
ca=${PIP_CERT:-${ca:-/etc/ssl/certs/ca-certificates.crt}}
{
  echo "[global]"; echo "cert = /etc/ssl/certs/ca-certificates.crt"; echo "timeout = 180"
  index=$(pip config get global.index-url 2>/dev/null || true)
  [[ "$index" == http* ]] && echo "index-url = $index"
} >"$work/pip.conf"
mounts=(-v "$work:/in:ro" -v "$ca:/etc/ssl/certs/ca-certificates.crt:ro" -v "$work/pip.conf:/etc/pip.conf:ro")
[[ -d ../shared ]] && mounts+=(-v "$(cd ../shared && pwd):/shared:ro")

t=$SECONDS
rc=0
docker run --rm --network host --name "fresh-check-$$" "${mounts[@]}" \
  -e EXPECT_SUMMARY="${EXPECT_SUMMARY:-}" -e PIP_DISABLE_PIP_VERSION_CHECK=1 \
  "$IMAGE" bash /in/inside.sh || rc=$?
step "inside the container (all steps)" $t
echo; echo "fresh-machine check ($REF = $rev), host side:"
for s in "${STEPS[@]}"; do echo "  $s"; done
echo "  total                              $((SECONDS - t_start)) s"
exit $rc
