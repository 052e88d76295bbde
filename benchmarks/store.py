#!/usr/bin/env python3
"""The scan store's speed: storing, drift and history, in the library and through `vigil`.

Usage: benchmarks/store.py [--scans N]   (after `swift build -c release`)

Runs .build/release/vigil-store-bench, which fills a new database with N scans of 600
rules (default 10,000) and times the store's operations, then times the `vigil history`
and `vigil drift` commands on that database (whole processes, median of 10 runs).
Targets (issue 4): store a 600-rule scan < 50 ms, drift < 20 ms, history of 10,000 < 100 ms.
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(os.path.dirname(HERE), ".build", "release")


def timed(cmd, env):
    runs = []
    for _ in range(10):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, env=env, check=True)
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scans", type=int, default=10000)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="vigil-store-bench-")
    db = os.path.join(work, "vigil.db")
    subprocess.run([os.path.join(BUILD, "vigil-store-bench"), db, str(a.scans)], check=True)
    env = dict(os.environ, VIGIL_DB=db)
    vigil = os.path.join(BUILD, "vigil")
    print(f"vigil --version (process start): {timed([vigil, '--version'], env):.1f} ms")
    print(f"vigil history: {timed([vigil, 'history'], env):.1f} ms")
    print(f"vigil history --limit 0 ({a.scans} lines): {timed([vigil, 'history', '--limit', '0'], env):.1f} ms")
    print(f"vigil drift: {timed([vigil, 'drift'], env):.1f} ms")
    print(f"vigil drift --format json: {timed([vigil, 'drift', '--format', 'json'], env):.1f} ms")
    for f in os.listdir(work):
        os.remove(os.path.join(work, f))
    os.rmdir(work)


if __name__ == "__main__":
    main()
