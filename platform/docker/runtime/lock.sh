#!/usr/bin/env bash
# Regenerate requirements.lock from requirements.in with the Python of the offline
# base image (Debian bookworm's 3.11.2), the oldest interpreter the runtime runs on:
# some pins exist only below a patch release (async-timeout for redis < 3.11.3).
#
#   platform/docker/runtime/lock.sh [BASE_IMAGE]      default: assay-base:bookworm
#
# Needs a running Docker engine, the base image (platform/docker/base/build.sh) and
# access to PyPI from the host network.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BASE="${1:-assay-base:bookworm}"

docker image inspect "$BASE" >/dev/null 2>&1 \
    || { echo "lock.sh: error: no image $BASE (run platform/docker/base/build.sh)" >&2; exit 1; }

# Behind a TLS-inspecting proxy pip must trust what this host trusts.
CA_ARGS=()
HOST_CA="${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}"
if [[ -f $HOST_CA ]]; then
    CA_ARGS=(-v "$HOST_CA:/tmp/host-ca.pem:ro" -e PIP_CERT=/tmp/host-ca.pem)
fi

docker run --rm --network host --user "$(id -u):$(id -g)" "${CA_ARGS[@]}" \
    -e HOME=/tmp -e PIP_DISABLE_PIP_VERSION_CHECK=1 \
    -e CUSTOM_COMPILE_COMMAND="platform/docker/runtime/lock.sh" \
    -v "$HERE:/lock" -w /lock "$BASE" sh -euc '
        python3 -m venv /tmp/tools
        /tmp/tools/bin/pip install --quiet --upgrade pip pip-tools
        /tmp/tools/bin/pip-compile --quiet --strip-extras --no-emit-index-url \
            --output-file requirements.lock requirements.in
    '
echo "==> wrote $HERE/requirements.lock"
