#!/usr/bin/env python3
"""The fleet in PostgreSQL: storing, fleet over 1,000 hosts, 50 writers at once.

Usage: benchmarks/postgres.py [--hosts 1000] [--scans 30] [--rules 200] [--writers 50]
       (after `swift build -c release --product vigil --product vigil-postgres-bench`)

Starts a throw-away PostgreSQL 15 cluster on a free loopback port (TLS on, every client
connecting with sslmode=verify-full, as nodes do; run as the postgres user when root),
then:
  1. stores 20 synthetic 600-rule scans, one at a time (vigil-postgres-bench store): median;
  2. bulk-loads HOSTS x SCANS scans of RULES results each (generate_series) and times
     `vigil fleet` on it (whole process, median of 5), in text and JSON;
  3. starts WRITERS connections that each store 4 scans at once: stored = expected, and the
     time per store (p50/p90/p99/max) against the single writer's.
Targets (issue 17): store < 50 ms; fleet over 1,000 hosts x 30 scans < 500 ms; 50 writers
lose nothing and wait on nothing but the database.
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.path.join(os.path.dirname(HERE), ".build", "release")
PG = "/usr/lib/postgresql/15/bin"


def as_postgres(cmd):
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd="/tmp")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_cluster(work):
    tls = os.path.join(work, "tls")
    os.makedirs(tls)
    ssl = lambda *a: subprocess.run(["openssl", *a], check=True, capture_output=True)
    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=bench CA",
        "-keyout", f"{tls}/ca.key", "-out", f"{tls}/ca.crt")
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", f"{tls}/server.key", "-out", f"{tls}/server.csr")
    with open(f"{tls}/san.ext", "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n")
    ssl("x509", "-req", "-in", f"{tls}/server.csr", "-CA", f"{tls}/ca.crt", "-CAkey", f"{tls}/ca.key", "-CAcreateserial",
        "-days", "1", "-extfile", f"{tls}/san.ext", "-out", f"{tls}/server.crt")
    os.chmod(f"{tls}/server.key", 0o600)
    with open(f"{work}/pw", "w") as f:
        f.write("bench\n")
    if os.geteuid() == 0:
        shutil.chown(work, "postgres", "postgres")
        for root, dirs, files in os.walk(work):
            for name in dirs + files:
                shutil.chown(os.path.join(root, name), "postgres", "postgres")
    os.chmod(work, 0o755)
    data = os.path.join(work, "data")
    as_postgres([f"{PG}/initdb", "-D", data, "-U", "postgres", "--pwfile", f"{work}/pw", "--auth-local=trust",
                 "--auth-host=scram-sha-256", "-E", "UTF8", "--no-sync"])
    port = free_port()
    with open(f"{data}/postgresql.conf", "a") as f:
        f.write(f"\nlisten_addresses='127.0.0.1'\nport={port}\nunix_socket_directories='{work}'\nssl=on\n"
                f"ssl_cert_file='{tls}/server.crt'\nssl_key_file='{tls}/server.key'\nmax_connections=120\n"
                "shared_buffers=512MB\nlog_lock_waits=on\ndeadlock_timeout='20ms'\n")
    with open(f"{data}/pg_hba.conf", "w") as f:
        f.write("local all all trust\nhostssl all all 127.0.0.1/32 scram-sha-256\n")
    as_postgres([f"{PG}/pg_ctl", "-D", data, "-l", f"{work}/server.log", "-w", "start"])
    base = f"postgresql://postgres:bench@127.0.0.1:{port}/DB?sslmode=verify-full&sslrootcert={tls}/ca.crt"
    for db in ("store", "fleet", "writers"):
        as_postgres([f"{PG}/psql", "-h", work, "-p", str(port), "-U", "postgres", "-qc", f"CREATE DATABASE {db}"])
    return data, lambda db: base.replace("DB", db)


def timed(cmd, runs=5):
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        out.append((time.perf_counter() - start) * 1000)
    return statistics.median(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hosts", type=int, default=1000)
    ap.add_argument("--scans", type=int, default=30)
    ap.add_argument("--rules", type=int, default=200)
    ap.add_argument("--writers", type=int, default=50)
    a = ap.parse_args()
    bench, vigil = os.path.join(BUILD, "vigil-postgres-bench"), os.path.join(BUILD, "vigil")
    work = tempfile.mkdtemp(prefix="vigil-pg-bench-")
    data = None
    try:
        data, uri = start_cluster(work)
        subprocess.run([bench, "store", uri("store"), "20"], check=True)
        subprocess.run([bench, "fleet-fixture", uri("fleet"), str(a.hosts), str(a.scans), str(a.rules)], check=True)
        for fmt in ("text", "json"):
            ms = timed([vigil, "fleet", "--db", uri("fleet"), "--format", fmt])
            print(f"vigil fleet --format {fmt} ({a.hosts} hosts x {a.scans} scans): median {ms:.0f} ms "
                  f"({ms / 500:.2f} of the 500 ms goal)")
        fleet = json.loads(subprocess.run([vigil, "fleet", "--db", uri("fleet"), "--format", "json"], check=True,
                                          capture_output=True).stdout)
        print(f"  {len(fleet)} series, {sum(len(x['regressions']) for x in fleet)} regressions, "
              f"{sum(x['fail'] for x in fleet)} failures")
        print(f"vigil --version (process start): {timed([vigil, '--version']):.0f} ms")
        subprocess.run([bench, "store", uri("writers"), "3"], check=True)  # migrates the database first
        subprocess.run([bench, "writers", uri("writers"), str(a.writers), "4"], check=True)
        with open(os.path.join(work, "server.log")) as f:
            waits = sum("still waiting for" in line for line in f)
        print(f"lock waits over 20 ms logged by the server (log_lock_waits): {waits}")
    finally:
        if data:
            as_postgres([f"{PG}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
