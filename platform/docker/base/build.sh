#!/usr/bin/env bash
# Build Assay's offline base image (Debian bookworm with Python, PostgreSQL 15 and
# Redis) from Debian's packages alone, for machines that cannot pull from a registry.
#
#   platform/docker/base/build.sh [TAG]      default TAG: assay-base:bookworm
#
# Does nothing when the image already exists. Needs root, debootstrap and a running
# Docker engine. ASSAY_DEBIAN_MIRROR overrides the Debian mirror.
set -euo pipefail

TAG="${1:-assay-base:bookworm}"
SUITE="bookworm"
MIRROR="${ASSAY_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# What the runtime image needs beyond minbase: a venv-capable Python, the pod's
# services, and ps/pkill for the stages that stop a service.
PACKAGES="python3,python3-venv,ca-certificates,postgresql-15,redis-server,procps"

die() {
    echo "build.sh: error: $*" >&2
    exit 1
}

if docker image inspect "$TAG" >/dev/null 2>&1; then
    echo "==> base image $TAG already present"
    exit 0
fi

[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap needs it)"
command -v debootstrap >/dev/null || die "debootstrap is not installed: apt-get install -y debootstrap"
docker info >/dev/null 2>&1 || die "the Docker engine is not reachable (is dockerd running?)"

ROOTFS="$(mktemp -d /var/tmp/assay-base.XXXXXX)"
LOG="$ROOTFS.debootstrap.log"

cleanup() {
    # debootstrap mounts /proc and /sys inside the target; an interrupted run can
    # leave them mounted, and rm must never walk into them.
    local mnt
    for mnt in "$ROOTFS/proc" "$ROOTFS/sys"; do
        if mountpoint -q "$mnt" 2>/dev/null; then
            umount -l "$mnt" || true
        fi
    done
    rm -rf --one-file-system "$ROOTFS"
}
trap cleanup EXIT

slim_rootfs() {
    # Package caches, index files, manuals and translations only make the image
    # bigger (LANG is C.UTF-8), and later installs skip them too. Copyright stays.
    # The runtime build runs apt-get update itself when it installs anything.
    local root="$1"
    [[ -n $root && $root != / && -f $root/etc/debian_version ]] \
        || die "refusing to slim '$root': not a debootstrapped tree"
    printf '%s\n' \
        'path-exclude /usr/share/doc/*' \
        'path-include /usr/share/doc/*/copyright' \
        'path-exclude /usr/share/man/*' \
        'path-exclude /usr/share/info/*' \
        'path-exclude /usr/share/locale/*' >"$root/etc/dpkg/dpkg.cfg.d/assay-slim"
    find "$root/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete
    rm -rf "${root:?}"/usr/share/man/* "${root:?}"/usr/share/info/* \
        "${root:?}"/usr/share/locale/* "${root:?}"/var/cache/apt/archives/*.deb \
        "${root:?}"/var/lib/apt/lists/* "${root:?}"/var/log/* "${root:?}"/debootstrap
}

echo "==> debootstrap $SUITE into $ROOTFS (about a minute; log: $LOG)"
if ! debootstrap --variant=minbase --include="$PACKAGES" \
    "$SUITE" "$ROOTFS" "$MIRROR" >"$LOG" 2>&1; then
    tail -n 20 "$LOG" >&2
    die "debootstrap failed; full log in $LOG (is $MIRROR reachable?)"
fi

slim_rootfs "$ROOTFS"

echo "==> importing $TAG"
tar -C "$ROOTFS" --numeric-owner -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    --message "Assay offline base: debootstrap $SUITE minbase + $PACKAGES" \
    - "$TAG" >/dev/null || die "docker import of $TAG failed"

rm -f "$LOG"
echo "==> built $TAG ($(docker image inspect --format '{{.Size}}' "$TAG" | numfmt --to=iec))"
