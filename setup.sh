#!/usr/bin/env bash
# Sets everything up and scans this machine with defaults:
# installs the system libraries and SCAP content, builds Vigil, runs a scan.
set -euo pipefail
cd "$(dirname "$0")"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libxml2-dev libssl-dev libsqlite3-dev zlib1g-dev libbz2-dev libpcre2-dev pkg-config \
    openscap-scanner openscap-common ssg-debian ssg-debderived ssg-nondebian chromium >/dev/null
python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install --quiet --user jsonschema 2>/dev/null \
    || echo 'note: Python jsonschema not installed; the JSON schema test will be skipped'
swift build -c release
# Scan this machine with defaults: the SCAP Security Guide data stream for this OS when
# the packages have one, else Vigil's own rules/linux-baseline.
exec .build/release/vigil scan
