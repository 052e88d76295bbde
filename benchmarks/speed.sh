#!/usr/bin/env bash
# Every speed case of issue 18, one after the other in one run, with the machine and the
# file count printed first: a whole-file-system scan against its floors and oscap (case 1),
# generated roots of up to 1,000,000 files (case 4), YAML lists of 80,000 items, the
# 40,000-object OpenShift API dump, and 20,000 namespaces and role bindings counted by
# variables. Needs a release build (`swift build -c release`), oscap, ssg-debian and jq.
#
#     benchmarks/speed.sh 2>&1 | tee speed.log
set -euo pipefail
cd "$(dirname "$0")/.."
echo "date: $(date -u +%FT%TZ)   commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
echo "oscap: $(oscap --version | head -1)"
echo "files on /: $(find / -xdev 2>/dev/null | wc -l) before case 1 fills it to 500,000"
python3 benchmarks/compare-oscap.py --cases 1,4 --rounds "${ROUNDS:-3}"
python3 benchmarks/yaml-lists.py --sizes 10000,80000 --rounds "${ROUNDS:-3}" --oscap-timeout "${OSCAP_TIMEOUT:-300}"
python3 benchmarks/openshift-api-dump.py --rounds "${ROUNDS:-3}"
python3 benchmarks/openshift-api-dump.py --namespaces 20000 --rolebindings 20000 --netpols 20000 \
    --rule configure_network_policies_namespaces --netpol-rule --rounds "${ROUNDS:-3}"
