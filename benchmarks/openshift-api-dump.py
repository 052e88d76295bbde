#!/usr/bin/env python3
"""Vigil and oscap on a large OpenShift API-resource dump with the ocp4 platform content.

Generates an OpenShift node tree (RHCOS os-release, kubelet config) and a dump laid out as
the compliance operator's api-resource-collector writes it under /kubernetes-api-resources:
the raw API objects (JSON, one file per API path) plus the filtered dumps the content's
rules name (each rule's warning gives the endpoint, the jq filter and the dump file; jq
applies the filter as the operator's gojq does). The dump holds --objects objects in all,
split evenly over namespaces, roles, cluster role bindings, network policies and
deployments (pods), the lists the platform rules read, unless --namespaces,
--rolebindings, --roles, --netpols or --deployments fix a list's size (the others share
what is left of --objects); the other lists' objects go round the namespaces. As the operator does, only what the
content names is written: raw lists (roles, cluster role bindings) and filter results (the
user namespaces' objects, the namespaces with a network policy, the deployments without
limits). Then runs `vigil scan` and
`oscap xccdf eval` (OSCAP_PROBE_ROOT) with the platform profile, each --rounds times,
and prints the median wall times and their ratio, and whether every verdict agrees.

    swift build -c release
    benchmarks/openshift-api-dump.py                    # 40,000 objects, profile moderate, 3 rounds
    benchmarks/openshift-api-dump.py --objects 100000 --rounds 1 --no-oscap
    benchmarks/openshift-api-dump.py --namespaces 20000 --rolebindings 20000 --netpols 20000 \
        --rule configure_network_policies_namespaces          # one rule counting 20,000 namespaces

Needs jq. The target is Vigil under 5 s for 40,000 objects (release build).
"""
import argparse, html, json, os, re, shutil, statistics, subprocess, sys, tempfile, time

CONTENT = "/usr/share/xml/scap/ssg/content/ssg-ocp4-ds.xml"
DUMP = "kubernetes-api-resources"
HERE = os.path.dirname(os.path.abspath(__file__))


STAGED = ["/version", "/apis/config.openshift.io/v1/clusteroperators/openshift-apiserver",
          "/apis/config.openshift.io/v1/infrastructures/cluster", "/apis/config.openshift.io/v1/networks/cluster"]


def filters(benchmark):
    """(endpoint, jq filter or None, dump path) of every dump the content names, once each,
    after the objects the operator always stages."""
    values = {}
    for m in re.finditer(r'<xccdf-1\.2:Value id="xccdf_org\.ssgproject\.content_value_(\w+)"[^>]*>.*?'
                         r'<xccdf-1\.2:value>([^<]*)</xccdf-1\.2:value>', benchmark, re.S):
        values.setdefault(m.group(1), html.unescape(m.group(2)))

    def render(s):
        return re.sub(r"\{\{\.(\w+)\}\}", lambda m: values.get(m.group(1), ""), html.unescape(s))

    flt = dict(re.findall(r'<html:code class="ocp-api-filter" id="filter-([0-9a-f]+)">(.*?)</html:code>', benchmark, re.S))
    dumps = dict(re.findall(r'<html:code class="ocp-dump-location" id="dump-([0-9a-f]+)"><xccdf-1\.2:sub [^>]*/>([^<]*)</html:code>', benchmark))
    out, seen = [(p, None, p) for p in STAGED], set()
    for endpoint, dump in re.findall(r'<html:code class="ocp-api-endpoint">([^<]*)</html:code>[^<]*'
                                     r'<html:code class="ocp-dump-location"><xccdf-1\.2:sub [^>]*/>([^<]*)</html:code>', benchmark):
        if render(dump) not in seen:
            seen.add(render(dump))
            out.append((render(endpoint), None, render(dump)))
    for hid, endpoint in re.findall(r'<html:code class="ocp-api-endpoint" id="([0-9a-f]+)">([^<]*)</html:code>', benchmark):
        if hid not in flt or hid not in dumps or render(dumps[hid]) in seen:
            continue
        seen.add(render(dumps[hid]))
        out.append((render(endpoint), render(flt[hid]), render(dumps[hid])))
    return out


def meta(name, namespace=None):
    m = {"name": name, "uid": "00000000-0000-4000-8000-%012d" % (abs(hash((name, namespace))) % 10**12),
         "resourceVersion": "1", "creationTimestamp": "2026-11-30T00:00:00Z", "labels": {"app": name}}
    if namespace:
        m["namespace"] = namespace
    return m


KINDS = ("namespaces", "rolebindings", "roles", "netpols", "deployments")


def counts(total, asked):
    """Objects per big list (KINDS: namespaces, cluster role bindings, roles, network
    policies, deployments): what `asked` gives a kind (None: not asked), the rest of
    `total` split evenly over the kinds not asked."""
    free = [k for k in KINDS if asked.get(k) is None]
    rest = max(0, total - sum(asked[k] for k in KINDS if k not in free))
    c = {k: asked[k] if k not in free else rest // len(free) for k in KINDS}
    c["namespaces"] = max(1, c["namespaces"])
    return c


def objects(c):
    """API path -> object, with the big lists as `counts` gives them. Role bindings, roles,
    network policies and deployments go round the namespaces."""
    spaces = ["app-%05d" % i for i in range(c["namespaces"])]
    at = lambda i: spaces[i % len(spaces)]
    res = {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}}
    lst = lambda kind, items: {"kind": kind + "List", "apiVersion": "v1", "metadata": {"resourceVersion": "1"}, "items": items}
    o = {
        "/version": {"major": "1", "minor": "25", "gitVersion": "v1.25.4"},
        "/apis/config.openshift.io/v1/clusteroperators/openshift-apiserver":
            {"kind": "ClusterOperator", "metadata": meta("openshift-apiserver"), "status": {"versions": [{"name": "operator", "version": "4.12.0"}]}},
        "/apis/config.openshift.io/v1/networks/cluster": {"kind": "Network", "metadata": meta("cluster"), "status": {"networkType": "OVNKubernetes"}},
        "/apis/config.openshift.io/v1/infrastructures/cluster": {"kind": "Infrastructure", "metadata": meta("cluster"), "status": {"platform": "AWS"}},
        "/api/v1/namespaces": lst("Namespace", [{"kind": "Namespace", "metadata": meta(s), "status": {"phase": "Active"}} for s in spaces]),
        "/apis/rbac.authorization.k8s.io/v1/roles?limit=1000": lst("Role", [
            {"kind": "Role", "metadata": meta("developer-%d" % i, at(i)), "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]}
            for i in range(c["roles"])]),
        "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings": lst("ClusterRoleBinding", [
            {"kind": "ClusterRoleBinding", "metadata": meta("binding-%d" % i), "roleRef": {"kind": "ClusterRole", "name": "view"},
             "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": at(i)}]} for i in range(c["rolebindings"])]),
        "/apis/networking.k8s.io/v1/networkpolicies": lst("NetworkPolicy", [
            {"kind": "NetworkPolicy", "metadata": meta("deny-by-default-%d" % i, at(i)), "spec": {"podSelector": {}, "ingress": []}}
            for i in range(c["netpols"])]),
        # Every other deployment sets no limits: the content's filter lists those.
        "/apis/apps/v1/deployments?limit=500": lst("Deployment", [
            {"kind": "Deployment", "metadata": meta("web-%d" % i, at(i)), "spec": {"replicas": 1, "template": {"metadata": {"labels": {"app": "web"}},
             "spec": {"containers": [{"name": "web", "image": "registry.example.com/web:1",
                                      "resources": res if i % 2 == 0 else {"requests": res["requests"]}}]}}}}
            for i in range(c["deployments"])]),
    }
    kubelet = {"kind": "KubeletConfiguration", "readOnlyPort": 0, "authentication": {"anonymous": {"enabled": False}},
               "authorization": {"mode": "Webhook"}, "protectKernelDefaults": True, "tlsMinVersion": "VersionTLS12"}
    o["/kubeletconfig/role/master"] = kubelet
    o["/kubeletconfig/role/worker"] = kubelet
    return o


def write_tree(root, c, jq):
    os.makedirs(os.path.join(root, "etc/kubernetes"), exist_ok=True)
    with open(os.path.join(root, "etc/os-release"), "w") as f:
        f.write('NAME="Red Hat Enterprise Linux CoreOS"\nID="rhcos"\nVERSION_ID="4.12"\n')
    with open(os.path.join(root, "etc/kubernetes/kubelet.conf"), "w") as f:
        json.dump({"kind": "KubeletConfiguration", "protectKernelDefaults": True, "tlsMinVersion": "VersionTLS12"}, f)
    fetched = root + "-fetched"
    os.makedirs(fetched)
    files, objs = {}, objects(c)
    for n, (path, obj) in enumerate(objs.items()):
        files[path] = os.path.join(fetched, "%d.json" % n)
        with open(files[path], "w") as f:
            json.dump(obj, f, sort_keys=True, separators=(",", ":"))
    with open(CONTENT, encoding="utf-8") as f:
        benchmark = f.read()
    for endpoint, flt, dump in filters(benchmark):
        if endpoint not in files:
            continue
        if flt is None:
            put(root, dump, open(files[endpoint]).read())
            continue
        r = subprocess.run([jq, "-c", flt, files[endpoint]], capture_output=True, text=True)
        if r.returncode == 0 and r.stdout.strip():
            put(root, dump, r.stdout.split("\n")[0])
    for role in ("master", "worker"):
        put(root, "/kubeletconfig/role/" + role, open(files["/kubeletconfig/role/" + role]).read())
    shutil.rmtree(fetched)


def put(root, path, text):
    full = os.path.join(root, DUMP, path.lstrip("/"))
    os.makedirs(os.path.dirname(full), mode=0o700, exist_ok=True)
    with open(full, "w") as f:
        f.write(text)
    return full


def timed(cmd, env=None):
    start = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return time.monotonic() - start, r


def results(path):
    text = open(path, encoding="utf-8").read()
    return dict(re.findall(r'rule-result [^>]*idref="([^"]+)"[^>]*>\s*<(?:[a-z0-9.-]+:)?result>([a-z]+)<', text))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--objects", type=int, default=40000)
    for k in KINDS:
        ap.add_argument("--" + k, type=int, help="this many %s (default: an even share of --objects)" % k)
    ap.add_argument("--profile", default="moderate")
    ap.add_argument("--rule", action="append", default=[], help="time only this rule (short id; repeatable)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--vigil", default=os.path.join(HERE, "..", ".build", "release", "vigil"))
    ap.add_argument("--no-oscap", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the generated tree and print where it is")
    a = ap.parse_args()
    jq = shutil.which("jq")
    if not jq:
        sys.exit("jq is needed (apt-get install jq)")
    if not os.path.exists(a.vigil):
        sys.exit("no vigil binary at %s (swift build -c release)" % a.vigil)
    work = tempfile.mkdtemp(prefix="vigil-ocp-dump-")
    root = os.path.join(work, "root")
    t0 = time.monotonic()
    c = counts(a.objects, {k: getattr(a, k) for k in KINDS})
    write_tree(root, c, jq)
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(os.path.join(root, DUMP)) for f in fs)
    print("dump: %d objects (%s), %.1f MB, generated in %.1f s (%s)" % (
        sum(c.values()), ", ".join("%d %s" % (c[k], k) for k in KINDS), size / 1e6, time.monotonic() - t0, root))
    vig, osc = [], []
    vres, ores = os.path.join(work, "vigil.xml"), os.path.join(work, "oscap.xml")
    for _ in range(a.rounds):
        t, r = timed([a.vigil, "scan", CONTENT, "--profile", a.profile, "--root", root, "--results", vres,
                      "--quiet", "--no-store", "--allow-empty"] + [x for rule in a.rule for x in ("--rule", rule)])
        if r.returncode not in (0, 2):
            sys.exit("vigil failed (%d): %s" % (r.returncode, r.stderr))
        vig.append(t)
        if not a.no_oscap:
            env = dict(os.environ, OSCAP_PROBE_ROOT=root)
            rules = [x for rule in a.rule for x in ("--rule", "xccdf_org.ssgproject.content_rule_" + rule)]
            t, r = timed(["oscap", "xccdf", "eval", "--profile", a.profile, "--results", ores] + rules + [CONTENT], env)
            osc.append(t)
    v = statistics.median(vig)
    print("vigil: %.2f s (median of %d; %s)" % (v, len(vig), ", ".join("%.2f" % x for x in vig)))
    if osc:
        o = statistics.median(osc)
        print("oscap: %.2f s (median of %d)" % (o, len(osc)))
        print("vigil / oscap: %.3f" % (v / o))
        rv, ro = results(vres), results(ores)
        differ = sorted(k for k in ro if rv.get(k) != ro[k])
        print("verdicts: %d rules, %d differ%s" % (len(ro), len(differ), (": " + ", ".join(differ[:10])) if differ else ""))
    print("target: vigil under 5 s:", "met" if v < 5 else "NOT met")
    if not a.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
