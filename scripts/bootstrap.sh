#!/usr/bin/env bash
# Set up a Debian bookworm machine to run Assay, as root: system packages, the Docker
# engine, the project's virtualenv and the runtime image. Safe to run again: each
# step does nothing when its work is already done, so a second run takes seconds.
#
#   scripts/bootstrap.sh        everything (make bootstrap; make demo and make test run it)
#   scripts/bootstrap.sh venv   only what the fast tests need: Python and the virtualenv
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DOCKERD_LOG="${ASSAY_DOCKERD_LOG:-/var/log/assay-dockerd.log}"
DOCKERD_WAIT_S=30
VENV_PACKAGES=(make python3 python3-venv python3-pip ca-certificates)
# chromium (and a font for it): the dashboard's browser tests drive it through Playwright
APT_PACKAGES=(
    "${VENV_PACKAGES[@]}" docker.io docker-compose debootstrap postgresql redis-server
    chromium fonts-dejavu-core
)
VENV="$ROOT/.venv"
WHEELHOUSE="${ASSAY_WHEELHOUSE:-${ASSAY_CACHE_DIR:-$HOME/.cache/assay}/wheelhouse}"
STAMP="$VENV/.assay-inputs.sha256"
# The platform, and the sandbox's own tools for the local backend (tests exercise both).
VENV_INPUTS=("$ROOT/platform/pyproject.toml" "$ROOT/platform/docker/runtime/requirements.lock")

step() { echo "==> $*"; }
die() {
    echo "bootstrap: error: $*" >&2
    exit 1
}

installed() {
    [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]
}

install_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        installed "$pkg" || missing+=("$pkg")
    done
    if ((${#missing[@]} == 0)); then
        step "system packages present"
        return
    fi
    step "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || die "apt-get update failed"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" \
        || die "apt-get install ${missing[*]} failed"
}

start_docker() {
    if docker info >/dev/null 2>&1; then
        step "Docker engine running"
        return
    fi
    step "starting the Docker engine (log: $DOCKERD_LOG)"
    mkdir -p "$(dirname "$DOCKERD_LOG")"
    # No bridge: sandboxes use only network "none" and a shared netns, builds "host".
    setsid nohup dockerd --bridge=none </dev/null >>"$DOCKERD_LOG" 2>&1 &
    local pid=$! waited
    for ((waited = 0; waited < DOCKERD_WAIT_S; waited++)); do
        if docker info >/dev/null 2>&1; then
            return
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    tail -n 15 "$DOCKERD_LOG" >&2 || true
    if kill -0 "$pid" 2>/dev/null; then
        die "the Docker engine did not answer within ${DOCKERD_WAIT_S} s; see $DOCKERD_LOG"
    fi
    die "dockerd exited at start; see $DOCKERD_LOG"
}

make_venv() {
    if [[ ! -x $VENV/bin/python ]]; then
        step "creating $VENV"
        python3 -m venv "$VENV" || die "python3 -m venv failed (is python3-venv installed?)"
    fi
    local want
    want="$(cat "${VENV_INPUTS[@]}" | sha256sum | cut -d' ' -f1)"
    if [[ -f $STAMP && $(<"$STAMP") == "$want" ]]; then
        step "virtualenv up to date"
        return
    fi
    step "installing platform[dev] and the sandbox tools into $VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT/platform[dev]" \
        -r "$ROOT/platform/docker/runtime/requirements.lock" \
        || die "pip install -e platform[dev] -r requirements.lock failed"
    echo "$want" >"$STAMP"
}

build_wheelhouse() {
    # Wheels for the runtime's Python (3.11, x86_64 Linux), whatever Python runs this.
    local list="$ROOT/platform/docker/runtime/wheelhouse.txt" want
    want="$(sha256sum "$list" | cut -d' ' -f1)"
    if [[ -f $WHEELHOUSE/.inputs.sha256 && $(<"$WHEELHOUSE/.inputs.sha256") == "$want" ]]; then
        step "wheelhouse up to date ($WHEELHOUSE)"
        return
    fi
    step "downloading the wheelhouse into $WHEELHOUSE"
    mkdir -p "$WHEELHOUSE"
    "$VENV/bin/python" -m pip download --quiet --only-binary=:all: --python-version 3.11 \
        --implementation cp --abi cp311 --platform manylinux2014_x86_64 \
        --platform manylinux_2_17_x86_64 --platform manylinux_2_28_x86_64 \
        -d "$WHEELHOUSE" -r "$list" || die "pip download of the wheelhouse failed"
    echo "$want" >"$WHEELHOUSE/.inputs.sha256"
}

build_images() {
    step "runtime image"
    (cd "$ROOT" && "$VENV/bin/assay" images build) || die "assay images build failed"
}

MODE="${1:-all}"
[[ $MODE == all || $MODE == venv ]] || die "unknown mode '$MODE' (all or venv)"
[[ $(id -u) -eq 0 ]] || die "run as root: it installs packages and starts the Docker engine"
command -v apt-get >/dev/null || die "this script sets up Debian machines (no apt-get here)"

if [[ $MODE == venv ]]; then
    install_packages "${VENV_PACKAGES[@]}"
    make_venv
    step "ready (virtualenv only)"
    exit 0
fi
install_packages "${APT_PACKAGES[@]}"
start_docker
make_venv
build_wheelhouse
build_images
step "ready"
