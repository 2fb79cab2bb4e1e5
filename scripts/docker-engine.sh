#!/usr/bin/env bash
# A Docker engine for the fresh-machine check and the container-image builds, on a Debian machine as root.
#   scripts/docker-engine.sh start   installs docker.io when missing, starts dockerd when none answers
#   scripts/docker-engine.sh stop    stops dockerd only if `start` started it (a developer's own engine is left alone)
# No bridge network and no iptables rules: these machines allow neither; images are built and run with
# `--network host`. No image registry is used (see debian-base-image.sh).
set -euo pipefail
STATE=${DOCKER_ENGINE_STATE:-/tmp/lending-dockerd}
mkdir -p "$STATE"

need_root() { [[ $(id -u) -eq 0 ]] || { echo "docker-engine.sh: needs root (it installs and starts dockerd)" >&2; exit 2; }; }

install_missing() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  echo "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

case "${1:-start}" in
  start)
    if docker info >/dev/null 2>&1; then echo "docker engine: already running"; exit 0; fi
    need_root
    install_missing docker.io debootstrap
    dockerd --bridge=none --iptables=false --ip-masq=false >"$STATE/dockerd.log" 2>&1 &
    echo $! >"$STATE/dockerd.pid"
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && { echo "docker engine: started (pid $(cat "$STATE/dockerd.pid"))"; exit 0; }; sleep 0.5; done
    echo "docker engine did not start; its log:" >&2; tail -20 "$STATE/dockerd.log" >&2; exit 1
    ;;
  stop)
    [[ -f "$STATE/dockerd.pid" ]] || exit 0
    pid=$(cat "$STATE/dockerd.pid"); rm -f "$STATE/dockerd.pid"
    kill "$pid" 2>/dev/null || exit 0
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || { echo "docker engine: stopped"; exit 0; }; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
