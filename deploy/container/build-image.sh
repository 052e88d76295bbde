#!/usr/bin/env bash
# Builds Vigil's container image without a container daemon: an OCI image layout (and, with
# --archive, an oci-archive) whose single layer holds only
#   /usr/bin/vigil (and vigil-crypto-probe when it is beside it),
#   the shared libraries they load, at the paths `ldd` resolves them to on this machine
#     (the loader /lib64/ld-linux-x86-64.so.2, libc, the Swift runtime under
#     /opt/swift/usr/lib/swift/linux, OpenSSL, libxml2, SQLite, ...),
#   Vigil's rules (/usr/share/vigil/rules) and SCAP Security Guide data streams
#     (/usr/share/xml/scap/ssg/content),
#   the CA bundle (/etc/ssl/certs/ca-certificates.crt, for PostgreSQL over TLS),
#   an /etc/passwd and /etc/group naming root and nobody, and empty /tmp and /var/lib/vigil.
# No shell, no package manager. The image is reproducible: the same inputs and
# SOURCE_DATE_EPOCH (default: the time of the repository's last commit) give the same
# digests (fixed modes, owners and times; umoci writes entries in sorted order).
#
# usage: deploy/container/build-image.sh [--tag TAG] [--archive FILE]
#            [--guides 'GLOB ...' | --guides none] [--guide-dir DIR] VIGIL_BINARY LAYOUT_DIR
#   VIGIL_BINARY  a vigil executable (.build/release/vigil for a release image)
#   LAYOUT_DIR    the OCI layout to write (replaced when it exists)
#   --tag         the image tag (default: the binary's `vigil --version`)
#   --archive     also write the layout as an oci-archive tarball
#   --guides      which data streams of --guide-dir to include (default 'ssg-*-ds.xml',
#                 every OS's; 'none' for none: then the image falls back to Vigil's
#                 rules/linux-baseline)
#   --guide-dir   default /usr/share/xml/scap/ssg/content (Debian's ssg-* packages)
# Needs umoci and ldd; runs as root or not (then umoci --rootless).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
tag="" archive="" guides="ssg-*-ds.xml" guide_dir=/usr/share/xml/scap/ssg/content
while [ $# -gt 0 ]; do
    case "$1" in
        --tag) tag=$2; shift 2 ;;
        --archive) archive=$2; shift 2 ;;
        --guides) guides=$2; shift 2 ;;
        --guide-dir) guide_dir=$2; shift 2 ;;
        -h|--help) sed -n '2,26p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "build-image.sh: unknown option $1" >&2; exit 1 ;;
        *) break ;;
    esac
done
[ $# -eq 2 ] || { echo "usage: build-image.sh [options] VIGIL_BINARY LAYOUT_DIR (--help)" >&2; exit 1; }
binary=$(readlink -f "$1") layout=$2
[ -x "$binary" ] || { echo "build-image.sh: $1 is not an executable" >&2; exit 1; }
command -v umoci >/dev/null || { echo "build-image.sh: umoci is not installed (apt-get install umoci)" >&2; exit 1; }

version=$("$binary" --version)
tag=${tag:-$version}
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git -C "$repo" log -1 --format=%ct 2>/dev/null || echo 0)
fi
export SOURCE_DATE_EPOCH
created=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
revision=$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)
rootless=()
[ "$(id -u)" -eq 0 ] || rootless=(--rootless)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/rootfs
mkdir -p "$root"

# put SOURCE PATH-IN-IMAGE [MODE]: a copy of SOURCE (links followed) at PATH-IN-IMAGE.
put() {
    mkdir -p "$root$(dirname "$2")"
    cp -L "$1" "$root$2"
    chmod "${3:-0644}" "$root$2"
}

# The executables and every library ldd says they load, where ldd found it.
executables=("$binary")
probe=$(dirname "$binary")/vigil-crypto-probe
[ -x "$probe" ] && executables+=("$probe")
for exe in "${executables[@]}"; do
    put "$exe" "/usr/bin/$(basename "$exe")" 0755
    # Lines are "name => /path (addr)", "/path (addr)" (the loader) or "name (addr)" (vdso).
    ldd "$exe" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
done | sort -u > "$work/libraries"
while read -r lib; do
    mode=0644
    case "$lib" in */ld-linux*) mode=0755 ;; esac
    put "$lib" "$lib" "$mode"
done < "$work/libraries"

# Rules and content.
mkdir -p "$root/usr/share/vigil"
cp -RL "$repo/rules" "$root/usr/share/vigil/rules"
if [ "$guides" != none ]; then
    mkdir -p "$root/usr/share/xml/scap/ssg/content"
    found=0
    for pattern in $guides; do
        for f in "$guide_dir"/$pattern; do
            [ -f "$f" ] || continue
            put "$f" "/usr/share/xml/scap/ssg/content/$(basename "$f")"
            found=1
        done
    done
    [ "$found" = 1 ] || { echo "build-image.sh: no data stream matches '$guides' in $guide_dir" >&2; exit 1; }
fi

# CA bundle where OpenSSL (and so libpq's sslrootcert=system) looks for it.
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
    put /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
    mkdir -p "$root/usr/lib/ssl"
    ln -s /etc/ssl/certs/ca-certificates.crt "$root/usr/lib/ssl/cert.pem"
fi
mkdir -p "$root/etc"
printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
mkdir -p "$root/tmp" "$root/var/lib/vigil" "$root/root"

# Fixed modes and times; umoci records owner root (or, rootless, maps the builder to root).
find "$root" -type d -exec chmod 0755 {} +
chmod 1777 "$root/tmp"
chmod 0700 "$root/var/lib/vigil" "$root/root"
find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

rm -rf "$layout"
umoci init --layout "$layout"
umoci new --image "$layout:$tag"
# unpack (an empty root), fill, repack: the layer's entries are relative paths ("etc/...");
# `umoci insert DIR /` would add an entry named "/", which image readers refuse.
umoci unpack "${rootless[@]}" --image "$layout:$tag" "$work/bundle" >/dev/null
cp -a "$root/." "$work/bundle/rootfs/"
touch -h -d "@$SOURCE_DATE_EPOCH" "$work/bundle/rootfs"
umoci repack --image "$layout:$tag" --history.created "$created" \
    --history.created_by "deploy/container/build-image.sh" --history.comment "vigil $version" "$work/bundle"
umoci config --image "$layout:$tag" --no-history --created "$created" --author "Vigil" \
    --os linux --architecture amd64 \
    --config.entrypoint /usr/bin/vigil --config.cmd --help \
    --config.user 0:0 --config.workingdir / --config.stopsignal SIGTERM \
    --config.env PATH=/usr/bin \
    --config.label org.opencontainers.image.title=vigil \
    --config.label "org.opencontainers.image.description=Vigil SCAP compliance scanner: binary, libraries, rules and SCAP Security Guide content" \
    --config.label org.opencontainers.image.version="$version" \
    --config.label org.opencontainers.image.revision="$revision" \
    --config.label org.opencontainers.image.created="$created"
umoci gc --layout "$layout"

if [ -n "$archive" ]; then
    tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner --format=gnu \
        -C "$layout" -cf "$archive" .
fi
echo "$layout:$tag"
