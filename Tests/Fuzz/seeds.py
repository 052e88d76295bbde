#!/usr/bin/env python3
"""Writes seed inputs for the fuzz targets of Tests/Fuzz (run.sh calls it).

Usage: seeds.py OUT_DIR REPO_ROOT [SSG_CONTENT_DIR]

Seeds are small on purpose: SSG components split into single OVAL definitions (with the
tests, objects, states and variables they reach), benchmarks cut to a few rules, a data
stream cut to those rules, CPE dictionaries, tailoring files; each rule of
rules/linux-baseline with a benchmark.yaml cut to its values; waiver files; and
(operation, datatype, value) triples and regular expressions taken from SSG OVAL states and
objects. Nothing here is committed: the content comes from the installed packages.
"""
import copy
import hashlib
import os
import random
import re
import sys
import xml.etree.ElementTree as ET

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import image_layer_seeds  # noqa: E402  (Tests/Fuzz/image_layer_seeds.py)

OUT, REPO = sys.argv[1], sys.argv[2]
SSG = sys.argv[3] if len(sys.argv) > 3 else "/usr/share/xml/scap/ssg/content"
PRODUCTS = ["ubuntu2204", "rhel9", "debian11"]  # SSG products to draw seeds from (those installed)
rnd = random.Random(11)

OVAL = "http://oval.mitre.org/XMLSchema/oval-definitions-5"
XCCDF = "http://checklists.nist.gov/xccdf/1.2"
DS = "http://scap.nist.gov/schema/scap/source/1.2"
XLINK = "http://www.w3.org/1999/xlink"
OVAL_ID = re.compile(r"oval:[A-Za-z0-9_\-.]+:(?:def|tst|obj|ste|var):[0-9]+")

# Order of OVALOperation.allCases and OVALDatatype.allCases (Sources/VigilOVAL/Enumerations.swift).
OPERATIONS = ["equals", "not equal", "case insensitive equals", "case insensitive not equal",
              "greater than", "less than", "greater than or equal", "less than or equal",
              "bitwise and", "bitwise or", "pattern match", "subset of", "superset of"]
DATATYPES = ["string", "int", "float", "boolean", "version", "binary", "record", "evr_string",
             "debian_evr_string", "ipv4_address", "ipv6_address", "fileset_revision", "ios_version"]


def write(target, data, name=None):
    if isinstance(data, str):
        data = data.encode()
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    name = name or hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def register_namespaces(path):
    for _, (prefix, uri) in ET.iterparse(path, events=["start-ns"]):
        try:
            ET.register_namespace(prefix, uri)
        except ValueError:
            pass


def tostring(el):
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(el)


def local(tag):
    return tag.rsplit("}", 1)[-1]


# --- OVAL: one definition and everything it reaches -------------------------------------

def oval_index(root):
    index = {}
    for section in root:
        if local(section.tag) in ("definitions", "tests", "objects", "states", "variables"):
            for el in section:
                if el.get("id"):
                    index[el.get("id")] = (local(section.tag), el)
    return index


def closure(index, ids):
    seen, todo = set(), list(ids)
    while todo:
        i = todo.pop()
        if i in seen or i not in index:
            continue
        seen.add(i)
        el = index[i][1]
        for sub in el.iter():
            for v in list(sub.attrib.values()) + [sub.text or ""]:
                todo.extend(OVAL_ID.findall(v))
    return seen


def mini_oval(root, index, ids):
    keep = closure(index, ids)
    out = ET.Element(root.tag, root.attrib)
    for section in root:
        name = local(section.tag)
        if name in ("definitions", "tests", "objects", "states", "variables"):
            kept = [copy.deepcopy(el) for el in section if el.get("id") in keep]
            if kept:
                s = ET.SubElement(out, section.tag, section.attrib)
                s.extend(kept)
        else:
            out.append(copy.deepcopy(section))
    return out


def oval_seeds(path, limit):
    """Single-definition OVAL documents, preferring definitions that use test types not seen yet."""
    root = ET.parse(path).getroot()
    index = oval_index(root)
    defs = [i for i, (s, _) in index.items() if s == "definitions"]
    rnd.shuffle(defs)
    seen_kinds, chosen = set(), []
    for d in defs:
        kinds = {local(index[i][1].tag) for i in closure(index, [d])}
        if not kinds <= seen_kinds or len(chosen) < limit // 3:
            seen_kinds |= kinds
            chosen.append(d)
        if len(chosen) >= limit:
            break
    for d in chosen:
        write("fuzz-content", tostring(mini_oval(root, index, [d])))
    return root, index


# --- XCCDF: a benchmark cut to a few rules ----------------------------------------------

def mini_benchmark(bench, rule_ids):
    x = "{%s}" % XCCDF
    out = ET.Element(bench.tag, bench.attrib)
    values_used = set()
    rules = {r.get("id"): r for r in bench.iter(x + "Rule")}
    for rid in rule_ids:
        for e in rules[rid].iter(x + "check-export"):
            values_used.add(e.get("value-id"))
    group = None
    for child in bench:
        name = local(child.tag)
        if name == "Profile":
            if sum(1 for c in out if local(c.tag) == "Profile") >= 2:
                continue
            p = ET.SubElement(out, child.tag, child.attrib)
            for c in child:
                idref = c.get("idref")
                if idref is None or idref in rule_ids or idref in values_used:
                    p.append(copy.deepcopy(c))
        elif name == "Value":
            if child.get("id") in values_used:
                out.append(copy.deepcopy(child))
        elif name in ("Group", "Rule"):
            if group is None:
                group = ET.SubElement(out, x + "Group", {"id": "xccdf_org.ssgproject.content_group_fuzz"})
                ET.SubElement(group, x + "title").text = "Fuzz"
                for rid in rule_ids:
                    group.append(copy.deepcopy(rules[rid]))
            for v in child.iter(x + "Value"):
                if v.get("id") in values_used:
                    out.insert(len(out) - 1, copy.deepcopy(v))
        else:
            out.append(copy.deepcopy(child))
    return trim(out)


def trim(el):
    """Shortens long texts and lists (references, fixes) so that a seed stays a few KB."""
    for e in el.iter():
        if e.text and len(e.text) > 200:
            e.text = e.text[:200]
        if e.tail and len(e.tail) > 40:
            e.tail = e.tail[:40]
        seen = {}
        for c in list(e):
            name = local(c.tag)
            seen[name] = seen.get(name, 0) + 1
            if name in ("reference", "ident", "fix", "platform", "p", "li", "code", "br", "html:br") and seen[name] > 2:
                e.remove(c)
    return el


def pick_rules(bench, count):
    rules = [r.get("id") for r in bench.iter("{%s}Rule" % XCCDF)]
    if not rules:
        return []
    start = rnd.randrange(len(rules))
    return [rules[(start + k * 37) % len(rules)] for k in range(min(count, len(rules)))]


def rule_oval_refs(bench, rule_ids):
    refs = set()
    for r in bench.iter("{%s}Rule" % XCCDF):
        if r.get("id") in rule_ids:
            for c in r.iter("{%s}check-content-ref" % XCCDF):
                if c.get("name"):
                    refs.add(c.get("name"))
    return refs


# --- Data stream: the same cut, components and all ----------------------------------------

def mini_datastream(path, rule_count):
    root = ET.parse(path).getroot()
    comps = {c.get("id"): c for c in root if local(c.tag) in ("component", "extended-component")}
    out = ET.Element(root.tag, root.attrib)
    stream = next(c for c in root if local(c.tag) == "data-stream")
    bench = None
    for c in comps.values():
        if len(c) and local(c[0].tag) == "Benchmark":
            bench = c[0]
    rule_ids = pick_rules(bench, rule_count)
    oval_refs = rule_oval_refs(bench, rule_ids)
    new_stream = copy.deepcopy(stream)
    kept_components = []
    for section in list(new_stream):
        for ref in list(section):
            href = ref.get("{%s}href" % XLINK, "")
            comp = comps.get(href.lstrip("#"))
            if comp is None or not len(comp):
                section.remove(ref)
                continue
            body = comp[0]
            name = local(body.tag)
            if name == "Benchmark":
                body = mini_benchmark(body, rule_ids)
            elif name == "oval_definitions":
                index = oval_index(body)
                wanted = oval_refs if local(section.tag) == "checks" else [i for i, (s, _) in index.items() if s == "definitions"][:3]
                body = mini_oval(body, index, wanted)
            elif name == "cpe-list":
                body = copy.deepcopy(body)
            else:
                section.remove(ref)
                continue
            c = ET.Element(comp.tag, comp.attrib)
            c.append(body)
            kept_components.append(c)
    out.append(new_stream)
    out.extend(kept_components)
    return out


# --- Comparison and regex seeds from OVAL states and objects ---------------------------------

SUBJECT = (b"PermitRootLogin no\nMaxAuthTries 4\n# comment\nPASS_MAX_DAYS\t60\n"
           b"kernel.randomize_va_space = 2\n-w /etc/passwd -p wa -k identity\n"
           b"root:x:0:0:root:/root:/bin/bash\nauth required pam_faillock.so deny=3\n")
ACTUALS = {
    "string": ["", "no", "root", "Yes"], "int": ["0", "4", "-1", "2147483648"], "float": ["1.5", "nan", "1e308"],
    "boolean": ["true", "0", "TRUE"], "version": ["1.2.3", "1.10", "2"], "binary": ["DEADbeef", "00"],
    "evr_string": ["0:1.2.3-4.el9", "1:2-1", "2.0"], "debian_evr_string": ["1:2.3~rc1-1", "0:9.0p1-1ubuntu2", "2.0"],
    "ipv4_address": ["10.0.0.1", "10.0.0.0/8", "192.168.1.1/255.255.255.0"],
    "ipv6_address": ["::1", "fe80::1/64", "2001:db8::/32"], "ios_version": ["12.2(33)SXI"], "fileset_revision": ["1"],
}


def value_seed(op, dt, expected, actual):
    return bytes([OPERATIONS.index(op), DATATYPES.index(dt)]) + expected.encode() + b"\xff" + actual.encode()


def state_seeds(root):
    per_pair, patterns = {}, set()
    for section in root:
        if local(section.tag) not in ("states", "objects"):
            continue
        for el in section.iter():
            text = (el.text or "").strip()
            if not text or len(el):
                continue
            op, dt = el.get("operation", "equals"), el.get("datatype", "string")
            if local(el.tag) == "pattern" or op == "pattern match":
                flags = 0x0A if local(section.tag) == "objects" else 0x00
                patterns.add((flags, text))
            if op in OPERATIONS and dt in DATATYPES:
                per_pair.setdefault((op, dt), set()).add(text)
    for (op, dt), values in sorted(per_pair.items()):
        values = sorted(values)
        rnd.shuffle(values)
        for v in values[:15]:
            actual = rnd.choice(ACTUALS.get(dt, [v]) + [v])
            if op == "pattern match":
                actual = rnd.choice(SUBJECT.decode().splitlines())
            write("fuzz-oval-compare", value_seed(op, dt, v, actual))
    patterns = sorted(patterns, key=lambda p: (len(p[1]), p[1]))
    rnd.shuffle(patterns)
    for flags, p in patterns[:400]:
        write("fuzz-oval-regex", bytes([flags]) + p.encode() + b"\xff" + SUBJECT)


def handmade_value_seeds():
    for dt, values in ACTUALS.items():
        for op in OPERATIONS:
            a, b = values[0], values[-1]
            write("fuzz-oval-compare", value_seed(op, dt, a, b))
    for p in [r"^\s*PermitRootLogin\s+(\S+)", r"(a+)+$", r"(?i)^maxauthtries\s+(\d+)", r"\bdeny=(\d+)", r"(?=b)",
              r"^(?:[^#\n]*\s)?pam_faillock\.so.*$", r"\x{263a}+", r"[[:alpha:]]{2,}", r"(?<name>\w+)\k<name>", r""]:
        for flags in (0x00, 0x02, 0x0A, 0x07):
            write("fuzz-oval-regex", bytes([flags]) + p.encode() + b"\xff" + SUBJECT)


# --- Rule folder, waiver and tailoring seeds --------------------------------------------------

def rule_seeds():
    folder = os.path.join(REPO, "rules", "linux-baseline")
    bench = yaml.safe_load(open(os.path.join(folder, "benchmark.yaml")))
    for dirpath, _, files in sorted(os.walk(folder)):
        for name in sorted(files):
            if not name.endswith((".yaml", ".yml")) or (dirpath == folder and name == "benchmark.yaml"):
                continue
            data = open(os.path.join(dirpath, name), "rb").read()
            try:
                rid = yaml.safe_load(data).get("id", "")
            except Exception:
                rid = ""
            b = {k: bench[k] for k in ("id", "namespace", "title", "version") if k in bench}
            b["values"] = bench.get("values", {})
            b["profiles"] = {"fuzz": {"title": "Fuzz", "rules": [rid]}}
            write("fuzz-rules", data + b"\0" + yaml.safe_dump(b, sort_keys=False).encode())
            write("fuzz-rules", data)


WAIVERS = [
    "waivers:\n  - rule: sshd_disable_root_login\n    reason: Break-glass console, ticket SEC-42\n    owner: platform-team\n    expires: 2026-12-31\n",
    "waivers:\n  - rule: xccdf_io.vigil_rule_sshd_disable_root_login\n    reason: r\n    owner: o\n    expires: '2030-01-01'\n"
    "  - {rule: audit_rules_immutable, reason: lab, owner: sec, expires: 2025-02-30}\n",
    "waivers:\n  - &w {rule: a, reason: b, owner: c, expires: 2026-01-01}\n  - *w\n",
    "waivers: []\n", "waivers:\n  - rule: x\n    reason: y\n    owner: z\n    expires: 26-1-1\n",
    "waivers:\n  - rule: [a]\n    reason: y\n    owner: z\n    expires: 2026-01-01\n    extra: 1\n",
    "# no waivers\n", "waivers: {rule: x}\n",
]

TAILORING = """<?xml version="1.0" encoding="UTF-8"?>
<Tailoring xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_io.vigil_tailoring_fuzz">
  <benchmark href="benchmark.xml"/>
  <version time="2025-01-01T00:00:00">1</version>
  <Profile id="xccdf_io.vigil_profile_{id}" {extends}>
    <title>Tailored</title>
    <select idref="xccdf_io.vigil_rule_two" selected="false"/>
    <select idref="xccdf_io.vigil_rule_one" selected="true"/>
    <refine-value idref="xccdf_io.vigil_value_count" selector="strict"/>
    <set-value idref="xccdf_io.vigil_value_count">7</set-value>
    <refine-rule idref="xccdf_io.vigil_rule_one" severity="high" weight="2.5" role="full"/>
  </Profile>
</Tailoring>
"""


def main():
    for target in ["fuzz-content", "fuzz-rules", "fuzz-waivers", "fuzz-oval-compare", "fuzz-oval-regex"]:
        os.makedirs(os.path.join(OUT, target), exist_ok=True)
    for w in WAIVERS:
        write("fuzz-waivers", w)
    for pid, ext in [("tailored", 'extends="xccdf_io.vigil_profile_base"'), ("base", ""), ("other", 'extends="missing"')]:
        write("fuzz-content", TAILORING.replace("{id}", pid).replace("{extends}", ext))
    rule_seeds()
    handmade_value_seeds()
    image_layer_seeds.write_all(os.path.join(OUT, "fuzz-image-layer"))
    for product in PRODUCTS:
        base = os.path.join(SSG, "ssg-%s-" % product)
        if not os.path.exists(base + "ds.xml"):
            continue
        for suffix in ("ds.xml", "xccdf.xml", "oval.xml", "cpe-oval.xml"):
            register_namespaces(base + suffix)
        write("fuzz-content", open(base + "cpe-dictionary.xml", "rb").read())
        oval_root, _ = oval_seeds(base + "oval.xml", 40)
        oval_seeds(base + "cpe-oval.xml", 6)
        state_seeds(oval_root)
        bench = ET.parse(base + "xccdf.xml").getroot()
        for _ in range(4):
            write("fuzz-content", tostring(mini_benchmark(bench, pick_rules(bench, 4))))
        for count in (1, 3):
            write("fuzz-content", tostring(mini_datastream(base + "ds.xml", count)))
    for target in sorted(os.listdir(OUT)):
        files = os.listdir(os.path.join(OUT, target))
        size = sum(os.path.getsize(os.path.join(OUT, target, f)) for f in files)
        print("%-18s %4d seeds, largest %6d bytes, %7d bytes in all" % (
            target, len(files), max([os.path.getsize(os.path.join(OUT, target, f)) for f in files] or [0]), size))


main()
