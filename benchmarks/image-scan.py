#!/usr/bin/env python3
"""`vigil scan --image` on a ~1 GB image, side by side with unpacking it, in one run.

Usage: benchmarks/image-scan.py [--rounds N] [--vigil PATH] [--keep DIR] [--no-umoci] [--files N]

The image is built without network or daemon from this machine's own Debian-installed
files, copied with `tar` (owners by number, extended attributes): three gzip layers,
  1  /etc, /var/lib/dpkg, /usr/bin, /usr/sbin                      (~300 MB)
  2  /usr/lib/x86_64-linux-gnu                                      (~700 MB)
  3  /usr/share/man, /usr/share/zoneinfo, /usr/lib/python3.11       (~150 MB)
written as an OCI layout by the test image builder (Tests/VigilImageTests/Fixtures).
Then, each timed on a warm page cache (the blobs are read once before each run), the
median of N rounds of:
  a  `tar -xzf` of every layer, in order, into an empty directory (the floor)
  b  `umoci unpack` of the image (the conformant way to get a root for --root; as root
     only), then `vigil scan rules/linux-baseline --root` of its root file system
  c  `vigil scan rules/linux-baseline --image oci:LAYOUT:bench`
and prints wall times, the ratio c / a (goal: at most 1.5) and vigil's peak memory in
(c) (goal: under 300 MB whatever the image size). Uses the release build
(`swift build -c release --product vigil`, run when .build/release/vigil is missing).
Run it by hand on an otherwise idle machine; it is not part of the tests.

With --files N the image is instead one gzip layer of N small generated files (1,000 to a
directory) over a minimal Debian root: memory grows with the number of entries, not
with their bytes, and this shows how.
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.dont_write_bytecode = True  # nothing written into the source tree
sys.path.insert(0, os.path.join(REPO, "Tests", "VigilImageTests", "Fixtures"))
from imagefixture.layout import INDEX, REF_NAME, Layout  # noqa: E402
from imagefixture.tarwriter import tar_chunks as entry_tar_chunks  # noqa: E402

LAYERS = [["etc", "var/lib/dpkg", "usr/bin", "usr/sbin"],
          ["usr/lib/x86_64-linux-gnu"],
          ["usr/share/man", "usr/share/zoneinfo", "usr/lib/python3.11"]]
TAG = "bench"


def measure(cmd, cwd=None):
    """Runs cmd under /usr/bin/time; (wall s, cpu s, peak MB, exit code)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        p = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", "-o", tf.name] + cmd, cwd=cwd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall, user, sys_, rss = tf.read().split()[-4:]
        if p.returncode not in (0, 2):
            print(f"  {' '.join(cmd[:3])}... exited {p.returncode}: {p.stderr.strip()[-500:]}")
        return float(wall), float(user) + float(sys_), int(rss) / 1024.0, p.returncode


def tar_chunks(paths):
    """This machine's files under `paths` as one tar stream (GNU tar, owners by number, xattrs)."""
    p = subprocess.Popen(["tar", "-C", "/", "--numeric-owner", "--xattrs", "--xattrs-include=*", "-cf", "-"]
                         + [d for d in paths if os.path.exists("/" + d)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    for chunk in iter(lambda: p.stdout.read(1 << 20), b""):
        yield chunk
    if p.wait() not in (0, 1):  # 1: a file changed while it was read
        raise SystemExit("tar failed")


def generated_entries(files):
    """A minimal Debian root and `files` small files, 1,000 to a directory."""
    yield {"path": "etc/", "type": "dir"}
    yield {"path": "etc/os-release", "type": "file", "content": 'ID=debian\nVERSION_ID="12"\n'}
    yield {"path": "srv/", "type": "dir"}
    for i in range(files):
        if i % 1000 == 0:
            yield {"path": f"srv/d{i // 1000:05d}/", "type": "dir"}
        yield {"path": f"srv/d{i // 1000:05d}/file-{i:08d}.conf", "type": "file", "content": f"setting = {i}\n"}


def build_image(layout_dir, files=0):
    """Writes the benchmark image (with `files`: the generated one); the layer blobs' paths
    and the uncompressed size."""
    layout = Layout(layout_dir)
    descriptors, diff_ids, total = [], [], 0
    sources = [(["generated"], entry_tar_chunks(generated_entries(files)))] if files else [(p, tar_chunks(p)) for p in LAYERS]
    for i, (paths, chunks) in enumerate(sources):
        sized = _Counting(chunks)
        d, diff_id = layout.put_streamed_layer(sized, "gzip")
        descriptors.append(d)
        diff_ids.append(diff_id)
        total += sized.count
        print(f"  layer {i + 1}: {' '.join(paths)}: {sized.count / 1e6:.0f} MB, gzip {d['size'] / 1e6:.0f} MB")
    top = layout.put_manifest(descriptors, diff_ids, {"os": "linux", "architecture": "amd64"}, TAG)
    top.pop("platform")
    top["annotations"] = {REF_NAME: TAG}
    with open(os.path.join(layout_dir, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "mediaType": INDEX, "manifests": [top]}, f)
    return [os.path.join(layout.blobs, d["digest"][7:]) for d in descriptors], total


class _Counting:
    """An iterable of chunks that counts their bytes."""

    def __init__(self, chunks):
        self.chunks, self.count = chunks, 0

    def __iter__(self):
        for c in self.chunks:
            self.count += len(c)
            yield c


def warm(blobs):
    for b in blobs:
        with open(b, "rb") as f:
            while f.read(1 << 22):
                pass


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--vigil", default=os.path.join(REPO, ".build", "release", "vigil"))
    ap.add_argument("--keep", help="build the image in DIR and keep it (reused when it is there)")
    ap.add_argument("--no-umoci", action="store_true", help="leave out (b)")
    ap.add_argument("--files", type=int, default=0, help="a generated image of N small files instead")
    a = ap.parse_args()
    if not os.access(a.vigil, os.X_OK):
        print("building the release vigil ...")
        subprocess.run(["swift", "build", "-c", "release", "--product", "vigil"], cwd=REPO, check=True)
    work = tempfile.mkdtemp(prefix="vigil-image-bench-")
    layout_dir = a.keep or os.path.join(work, "layout")
    try:
        if os.path.exists(os.path.join(layout_dir, "index.json")):
            manifest = json.load(open(os.path.join(layout_dir, "index.json")))["manifests"][0]["digest"][7:]
            layers = json.load(open(os.path.join(layout_dir, "blobs", "sha256", manifest)))["layers"]
            blobs = [os.path.join(layout_dir, "blobs", "sha256", l["digest"][7:]) for l in layers]
            print(f"image: {layout_dir} (kept from an earlier run)")
        else:
            print(f"building the image in {layout_dir} ...")
            os.makedirs(layout_dir, exist_ok=True)
            blobs, total = build_image(layout_dir, a.files)
            print(f"image: {total / 1e9:.2f} GB uncompressed in {len(blobs)} gzip layers")
        run_rounds(a, work, layout_dir, blobs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_rounds(a, work, layout_dir, blobs):
    baseline = os.path.join(REPO, "rules", "linux-baseline")
    umoci = not a.no_umoci and os.geteuid() == 0 and shutil.which("umoci")
    runs = {"a tar -xzf": [], "b umoci unpack": [], "b scan --root": [], "c scan --image": []}
    for r in range(a.rounds):
        out = os.path.join(work, "tar-root")
        os.makedirs(out)
        warm(blobs)
        runs["a tar -xzf"].append(measure(["sh", "-c", " && ".join(f"tar -xzf '{b}' -C '{out}'" for b in blobs)]))
        shutil.rmtree(out)
        if umoci:
            bundle = os.path.join(work, "bundle")
            warm(blobs)
            runs["b umoci unpack"].append(measure(["umoci", "unpack", "--image", f"{layout_dir}:{TAG}", bundle]))
            runs["b scan --root"].append(measure([a.vigil, "scan", baseline, "--root", os.path.join(bundle, "rootfs"),
                                                  "--no-store", "--quiet"]))
            shutil.rmtree(bundle)
        warm(blobs)
        runs["c scan --image"].append(measure([a.vigil, "scan", baseline, "--image", f"oci:{layout_dir}:{TAG}",
                                               "--no-store", "--quiet"]))
    if umoci:
        compare_verdicts(a.vigil, baseline, work, layout_dir)
    med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3)) for k, v in runs.items() if v}
    print(f"\nmedian of {a.rounds} rounds:")
    for k, (wall, cpu, rss) in med.items():
        print(f"  {k:<16} wall {wall:7.2f} s   cpu {cpu:7.2f} s   peak {rss:7.1f} MB   (exit {runs[k][-1][3]})")
    if "b umoci unpack" in med:
        print(f"  b total          wall {med['b umoci unpack'][0] + med['b scan --root'][0]:7.2f} s")
    c, t = med["c scan --image"], med["a tar -xzf"]
    print(f"\n  ratio (c) scan --image / (a) tar -xzf: {c[0] / max(t[0], 1e-9):.2f}   (goal <= 1.5)")
    print(f"  vigil peak memory in (c): {c[2]:.0f} MB   (goal < 300 MB)")


def compare_verdicts(vigil, baseline, work, layout_dir):
    """Scans umoci's unpacking with --root and the image with --image once more, with JSON
    reports, and says whether every rule has the same verdict."""
    bundle = os.path.join(work, "bundle")
    subprocess.run(["umoci", "unpack", "--image", f"{layout_dir}:{TAG}", bundle], check=True, stdout=subprocess.DEVNULL)
    verdicts = []
    for target in (["--root", os.path.join(bundle, "rootfs")], ["--image", f"oci:{layout_dir}:{TAG}"]):
        report = os.path.join(work, "report.json")
        subprocess.run([vigil, "scan", baseline] + target + ["--no-store", "--quiet", "--report", f"json:{report}"],
                       stdout=subprocess.DEVNULL)
        verdicts.append({r["id"]: r["result"] for r in json.load(open(report))["rules"]})
    shutil.rmtree(bundle)
    differing = sorted(k for k in verdicts[0] if verdicts[0][k] != verdicts[1].get(k))
    print(f"\nverdicts --root (umoci) vs --image: {len(verdicts[0]) - len(differing)} of {len(verdicts[0])} rules agree"
          + (f"; differing: {', '.join(differing)}" if differing else ""))


if __name__ == "__main__":
    main()
