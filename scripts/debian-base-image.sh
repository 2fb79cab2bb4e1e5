#!/usr/bin/env bash
# A Debian 12 (bookworm) base image built from Debian packages alone: no image registry is reachable here, so
# `FROM debian:bookworm` cannot be pulled. debootstrap writes a minimal root file system (~200 MB, ~30 s) and
# `docker import` turns it into an image. Kept in the engine's image store: built once per machine.
#   scripts/debian-base-image.sh [IMAGE]     default lending/debian-minbase:bookworm
set -euo pipefail
IMAGE=${1:-lending/debian-minbase:bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
if docker image inspect "$IMAGE" >/dev/null 2>&1; then echo "base image $IMAGE: cached"; exit 0; fi
rootfs=$(mktemp -d /tmp/bookworm-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "base image $IMAGE: debootstrap --variant=minbase bookworm from $MIRROR"
debootstrap --variant=minbase bookworm "$rootfs" "$MIRROR" >/tmp/debootstrap.log 2>&1 || {
  echo "debootstrap failed; its log:" >&2; tail -20 /tmp/debootstrap.log >&2; exit 1; }
rm -rf "$rootfs"/var/cache/apt/archives/*.deb
tar -C "$rootfs" -c . | docker import - "$IMAGE" >/dev/null
echo "base image $IMAGE: imported ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1e6}'))"
