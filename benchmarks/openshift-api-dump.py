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
what is left of --objects); the other lists' objects go round the namespaces. As the
operator does, only what the content names is written: raw lists (roles, cluster role
bindings) and filter results (the user namespaces' objects, the namespaces with a network
policy, the deployments without limits). Then runs `vigil scan` and
`oscap xccdf eval` (OSCAP_PROBE_ROOT) with the platform profile, each --rounds times,
and prints the median wall times and their ratio, and whether every verdict agrees. With
--netpol-rule, the same for a rule of its own that compares every user namespace with a
variable of the namespaces that have a network policy (variables over large item sets).

    swift build -c release
    benchmarks/openshift-api-dump.py                    # 40,000 objects, profile moderate, 3 rounds
    benchmarks/openshift-api-dump.py --objects 100000 --rounds 1 --no-oscap
    benchmarks/openshift-api-dump.py --namespaces 20000 --rolebindings 20000 --netpols 20000 \
        --rule configure_network_policies_namespaces --netpol-rule   # variables over 20,000 namespaces

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


NAMESPACES_DUMP = "/api/v1/namespaces#34d4beecc95c65d815d9d48fd4fdcb0c521631852ad088ef74e36d012b0e1e0d"
NETPOL_DUMP = "/apis/networking.k8s.io/v1/networkpolicies#51742b3e87275db9eb7fc6c0286a9e536178a2a83e3670b615ceaf545e7fd300"


def netpol_rule(work):
    """Writes an XCCDF benchmark with one rule, "every user namespace has a network
    policy": a variable of the user namespaces (from the content's own namespaces dump)
    whose every value is compared with a variable of the namespaces that have one (from
    its network-policy dump), variables over large item sets that the platform content's
    rules only count. Returns the benchmark's path."""
    d = "/" + DUMP
    oval = f"""<?xml version="1.0"?>
<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
  xmlns:oval="http://oval.mitre.org/XMLSchema/oval-common-5"
  xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent">
<generator><oval:schema_version>5.11.3</oval:schema_version><oval:timestamp>2026-12-01T00:00:00</oval:timestamp></generator>
<definitions><definition id="oval:bench:def:1" version="1" class="compliance">
  <metadata><title>Every user namespace has a network policy</title><description>x</description></metadata>
  <criteria><criterion test_ref="oval:bench:tst:1"/></criteria></definition></definitions>
<tests><ind:variable_test id="oval:bench:tst:1" version="1" check="all" check_existence="at_least_one_exists" comment="x">
  <ind:object object_ref="oval:bench:obj:3"/><ind:state state_ref="oval:bench:ste:1"/></ind:variable_test></tests>
<objects>
  <ind:yamlfilecontent_object id="oval:bench:obj:1" version="1">
    <ind:filepath>{d}{NAMESPACES_DUMP}</ind:filepath><ind:yamlpath>[:].metadata.name</ind:yamlpath></ind:yamlfilecontent_object>
  <ind:yamlfilecontent_object id="oval:bench:obj:2" version="1">
    <ind:filepath>{d}{NETPOL_DUMP}</ind:filepath><ind:yamlpath>[:]</ind:yamlpath></ind:yamlfilecontent_object>
  <ind:variable_object id="oval:bench:obj:3" version="1"><ind:var_ref>oval:bench:var:2</ind:var_ref></ind:variable_object>
</objects>
<states><ind:variable_state id="oval:bench:ste:1" version="1">
  <ind:value operation="equals" var_ref="oval:bench:var:1" var_check="at least one" entity_check="all"/>
</ind:variable_state></states>
<variables>
  <local_variable id="oval:bench:var:1" version="1" datatype="string" comment="namespaces with a network policy">
    <object_component object_ref="oval:bench:obj:2" item_field="value" record_field="#"/></local_variable>
  <local_variable id="oval:bench:var:2" version="1" datatype="string" comment="user namespaces">
    <object_component object_ref="oval:bench:obj:1" item_field="value" record_field="#"/></local_variable>
</variables>
</oval_definitions>
"""
    xccdf = """<?xml version="1.0"?>
<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.example_benchmark_netpol" resolved="1">
  <status>draft</status><title>Network policies</title><version>1</version>
  <Rule id="xccdf_org.example_rule_netpol_per_namespace" selected="true" severity="high"><title>Every user namespace has a network policy</title>
    <check system="http://oval.mitre.org/XMLSchema/oval-definitions-5"><check-content-ref href="netpol-oval.xml" name="oval:bench:def:1"/></check></Rule>
</Benchmark>
"""
    with open(os.path.join(work, "netpol-oval.xml"), "w") as f:
        f.write(oval)
    with open(os.path.join(work, "netpol-xccdf.xml"), "w") as f:
        f.write(xccdf)
    return os.path.join(work, "netpol-xccdf.xml")


def timed(cmd, env=None):
    start = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return time.monotonic() - start, r


def results(path):
    text = open(path, encoding="utf-8").read()
    return dict(re.findall(r'rule-result [^>]*idref="([^"]+)"[^>]*>\s*<(?:[a-z0-9.-]+:)?result>([a-z]+)<', text))


def side_by_side(a, work, root, label, vigil_args, oscap_args):
    """Runs vigil and oscap (unless --no-oscap) --rounds times each on `root`; prints the
    median times, their ratio and whether the verdicts agree; returns vigil's median."""
    vig, osc = [], []
    vres, ores = os.path.join(work, "vigil.xml"), os.path.join(work, "oscap.xml")
    for stale in (vres, ores):
        if os.path.exists(stale):
            os.remove(stale)
    for _ in range(a.rounds):
        t, r = timed([a.vigil, "scan"] + vigil_args + ["--root", root, "--results", vres, "--quiet", "--no-store", "--allow-empty"])
        if r.returncode not in (0, 2):
            sys.exit("vigil failed (%d): %s" % (r.returncode, r.stderr))
        vig.append(t)
        if not a.no_oscap:
            t, r = timed(["oscap", "xccdf", "eval", "--results", ores] + oscap_args, dict(os.environ, OSCAP_PROBE_ROOT=root))
            osc.append(t)
    v = statistics.median(vig)
    print("%s: vigil %.2f s (median of %d; %s)" % (label, v, len(vig), ", ".join("%.2f" % x for x in vig)))
    if osc:
        o = statistics.median(osc)
        print("%s: oscap %.2f s (median of %d), vigil / oscap %.3f" % (label, o, len(osc), v / o))
        rv, ro = results(vres), results(ores)
        differ = sorted(k for k in ro if rv.get(k) != ro[k])
        print("%s: verdicts: %d rules, %d differ%s" % (label, len(ro), len(differ), (": " + ", ".join(differ[:10])) if differ else ""))
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--objects", type=int, default=40000)
    for k in KINDS:
        ap.add_argument("--" + k, type=int, help="this many %s (default: an even share of --objects)" % k)
    ap.add_argument("--profile", default="moderate")
    ap.add_argument("--rule", action="append", default=[], help="time only this rule (short id; repeatable)")
    ap.add_argument("--netpol-rule", action="store_true",
                    help="also time a rule comparing every user namespace with a variable of the namespaces with a network policy")
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
    rules = [x for rule in a.rule for x in ("--rule", rule)]
    oscap_rules = [x for rule in a.rule for x in ("--rule", "xccdf_org.ssgproject.content_rule_" + rule)]
    v = side_by_side(a, work, root, "ocp4 " + a.profile, [CONTENT, "--profile", a.profile] + rules,
                     ["--profile", a.profile] + oscap_rules + [CONTENT])
    print("target: vigil under 5 s:", "met" if v < 5 else "NOT met")
    if a.netpol_rule:
        bench = netpol_rule(work)
        side_by_side(a, work, root, "netpol rule", [bench], [bench])
    if not a.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
