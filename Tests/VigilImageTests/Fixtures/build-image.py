#!/usr/bin/env python3
"""Writes a test image as an OCI image layout, with Python's standard library only (and
the `zstd` program for zstd layers). Used by the image tests; see imagefixture/ for the
spec format (layout.py, tarwriter.py) and the named images (presets.py).

    build-image.py --preset debian OUT [--tag t] [--marker /tmp/x/marker] [--compression gzip]
    build-image.py --spec spec.json OUT [--tag t]
    build-image.py --preset debian OUT --compression none --docker-save image.tar:app:1
    build-image.py --list
"""
import argparse, json, os, sys

sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from imagefixture.layout import write_layout  # noqa: E402
from imagefixture.dockersave import docker_save  # noqa: E402
from imagefixture.presets import NAMES, preset  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out", nargs="?", help="the layout directory to write")
    p.add_argument("--preset", help="a named image (--list)")
    p.add_argument("--spec", help="a JSON spec file ('-': standard input)")
    p.add_argument("--tag", default="t", help="the ref.name of the image (default t)")
    p.add_argument("--marker", default="/tmp/vigil-hostile-marker", help="the host path hostile entries aim at")
    p.add_argument("--compression", choices=["none", "gzip", "zstd"],
                   help="every layer compressed so (umoci 0.4.7 reads no zstd: its reference copy is all gzip)")
    p.add_argument("--docker-save", metavar="FILE:NAME",
                   help="also pack the layout as Docker 25's `docker save` writes it, named NAME (app:1)")
    p.add_argument("--list", action="store_true", help="list the presets")
    a = p.parse_args()
    if a.list:
        print("\n".join(NAMES))
        return 0
    if not a.out or bool(a.preset) == bool(a.spec):
        p.error("give OUT and one of --preset or --spec")
    if a.preset:
        spec = preset(a.preset, a.marker)
    else:
        spec = json.load(sys.stdin if a.spec == "-" else open(a.spec))
    spec["tag"] = a.tag
    for layer in (l for platform in spec["platforms"] for l in platform["layers"]) if a.compression else ():
        layer["compression"] = a.compression
    write_layout(spec, a.out)
    if a.docker_save:
        path, _, name = a.docker_save.partition(":")
        docker_save(a.out, path, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
