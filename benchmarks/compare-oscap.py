#!/usr/bin/env python3
"""Vigil and OpenSCAP side by side on the same content and machine, in one run.

Usage: benchmarks/compare-oscap.py [--cases 1,2,3,4,5,6,7] [--rounds N] [--vigil PATH] [--files N,N,...]

Each case runs its commands alternately (oscap, vigil, oscap, vigil, ...) for N rounds
and reports the median wall time, CPU time (user+sys) and peak memory (max RSS) of
each, and Vigil's ratio to oscap. A bare `find / -xdev` is timed as the floor for
case 1. Run it by hand on an otherwise idle machine; it is not part of the tests.

Cases:
  1  Debian 11 content adapted to this host, --profile all, live host, with --results (and
     stored); floors: a bare `find / -xdev` and `find / -xdev -printf '%m %U %G'`, which
     stats every file as these rules must; empty files are added under /var/tmp first
     when / holds fewer than --min-files (500,000)
  2  the same content, each of its profiles
  3  loading and resolving the Ubuntu 22.04 data stream without running checks
  4  generated trees of N files (default 100,000, 300,000 and 1,000,000) under --root,
     with rules that walk them: time should grow linearly, peak memory stay flat
  5  Vigil's rules/linux-baseline on the live host: oscap on the data stream `vigil build`
     writes, Vigil on the same file, and Vigil on the folder (compiling it each time)
  6  Vigil's rules/kubernetes, profile cis-1.12, on a generated kubeadm control-plane tree
     under --root (OSCAP_PROBE_ROOT for oscap); the goal is under 0.5 s for Vigil
  7  Vigil's rules/fips, profile fips-140, on the live host: oscap on the data stream `vigil
     build` writes (it evaluates the OVAL fallbacks and reports native checks notchecked, so
     it does less work), Vigil on the same file (native checks: OpenSSL configuration and
     runtime probe, SSH effective configuration, certificates, keys); goal under 0.5 s
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SHARED = os.path.join(os.path.dirname(REPO), "shared", "conformance")
SSG = "/usr/share/xml/scap/ssg/content"


def measure(cmd, env=None):
    """Runs cmd under /usr/bin/time; returns (wall s, cpu s, peak MB, exit code)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", tf.name] + cmd
        p = subprocess.run(full, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        wall, user, sys_, rss = tf.read().split()[-4:]
        return float(wall), float(user) + float(sys_), int(rss) / 1024.0, p.returncode


WARM = {"find", "find-stat", "vigil", "vigil-nostore", "vigil-base"}


def compare(label, commands, rounds, warmup=True):
    """commands: list of (name, argv). Alternates them for `rounds` rounds. With warmup,
    find and vigil run once untimed right before each timed run, so that both are timed
    on a warm page cache whatever ran before them (oscap is CPU-bound and not warmed)."""
    runs = {name: [] for name, _ in commands}
    for _ in range(rounds):
        for name, argv in commands:
            if warmup and name in WARM:
                measure(argv)
            runs[name].append(measure(argv))
    print(f"\n== {label}")
    med = {}
    for name, _ in commands:
        r = runs[name]
        med[name] = tuple(statistics.median(x[i] for x in r) for i in range(3))
        print(f"  {name:<10} wall {med[name][0]:8.2f} s   cpu {med[name][1]:8.2f} s   peak {med[name][2]:8.1f} MB"
              f"   (exit {r[-1][3]})")
    if "oscap" in med and "vigil" in med:
        o, v = med["oscap"], med["vigil"]
        print(f"  ratio vigil/oscap: wall {v[0] / max(o[0], 1e-9):.3f}   cpu {v[1] / max(o[1], 1e-9):.3f}"
              f"   peak memory {v[2] / max(o[2], 1e-9):.3f}")
    if "find" in med and "vigil" in med:
        print(f"  ratio vigil/find -xdev: wall {med['vigil'][0] / max(med['find'][0], 1e-9):.2f}")
    if "vigil-base" in med and "vigil" in med:
        b, v = med["vigil-base"], med["vigil"]
        print(f"  ratio vigil/vigil-base: wall {v[0] / max(b[0], 1e-9):.3f}   cpu {v[1] / max(b[1], 1e-9):.3f}"
              f"   peak memory {v[2] / max(b[2], 1e-9):.3f}")
    return med


def count_files(top):
    """Entries `find TOP -xdev` lists."""
    out = subprocess.run(["find", top, "-xdev"], capture_output=True).stdout
    return out.count(b"\n")


def fill_root(minimum):
    """Adds empty files in a scratch directory on the root file system until / holds at
    least `minimum` entries (the case-1 goal is measured on at least 500,000); returns the
    directory to remove afterwards, or None."""
    have = count_files("/")
    if have >= minimum:
        return None
    scratch = tempfile.mkdtemp(prefix="vigil-bench-files-", dir="/var/tmp")
    missing = minimum - have
    print(f"/ holds {have:,} entries: adding {missing:,} empty files under {scratch}", flush=True)
    for i in range(missing):
        d = os.path.join(scratch, f"d{i // 1000}")
        if i % 1000 == 0:
            os.makedirs(d, exist_ok=True)
        open(os.path.join(d, f"f{i}"), "w").close()
    return scratch


def adapted_content(work):
    out = os.path.join(work, "debian11-this-host.xml")
    subprocess.run(["sh", os.path.join(SHARED, "debian11-on-this-host"), out], check=True)
    return out


def profiles_of(content):
    out = subprocess.run(["oscap", "info", "--profiles", content], capture_output=True, text=True).stdout
    return [line.split(":")[0] for line in out.splitlines() if line.startswith("xccdf_")]


def make_tree(root, n):
    """n regular files under root/data, 100 per directory, a few world-writable."""
    data = os.path.join(root, "data")
    for i in range(n):
        d = os.path.join(data, f"d{i // 10000}", f"e{(i // 100) % 100}")
        if i % 100 == 0:
            os.makedirs(d, exist_ok=True)
        p = os.path.join(d, f"f{i}")
        with open(p, "w") as f:
            f.write("x\n")
        if i % 50000 == 0:
            os.chmod(p, 0o666)
    os.makedirs(os.path.join(root, "etc"), exist_ok=True)
    with open(os.path.join(root, "etc", "os-release"), "w") as f:
        f.write("ID=bench\n")


WALK_CONTENT = """<?xml version="1.0"?>
<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.vigil_benchmark_walk" resolved="1">
  <status>draft</status><title>Walk</title><version>1</version>
  <Rule id="xccdf_org.vigil_rule_world_writable" selected="true" severity="medium"><title>No world-writable files</title>
    <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="walk-oval.xml" name="oval:walk:def:1"/></check></Rule>
  <Rule id="xccdf_org.vigil_rule_files_owned" selected="true" severity="medium"><title>Files owned by root</title>
    <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="walk-oval.xml" name="oval:walk:def:2"/></check></Rule>
</Benchmark>
"""

WALK_OVAL = """<?xml version="1.0"?>
<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
  xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5"
  xmlns:unix="http://oval.mitre.org/XMLSchema/oval-definitions-5#unix">
  <generator><oval:schema_version>5.11</oval:schema_version><oval:timestamp>2026-01-01T00:00:00</oval:timestamp></generator>
  <definitions>
    <definition id="oval:walk:def:1" version="1" class="compliance"><metadata><title>ww</title><description>d</description></metadata>
      <criteria><criterion test_ref="oval:walk:tst:1"/></criteria></definition>
    <definition id="oval:walk:def:2" version="1" class="compliance"><metadata><title>own</title><description>d</description></metadata>
      <criteria><criterion test_ref="oval:walk:tst:2"/></criteria></definition>
  </definitions>
  <tests>
    <unix:file_test id="oval:walk:tst:1" version="1" check="all" check_existence="none_exist" comment="c">
      <unix:object object_ref="oval:walk:obj:1"/></unix:file_test>
    <unix:file_test id="oval:walk:tst:2" version="1" check="all" check_existence="none_exist" comment="c">
      <unix:object object_ref="oval:walk:obj:2"/></unix:file_test>
  </tests>
  <objects>
    <unix:file_object id="oval:walk:obj:1" version="1">
      <unix:behaviors recurse="directories" recurse_direction="down" max_depth="-1" recurse_file_system="local"/>
      <unix:path>/</unix:path><unix:filename operation="pattern match">.*</unix:filename>
      <filter action="include">oval:walk:ste:1</filter></unix:file_object>
    <unix:file_object id="oval:walk:obj:2" version="1">
      <unix:behaviors recurse="directories" recurse_direction="down" max_depth="-1" recurse_file_system="local"/>
      <unix:path>/</unix:path><unix:filename operation="pattern match">.*</unix:filename>
      <filter action="exclude">oval:walk:ste:2</filter></unix:file_object>
  </objects>
  <states>
    <unix:file_state id="oval:walk:ste:1" version="1"><unix:type>regular</unix:type><unix:owrite datatype="boolean">true</unix:owrite></unix:file_state>
    <unix:file_state id="oval:walk:ste:2" version="1"><unix:user_id datatype="int">0</unix:user_id></unix:file_state>
  </states>
</oval_definitions>
"""


def kubernetes_node(a, work, compare_with):
    """Case 6: rules/kubernetes with cis-1.12 on a kubeadm control-plane tree."""
    sys.path.insert(0, HERE)
    import kube_node_tree
    root = os.path.join(work, "kubeadm-node")
    n = kube_node_tree.write(root)
    folder = os.path.join(REPO, "rules", "kubernetes")
    ds = os.path.join(work, "kubernetes-ds.xml")
    subprocess.run([a.vigil, "build", folder, "-o", ds], check=True, stderr=subprocess.DEVNULL)
    compare_with(f"case 6: rules/kubernetes --profile cis-1.12 on a kubeadm control plane ({n} files)", [
        ("oscap", ["env", f"OSCAP_PROBE_ROOT={root}", "oscap", "xccdf", "eval", "--profile", "cis-1.12", ds]),
        ("vigil", [a.vigil, "scan", ds, "--profile", "cis-1.12", "--root", root, "--quiet", "--no-store"]),
        ("vigil-dir", [a.vigil, "scan", folder, "--profile", "cis-1.12", "--root", root, "--quiet", "--no-store"]),
    ])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", default="1,2,3,4,5,6,7")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--vigil", default=os.path.join(REPO, ".build", "release", "vigil"))
    ap.add_argument("--files", default="100000,300000,1000000")
    ap.add_argument("--min-files", type=int, default=500000,
                    help="case 1: add empty files under /var/tmp until / holds this many entries")
    ap.add_argument("--baseline", help="another vigil binary (e.g. a release build of main) to time beside --vigil"
                    " in every case, as 'vigil-base'")
    ap.add_argument("--skip-oscap", action="store_true", help="leave oscap out (with --baseline: Vigil against itself)")
    ap.add_argument("--no-warmup", action="store_true",
                    help="time find and vigil on whatever cache the previous command left")
    a = ap.parse_args()
    cases = {int(c) for c in a.cases.split(",")}

    def compare_with(label, commands):
        """`compare`, with the baseline's commands beside Vigil's and oscap left out if asked."""
        out = []
        for name, argv in commands:
            if name == "oscap" and a.skip_oscap:
                continue
            out.append((name, argv))
            if name == "vigil" and a.baseline:
                out.append(("vigil-base", [a.baseline] + argv[1:]))
        return compare(label, out, a.rounds, not a.no_warmup)

    if not os.access(a.vigil, os.X_OK):
        sys.exit(f"{a.vigil} not found: run `swift build -c release` first")
    if not shutil.which("oscap"):
        sys.exit("oscap not found: apt-get install openscap-scanner ssg-debian")
    print(f"machine: {os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB,"
          f" {subprocess.run(['uname', '-sr'], capture_output=True, text=True).stdout.strip()}")
    work = tempfile.mkdtemp(prefix="vigil-bench-")
    try:
        if cases & {1, 2}:
            content = adapted_content(work)
        if 1 in cases:
            scratch = fill_root(a.min_files)
            try:
                n = count_files("/")
                db = os.path.join(work, "case1.db")
                med = compare_with(f"case 1: Debian 11 adapted to this host, --profile all, live host, {n:,} files on /", [
                    ("find", ["find", "/", "-xdev", "-fprint", "/dev/null"]),
                    ("find-stat", ["find", "/", "-xdev", "-fprintf", "/dev/null", "%m %U %G\n"]),
                    ("oscap", ["oscap", "xccdf", "eval", "--profile", "(all)", "--results",
                               os.path.join(work, "oscap-results.xml"), content]),
                    ("vigil", [a.vigil, "scan", content, "--profile", "all", "--quiet", "--db", db,
                               "--results", os.path.join(work, "vigil-results.xml")]),
                    ("vigil-nostore", [a.vigil, "scan", content, "--profile", "all", "--quiet", "--no-store"]),
                ])
                if "find-stat" in med and "vigil" in med:
                    print(f"  ratio vigil/find-stat (goal <= 1.3): wall {med['vigil'][0] / max(med['find-stat'][0], 1e-9):.2f}")
                if "oscap" in med and "vigil" in med:
                    print(f"  ratio vigil/oscap peak memory (goal <= 0.333): {med['vigil'][2] / max(med['oscap'][2], 1e-9):.3f}")
            finally:
                if scratch:
                    shutil.rmtree(scratch, ignore_errors=True)
        if 2 in cases:
            for p in profiles_of(content):
                compare_with(f"case 2: profile {p}", [
                    ("oscap", ["oscap", "xccdf", "eval", "--profile", p, content]),
                    ("vigil", [a.vigil, "scan", content, "--profile", p, "--quiet", "--no-store"]),
                ])
        if 3 in cases:
            ds = os.path.join(SSG, "ssg-ubuntu2204-ds.xml")
            compare_with("case 3: load and resolve the Ubuntu 22.04 data stream", [
                ("oscap", ["oscap", "info", ds]),
                ("vigil", [a.vigil, "info", ds]),
            ])
        if 4 in cases:
            for n in [int(x) for x in a.files.split(",")]:
                root = os.path.join(work, f"root-{n}")
                print(f"\ngenerating {n} files under {root} ...", flush=True)
                make_tree(root, n)
                with open(os.path.join(work, "walk.xml"), "w") as f:
                    f.write(WALK_CONTENT)
                with open(os.path.join(work, "walk-oval.xml"), "w") as f:
                    f.write(WALK_OVAL)
                walk = os.path.join(work, "walk.xml")
                med = compare_with(f"case 4: {n} files under --root", [
                    ("find-stat", ["find", root, "-xdev", "-fprintf", "/dev/null", "%m %U %G\n"]),
                    ("vigil", [a.vigil, "scan", walk, "--root", root, "--quiet", "--no-store"]),
                ])
                if "find-stat" in med and "vigil" in med:
                    print(f"  ratio vigil/find-stat: wall {med['vigil'][0] / max(med['find-stat'][0], 1e-9):.2f}")
                shutil.rmtree(root, ignore_errors=True)
            print("  (oscap can be compared by hand: OSCAP_PROBE_ROOT=ROOT oscap xccdf eval walk.xml)")
        if 5 in cases:
            folder = os.path.join(REPO, "rules", "linux-baseline")
            ds = os.path.join(work, "linux-baseline-ds.xml")
            subprocess.run([a.vigil, "build", folder, "-o", ds], check=True, stderr=subprocess.DEVNULL)
            compare_with("case 5: rules/linux-baseline, every rule, live host", [
                ("oscap", ["oscap", "xccdf", "eval", ds]),
                ("vigil", [a.vigil, "scan", ds, "--quiet", "--no-store"]),
                ("vigil-dir", [a.vigil, "scan", folder, "--quiet", "--no-store"]),
            ])
        if 6 in cases:
            kubernetes_node(a, work, compare_with)
        if 7 in cases:
            ds = os.path.join(work, "fips-ds.xml")
            subprocess.run([a.vigil, "build", os.path.join(REPO, "rules", "fips"), "-o", ds], check=True,
                           stderr=subprocess.DEVNULL)
            compare_with("case 7: rules/fips --profile fips-140, live host", [
                ("oscap", ["oscap", "xccdf", "eval", "--profile", "fips-140", ds]),
                ("vigil", [a.vigil, "scan", ds, "--profile", "fips-140", "--quiet", "--no-store"]),
            ])
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
