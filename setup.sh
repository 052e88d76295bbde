#!/usr/bin/env bash
# Sets everything up and scans this machine with defaults:
# installs the system libraries and SCAP content, builds Vigil, runs a scan.
set -euo pipefail
cd "$(dirname "$0")"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libxml2-dev libssl-dev libsqlite3-dev zlib1g-dev libbz2-dev libpcre2-dev libzstd-dev libpq-dev pkg-config \
    openscap-scanner openscap-common ssg-debian ssg-debderived ssg-nondebian chromium poppler-utils jq \
    openssl openssh-client ca-certificates gcc binutils >/dev/null
python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install --quiet --user jsonschema 2>/dev/null \
    || echo 'note: Python jsonschema not installed; the JSON schema test will be skipped'
swift build -c release

# Put vigil on the PATH, with its shell completions and man page (generated from the
# argument parser): under /usr/local as root, else under ~/.local.
if [ "$(id -u)" -eq 0 ]; then PREFIX=/usr/local; BIN=$PREFIX/bin; DATA=$PREFIX/share
else BIN=$HOME/.local/bin; DATA=${XDG_DATA_HOME:-$HOME/.local/share}; fi
VIGIL="$PWD/.build/release/vigil"
# vigil finds its helper vigil-crypto-probe beside the file /proc/self/exe names, so the
# link below keeps both in .build/release; a copy must take both.
[ -x "$PWD/.build/release/vigil-crypto-probe" ] || echo 'note: vigil-crypto-probe was not built; openssl_runtime rules will be errors'
mkdir -p "$BIN" "$DATA/bash-completion/completions" "$DATA/zsh/site-functions" \
    "$DATA/fish/vendor_completions.d" "$DATA/man/man1"
ln -sf "$VIGIL" "$BIN/vigil"
"$VIGIL" --generate-completion-script bash > "$DATA/bash-completion/completions/vigil"
"$VIGIL" --generate-completion-script zsh > "$DATA/zsh/site-functions/_vigil"
"$VIGIL" --generate-completion-script fish > "$DATA/fish/vendor_completions.d/vigil.fish"
if swift package plugin generate-manual --configuration release >/dev/null 2>&1 \
    && [ -f .build/plugins/GenerateManual/outputs/vigil/vigil.1 ]; then
    cp .build/plugins/GenerateManual/outputs/vigil/vigil.1 "$DATA/man/man1/vigil.1"
else
    echo 'note: the man page could not be generated (swift package plugin generate-manual)'
fi
echo "vigil: installed $BIN/vigil, completions for bash, zsh and fish, and man page under $DATA"
# Scan this machine with defaults: the SCAP Security Guide data stream for this OS when
# the packages have one, else Vigil's own rules/linux-baseline.
exec "$VIGIL" scan
