#!/usr/bin/env python3
"""`vigil watch --on-change` on a copy of this machine's /etc: how long from an edit to the
stored rescan, how many rules it re-evaluates, and what the watch costs while idle.

Usage: benchmarks/onchange.py [--edits N] [--idle SECONDS] [--vigil PATH] [--content DS] [--profile P]
                              [--version-id ID]

A root is made from a copy of /etc (and /usr/lib/os-release), so the default content
for this machine is chosen (the SCAP Security Guide data stream when installed);
--version-id rewrites VERSION_ID in the copy's os-release (and etc/debian_version), to run content of another
release of the same OS (e.g. `--content .../ssg-debian11-ds.xml --version-id 11` on
Debian 12, whose SSG content Debian does not ship). Then:
  1  `vigil watch --root ROOT --every 1h --on-change` starts; its first (full) scan is timed
     from its log line (duration_ms);
  2  it is left idle for --idle seconds (default 20): its CPU time over that span
     (utime + stime from /proc/PID/stat) as a share of one core (goal: under 1%);
  3  N times (default 5) a line is appended to etc/ssh/sshd_config (or, without it,
     etc/login.defs), alternately breaking and restoring a setting; the time from the
     write to the scan's log line (the scan is stored before it is logged) and the
     rules the rescan evaluated (goal: every edit under 2 s).
Prints the medians and the ratio rescan / full scan. Uses the release build
(`swift build -c release --product vigil`, run when .build/release/vigil is missing).
Run it by hand on an otherwise idle machine; it is not part of the tests.
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


class Watch:
    """A `vigil watch` child whose log lines are collected as they come."""

    def __init__(self, args):
        self.lines, self.lock = [], threading.Lock()
        self.p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stderr:
            with self.lock:
                self.lines.append((time.monotonic(), line.rstrip("\n")))

    def scans(self):
        with self.lock:
            return [(t, l) for t, l in self.lines if " event=scan " in l]

    def wait_scans(self, n, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            s = self.scans()
            if len(s) >= n:
                return s[n - 1]
            if self.p.poll() is not None:
                break
            time.sleep(0.005)
        with self.lock:
            tail = "\n".join(l for _, l in self.lines[-20:])
        raise SystemExit(f"no scan {n} within {timeout} s; log:\n{tail}")

    def cpu_seconds(self):
        with open(f"/proc/{self.p.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.p.terminate()
        self.p.wait(timeout=60)


def field(line, name):
    for word in line.split():
        if word.startswith(name + "="):
            return word[len(name) + 1:]
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--edits", type=int, default=5)
    ap.add_argument("--idle", type=float, default=20)
    ap.add_argument("--vigil", default=os.path.join(REPO, ".build", "release", "vigil"))
    ap.add_argument("--content")
    ap.add_argument("--profile")
    ap.add_argument("--version-id")
    a = ap.parse_args()
    if not os.path.exists(a.vigil):
        subprocess.run(["swift", "build", "-c", "release", "--product", "vigil"], cwd=REPO, check=True)
    work = tempfile.mkdtemp(prefix="vigil-onchange-")
    try:
        root = os.path.join(work, "root")
        os.makedirs(os.path.join(root, "usr", "lib"))
        subprocess.run(["cp", "-a", "/etc", root], check=False, stderr=subprocess.DEVNULL)
        if os.path.exists("/usr/lib/os-release"):
            shutil.copy("/usr/lib/os-release", os.path.join(root, "usr", "lib"))
        if a.version_id:
            for name in (os.path.join(root, "etc", "os-release"), os.path.join(root, "usr", "lib", "os-release")):
                if os.path.isfile(name) and not os.path.islink(name):
                    with open(name) as f:
                        text = [l for l in f if not l.startswith("VERSION_ID=")]
                    with open(name, "w") as f:
                        f.writelines(text + [f'VERSION_ID="{a.version_id}"\n'])
            debian = os.path.join(root, "etc", "debian_version")
            if os.path.isfile(debian):
                with open(debian, "w") as f:
                    f.write(f"{a.version_id}.0\n")
        target = os.path.join(root, "etc", "ssh", "sshd_config")
        setting = ("PermitRootLogin yes\n", "PermitRootLogin no\n")
        if not os.path.exists(target):
            target, setting = os.path.join(root, "etc", "login.defs"), ("PASS_MAX_DAYS 99999\n", "PASS_MAX_DAYS 60\n")
        args = [a.vigil, "watch"] + ([a.content] if a.content else []) + (["--profile", a.profile] if a.profile else [])
        args += ["--root", root, "--db", os.path.join(work, "vigil.db"), "--every", "1h", "--on-change"]
        w = Watch(args)
        try:
            _, first = w.wait_scans(1, 600)
            full_ms = int(field(first, "duration_ms"))
            print(f"first (full) scan: {full_ms} ms, benchmark {field(first, 'benchmark')}, "
                  f"pass={field(first, 'pass')} fail={field(first, 'fail')}")
            time.sleep(1.5)  # the monitor starts watching after the scan is logged
            c0, t0 = w.cpu_seconds(), time.monotonic()
            time.sleep(a.idle)
            idle = (w.cpu_seconds() - c0) / (time.monotonic() - t0)
            print(f"idle: {idle * 100:.3f}% of one core over {a.idle:.0f} s (goal: under 1%)")
            latencies, rescanned, rescan_ms = [], [], []
            for i in range(a.edits):
                with open(target, "a") as f:
                    f.write(setting[i % 2])
                edited = time.monotonic()
                t, line = w.wait_scans(2 + i, 30)
                latencies.append(t - edited)
                rescanned.append(field(line, "rescanned") or "all")
                rescan_ms.append(int(field(line, "duration_ms")))
                print(f"  edit {i + 1}: stored and logged after {latencies[-1] * 1000:.0f} ms "
                      f"(scan {rescan_ms[-1]} ms, rules rescanned: {rescanned[-1]}, regressions={field(line, 'regressions')})")
                time.sleep(1)
            med = statistics.median(latencies)
            print(f"edit to stored rescan: median {med * 1000:.0f} ms, worst {max(latencies) * 1000:.0f} ms (goal: under 2 s)")
            print(f"rescan / full scan: {statistics.median(rescan_ms)} / {full_ms} ms = "
                  f"{statistics.median(rescan_ms) / max(full_ms, 1):.2f}")
        finally:
            w.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
