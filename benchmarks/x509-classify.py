#!/usr/bin/env python3
"""Classifying certificates: Vigil's `x509` check against a per-certificate `openssl x509`.

Usage: benchmarks/x509-classify.py [--count N] [--rounds R] [--peer-sample S] [--bench PATH]

Generates N certificates (default 10,000; python3-cryptography) in a temporary directory,
as one PEM bundle and as N separate files: a mix of RSA 2048 / P-256 / P-384 / Ed25519
keys, SHA-256 / SHA-384 / SHA-512 signatures (cryptography 48 refuses to sign with SHA-1), leaves issued by a CA and 10% self-signed
(their signatures verified), validity spread from expired to ten years.
Then times, alternately for R rounds (median wall time, CPU, peak memory):
  - vigil-x509-bench on the bundle      (goal: under 2 s for 10,000)
  - vigil-x509-bench on the directory   (goal: under 2.5 s for 10,000)
  - the peer, as Lynis does it: one `openssl x509 -noout -text` per certificate, on S
    files (default 500), scaled to N (marked "est.").
and prints Vigil's ratios to the peer. Build first: swift build -c release --product vigil-x509-bench.
Run it by hand on an otherwise idle machine; it is not part of the tests.
"""
import argparse
import datetime
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def measure(cmd):
    """Runs cmd under /usr/bin/time; returns (wall s, cpu s, peak MB, exit code, stdout)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        full = ["/usr/bin/time", "-f", "%e %U %S %M", "-o", tf.name] + cmd
        p = subprocess.run(full, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        wall, user, sys_, rss = tf.read().split()[-4:]
        return float(wall), float(user) + float(sys_), int(rss) / 1024.0, p.returncode, p.stdout


def generate(count, directory):
    """Writes bundle.pem and files/NNNNN.pem; returns their paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
    from cryptography.x509.oid import NameOID

    rnd = random.Random(15)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench CA")])
    pools = {
        "rsa": [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(8)],
        "p256": [ec.generate_private_key(ec.SECP256R1()) for _ in range(8)],
        "p384": [ec.generate_private_key(ec.SECP384R1()) for _ in range(8)],
        "ed": [ed25519.Ed25519PrivateKey.generate() for _ in range(8)],
    }
    now = datetime.datetime.now(datetime.timezone.utc)
    files = os.path.join(directory, "files")
    os.makedirs(files)
    bundle = []
    for i in range(count):
        kind = rnd.choice(["rsa", "rsa", "p256", "p256", "p384", "ed"])
        key = rnd.choice(pools[kind])
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"host{i}.example"),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Bench")])
        self_signed = i % 10 == 0
        start = now - datetime.timedelta(days=rnd.randint(1, 4000))
        builder = (x509.CertificateBuilder().subject_name(name)
                   .issuer_name(name if self_signed else ca_name)
                   .public_key(key.public_key()).serial_number(i + 1)
                   .not_valid_before(start).not_valid_after(start + datetime.timedelta(days=rnd.randint(30, 7300))))
        signer = key if self_signed else ca_key
        if isinstance(signer, ed25519.Ed25519PrivateKey):
            digest = None
        else:
            digest = rnd.choice([hashes.SHA256(), hashes.SHA256(), hashes.SHA384(), hashes.SHA512()])
        pem = builder.sign(signer, digest).public_bytes(serialization.Encoding.PEM)
        bundle.append(pem)
        with open(os.path.join(files, f"{i:05d}.pem"), "wb") as f:
            f.write(pem)
    path = os.path.join(directory, "bundle.pem")
    with open(path, "wb") as f:
        f.write(b"".join(bundle))
    return path, files


def peer(files, sample):
    """One `openssl x509 -noout -text` per file of the first `sample` files, in one shell."""
    names = sorted(os.listdir(files))[:sample]
    script = "for f in " + " ".join(names) + "; do openssl x509 -noout -text -in \"$f\" >/dev/null || exit 1; done"
    return ["sh", "-c", f"cd {files} && {script}"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--peer-sample", type=int, default=500)
    ap.add_argument("--bench", default=os.path.join(REPO, ".build", "release", "vigil-x509-bench"))
    args = ap.parse_args()
    if not os.path.exists(args.bench):
        sys.exit(f"{args.bench} missing: swift build -c release --product vigil-x509-bench")
    work = tempfile.mkdtemp(prefix="vigil-x509-bench-")
    try:
        bundle, files = generate(args.count, work)
        sample = min(args.peer_sample, args.count)
        scale = args.count / sample
        commands = [("vigil bundle", [args.bench, bundle]), ("vigil files", [args.bench, files]),
                    (f"openssl x509 -text x{sample} (est.)", peer(files, sample))]
        runs = {name: [] for name, _ in commands}
        for _ in range(args.rounds):
            for name, argv in commands:
                wall, cpu, rss, rc, out = measure(argv)
                if rc != 0:
                    sys.exit(f"{name} failed ({rc}): {out}")
                if name.startswith("vigil") and f"certificates={args.count} " not in out:
                    sys.exit(f"{name}: unexpected output {out!r}")
                if not name.startswith("vigil"):
                    wall, cpu = wall * scale, cpu * scale
                runs[name].append((wall, cpu, rss))
        print(f"\n== classifying {args.count} certificates, median of {args.rounds} rounds")
        print(f"{'':40} {'wall':>9} {'CPU':>9} {'peak MB':>8}")
        med = {}
        for name, _ in commands:
            wall, cpu, rss = (statistics.median(r[k] for r in runs[name]) for k in range(3))
            med[name] = wall
            print(f"{name:40} {wall:8.2f}s {cpu:8.2f}s {rss:8.0f}")
        peer_wall = med[commands[2][0]]
        for name in ("vigil bundle", "vigil files"):
            print(f"{name}: {peer_wall / med[name]:.0f}x faster than the peer")
        print(f"goals: bundle {med['vigil bundle']:.2f}s < 2 s, files {med['vigil files']:.2f}s < 2.5 s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
