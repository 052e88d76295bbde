#!/usr/bin/env python3
"""Vigil and oscap on yamlfilecontent checks over long YAML and JSON lists.

Generates, under a temporary root, for each size N:
- /api/rolebindings.json: a compliance-operator style API dump, compact JSON
  `{"apiVersion":"v1","kind":"List","items":[... N RoleBinding/ClusterRoleBinding objects ...]}`,
  each with metadata, a roleRef map and a list of three subjects;
- /var/lib/kubelet/config.yaml: a kubelet-config-like YAML (block style) with scalar keys
  and long lists: N `tlsCipherSuites`, N/4 `staticPodURLHeader` maps, N/4 `allowedUnsafeSysctls`;
and an XCCDF benchmark with its OVAL definitions (one rule per definition) whose
yamlfilecontent objects select across the lists, several objects naming each file with
different paths (as the SCAP Security Guide's ocp4 content does): `.items[:].metadata.name`,
`.items[:].kind`, `.items[:]['subjects'][:].name` (nested lists), `.items[:].roleRef` and
`.items[:].subjects[:]` (maps as records), `.tlsCipherSuites[:]`,
`.staticPodURLHeader[:]`, `.authentication.anonymous.enabled`, each with an existence test
and a state test (record fields compared with `entity_check="all"` or `at least one`).
OpenSCAP's YAML Path has no filter expressions (`[?(@.kind=="RoleBinding")]`): the
compliance operator applies its jq filters before the scan, so there are none here.

Runs `vigil scan --profile all --root ROOT --results` (release build) and
`oscap xccdf eval --profile '(all)' --results` (OSCAP_PROBE_ROOT=ROOT) on the same
content side by side, each --rounds times, and prints the median wall times, peak memory
(max RSS of the child), their ratios, and whether every verdict agrees. oscap reads the
file again for every object and slows down faster than the lists grow (80,000 items took
it over 10 minutes here): a run past --oscap-timeout seconds is stopped and said so.

    swift build -c release --product vigil
    benchmarks/yaml-lists.py                         # 10,000 / 40,000 / 80,000 items
    benchmarks/yaml-lists.py --sizes 80000 --no-oscap --rounds 1
"""
import argparse, json, os, re, resource, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
DUMP = "/api/rolebindings.json"
KUBELET = "/var/lib/kubelet/config.yaml"
FILTERED = "/api/filtered.json"

# (file, yamlpath, state or None): a state is (record field, operation, value, entity_check).
CHECKS = [
    (DUMP, ".items[:].metadata.name", ("#", "pattern match", "^rb-[0-9]+$", "all")),
    (DUMP, ".items[:].kind", ("#", "pattern match", "^(Cluster)?RoleBinding$", "all")),
    (DUMP, ".items[:]['subjects'][:].name", ("#", "equals", "system:anonymous", "at least one")),
    (DUMP, ".items[:].roleRef", ("kind", "pattern match", "Role$", "all")),
    (DUMP, ".items[:].subjects[:]", ("name", "equals", "system:unauthenticated", "at least one")),
    (DUMP, ".items[0].metadata", ("namespace", "equals", "ns-0", "all")),
    (FILTERED, "[:]", ("namespace", "pattern match", "^ns-", "all")),
    (FILTERED, "[:].name", ("#", "equals", "rb-0", "at least one")),
    (KUBELET, ".tlsCipherSuites[:]", ("#", "pattern match", "^TLS_", "all")),
    (KUBELET, ".staticPodURLHeader[:]", ("^x-^token", "pattern match", "^t[0-9]+$", "all")),
    (KUBELET, ".allowedUnsafeSysctls[:]", ("#", "equals", "kernel.shm_rmid_forced", "at least one")),
    (KUBELET, ".authentication.anonymous.enabled", ("#", "equals", "false", "all")),
]


def dump(n):
    """The API dump: compact JSON, as the compliance operator writes it."""
    items = []
    for i in range(n):
        kind = "RoleBinding" if i % 2 == 0 else "ClusterRoleBinding"
        items.append({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": kind,
                      "metadata": {"name": "rb-%d" % i, "namespace": "ns-%d" % (i % 100), "uid": "u-%d" % i,
                                   "resourceVersion": str(i)},
                      "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": kind[:-7], "name": "role-%d" % (i % 50)},
                      "subjects": [{"kind": "User", "name": "user-%d" % i},
                                   {"kind": "Group", "name": "system:authenticated" if i % 7 else "system:unauthenticated"},
                                   {"kind": "ServiceAccount", "name": "sa-%d" % i, "namespace": "ns-%d" % (i % 100)}]})
    return json.dumps({"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items},
                      separators=(",", ":"))


def filtered(n):
    """A jq-filtered dump as the compliance operator writes it: a top-level array of flat maps."""
    return json.dumps([{"name": "rb-%d" % i, "namespace": "ns-%d" % (i % 100)} for i in range(n)], separators=(",", ":"))


def kubelet(n):
    """A kubelet configuration in block YAML with long lists."""
    lines = ["apiVersion: kubelet.config.k8s.io/v1beta1", "kind: KubeletConfiguration",
             "authentication:", "  anonymous:", "    enabled: false", "  webhook:", "    enabled: true",
             "readOnlyPort: 0", "tlsCipherSuites:"]
    lines += ["- TLS_ECDHE_RSA_WITH_AES_%d_GCM_SHA384" % i for i in range(n)]
    lines.append("staticPodURLHeader:")
    for i in range(n // 4):
        lines += ["- X-Token: t%d" % i, "  Accept: application/json"]
    lines.append("allowedUnsafeSysctls:")
    lines += ["- net.core.somaxconn%d" % i for i in range(n // 4)] + ["- kernel.shm_rmid_forced"]
    return "\n".join(lines) + "\n"


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def content(work):
    """Writes oval.xml and xccdf.xml into `work`; returns the benchmark's path."""
    defs, tests, objs, states, rules = [], [], [], [], []
    for i, (path, yp, state) in enumerate(CHECKS, 1):
        objs.append('<ind:yamlfilecontent_object id="oval:y:obj:%d" version="1"><ind:filepath>%s</ind:filepath>'
                    '<ind:yamlpath>%s</ind:yamlpath></ind:yamlfilecontent_object>' % (i, path, esc(yp)))
        field, op, value, check = state
        states.append('<ind:yamlfilecontent_state id="oval:y:ste:%d" version="1"><ind:value datatype="record">'
                      '<field name="%s" operation="%s" entity_check="%s">%s</field></ind:value>'
                      '</ind:yamlfilecontent_state>' % (i, esc(field), op, check, esc(value)))
        for kind, t in (("exists", 2 * i - 1), ("value", 2 * i)):
            ste = '<ind:state state_ref="oval:y:ste:%d"/>' % i if kind == "value" else ""
            tests.append('<ind:yamlfilecontent_test id="oval:y:tst:%d" version="1" check="all" '
                         'check_existence="at_least_one_exists" comment="c"><ind:object object_ref="oval:y:obj:%d"/>%s'
                         '</ind:yamlfilecontent_test>' % (t, i, ste))
            title = esc("%s %s %s" % (path, yp, kind))
            defs.append('<definition id="oval:y:def:%d" version="1" class="compliance"><metadata><title>%s</title>'
                        '<description>d</description></metadata><criteria><criterion test_ref="oval:y:tst:%d"/>'
                        '</criteria></definition>' % (t, title, t))
            rules.append('<Rule id="xccdf_org.example_rule_r%d" selected="true" severity="medium"><title>%s</title>'
                         '<check system="http://oval.mitre.org/XMLSchema/oval-definitions-5">'
                         '<check-content-ref href="oval.xml" name="oval:y:def:%d"/></check></Rule>' % (t, title, t))
    oval = ('<?xml version="1.0" encoding="UTF-8"?>\n<oval_definitions '
            'xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" '
            'xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5" '
            'xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">'
            '<generator><oval:schema_version>5.11.3</oval:schema_version><oval:timestamp>2026-01-01T00:00:00'
            '</oval:timestamp></generator><definitions>%s</definitions><tests>%s</tests><objects>%s</objects>'
            '<states>%s</states></oval_definitions>\n' % ("".join(defs), "".join(tests), "".join(objs), "".join(states)))
    xccdf = ('<?xml version="1.0" encoding="UTF-8"?>\n<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" '
             'id="xccdf_org.example_benchmark_yaml_lists" resolved="1" xml:lang="en"><status>draft</status>'
             '<title>YAML lists</title><version>1</version>%s</Benchmark>\n' % "".join(rules))
    with open(os.path.join(work, "oval.xml"), "w") as f:
        f.write(oval)
    path = os.path.join(work, "xccdf.xml")
    with open(path, "w") as f:
        f.write(xccdf)
    return path


def write(root, rel, text):
    path = os.path.join(root, rel.lstrip("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return len(text)


def timed(cmd, env=None, timeout=None):
    """Wall seconds, peak RSS in MB (this child alone: run through a fresh python), exit
    code (None: stopped after `timeout` seconds), standard error."""
    wrapper = ("import resource,subprocess,sys,json\nt=float(sys.argv[1]) or None\n"
               "try:\n r=subprocess.run(sys.argv[2:],capture_output=True,text=True,timeout=t);c,e=r.returncode,r.stderr[-2000:]\n"
               "except subprocess.TimeoutExpired:\n c,e=None,''\n"
               "print(json.dumps([c,e,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))")
    start = time.monotonic()
    p = subprocess.run([sys.executable, "-c", wrapper, str(timeout or 0)] + cmd, capture_output=True, text=True, env=env)
    seconds = time.monotonic() - start
    code, err, rss = json.loads(p.stdout)
    return seconds, rss / 1024, code, err


def results(path):
    text = open(path, encoding="utf-8").read()
    return dict(re.findall(r'rule-result [^>]*idref="([^"]+)"[^>]*>\s*<(?:[a-z0-9.-]+:)?result>([a-z]+)<', text))


def run_size(a, work, bench, n):
    root = os.path.join(work, "root-%d" % n)
    size = write(root, DUMP, dump(n)) + write(root, KUBELET, kubelet(n)) + write(root, FILTERED, filtered(n))
    print("%d items: %.1f MB of YAML/JSON" % (n, size / 1e6))
    vres, ores = os.path.join(work, "vigil.xml"), os.path.join(work, "oscap.xml")
    vig, osc = [], []
    oscap_stopped = False
    for _ in range(a.rounds):
        t, rss, code, err = timed([a.vigil, "scan", bench, "--profile", "all", "--root", root, "--results", vres,
                                   "--quiet", "--no-store"])
        if code not in (0, 2):
            sys.exit("vigil failed (%d): %s" % (code, err))
        vig.append((t, rss))
        if not a.no_oscap and not oscap_stopped:
            env = dict(os.environ, OSCAP_PROBE_ROOT=root)
            t, rss, code, err = timed(["oscap", "xccdf", "eval", "--profile", "(all)", "--results", ores, bench], env,
                                      timeout=a.oscap_timeout)
            if code is None:
                oscap_stopped = True
            elif code not in (0, 2):
                sys.exit("oscap failed (%d): %s" % (code, err))
            else:
                osc.append((t, rss))
    v, vm = statistics.median(x[0] for x in vig), max(x[1] for x in vig)
    line = "  vigil %.2f s %.0f MB" % (v, vm)
    if osc:
        o, om = statistics.median(x[0] for x in osc), max(x[1] for x in osc)
        rv, ro = results(vres), results(ores)
        differ = sorted(k for k in ro if rv.get(k) != ro[k])
        line += " | oscap %.2f s %.0f MB | time vigil/oscap %.3f, memory %.2f | verdicts: %d rules, %d differ%s" % (
            o, om, v / o, vm / om, len(ro), len(differ), (" " + ", ".join(differ[:5])) if differ else "")
    elif oscap_stopped:
        line += " | oscap stopped after %d s (not finished)" % a.oscap_timeout
    else:
        rv = results(vres)
        line += " | verdicts: %s" % " ".join("%s=%s" % (k.rsplit("_", 1)[1], rv[k]) for k in sorted(rv, key=lambda k: int(k.rsplit("r", 1)[1])))
    print(line, flush=True)
    shutil.rmtree(root)
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,40000,80000", help="comma-separated item counts")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--vigil", default=os.path.join(HERE, "..", ".build", "release", "vigil"))
    ap.add_argument("--no-oscap", action="store_true")
    ap.add_argument("--oscap-timeout", type=int, default=600, help="seconds before an oscap run is stopped")
    a = ap.parse_args()
    if not os.path.exists(a.vigil):
        sys.exit("no vigil binary at %s (swift build -c release --product vigil)" % a.vigil)
    if not a.no_oscap and not shutil.which("oscap"):
        sys.exit("oscap not found (or pass --no-oscap)")
    work = tempfile.mkdtemp(prefix="vigil-yaml-lists-")
    try:
        bench = content(work)
        sizes = [int(s) for s in a.sizes.split(",")]
        times = [run_size(a, work, bench, n) for n in sizes]
        for (n0, t0), (n1, t1) in zip(zip(sizes, times), list(zip(sizes, times))[1:]):
            print("vigil %d -> %d items: %.1fx the items, %.2fx the time" % (n0, n1, n1 / n0, t1 / t0))
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
