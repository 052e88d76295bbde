#!/usr/bin/env bash
# Builds and runs Vigil's libFuzzer targets (Tests/Fuzz/<target>/, declared in Package.swift).
#
#   Tests/Fuzz/run.sh [build|seeds|run|all] [TARGET...]      (default: all, every target)
#   Tests/Fuzz/run.sh minimize TARGET CRASH-FILE              (writes CRASH-FILE.min)
#
# build  swift build -c release with -sanitize=fuzzer (libFuzzer from the Swift toolchain)
#        into a scratch folder of its own (.build-fuzz), so the plain .build is untouched;
# seeds  writes seed inputs from the installed SSG content and rules/ (Tests/Fuzz/seeds.py);
# run    runs each target for FUZZ_RUNS executions or FUZZ_TIME seconds, whichever ends
#        first, under `nice`, and prints executions, exec/s, coverage and findings.
#
# Settings (environment): FUZZ_RUNS (1000000), FUZZ_TIME (seconds, 0 = no limit),
# FUZZ_RSS_MB (2048), FUZZ_NICE (15), FUZZ_SANITIZE (fuzzer; "fuzzer,address" adds ASan),
# FUZZ_WORK (.build-fuzz/work: seeds, corpus, crashes, logs), FUZZ_KEEP_GOING=1 (fork mode:
# keep fuzzing after a crash, timeout or OOM), FUZZ_SSG (/usr/share/xml/scap/ssg/content).
# With ASan, fuzz-rules needs ASAN_OPTIONS=detect_leaks=0 (see Tests/Fuzz/findings/README.md).
# Swift's own crash backtracer is turned off so that libFuzzer's signal handler saves the input.
# A crash, timeout or OOM input is saved as $FUZZ_WORK/artifacts/<target>/{crash,timeout,oom}-*;
# replay it with the libFuzzer binary, or with a plain build: .build/debug/<target> FILE.
set -euo pipefail
cd "$(dirname "$0")/../.."

ALL="fuzz-content fuzz-rules fuzz-waivers fuzz-oval-compare fuzz-oval-regex fuzz-image-layer"
RUNS=${FUZZ_RUNS:-1000000}
TIME=${FUZZ_TIME:-0}
RSS=${FUZZ_RSS_MB:-2048}
NICE=${FUZZ_NICE:-15}
SANITIZE=${FUZZ_SANITIZE:-fuzzer}
# A build with other sanitizers goes to a scratch folder of its own (.build-fuzz-address for
# "fuzzer,address") and logs as <target>-address.log; seeds and corpus are shared.
TAG=$(echo "$SANITIZE" | sed 's/^fuzzer,*//; s/,/-/g')
SCRATCH=.build-fuzz${TAG:+-$TAG}
WORK=${FUZZ_WORK:-.build-fuzz/work}
SSG=${FUZZ_SSG:-/usr/share/xml/scap/ssg/content}

# Per target: longest input (bytes) and the time one input may take (seconds).
max_len() { case $1 in fuzz-content) echo 65536 ;; fuzz-image-layer) echo 32768 ;; fuzz-rules) echo 8192 ;; fuzz-oval-regex) echo 2048 ;; fuzz-oval-compare) echo 1024 ;; *) echo 4096 ;; esac; }
timeout_s() { case $1 in fuzz-oval-regex) echo 30 ;; fuzz-content|fuzz-rules) echo 20 ;; *) echo 10 ;; esac; }

binary() { echo "$SCRATCH/release/$1"; }

build() {
    # -sanitize=fuzzer links libFuzzer (and its main, which needs LLVMFuzzerTestOneInput) into
    # every executable of the build, the EmbedTemplates build tool of VigilReports too; a weak
    # LLVMFuzzerTestOneInput lets it link (it keeps its own main, as the fuzz targets do).
    mkdir -p "$SCRATCH"
    printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
        '__attribute__((weak)) int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) { (void)data; (void)size; return 0; }' \
        > "$SCRATCH/weak-fuzz-entry.c"
    clang -c -O1 -o "$SCRATCH/weak-fuzz-entry.o" "$SCRATCH/weak-fuzz-entry.c"
    for t in "$@"; do
        echo "== building $t (-sanitize=$SANITIZE)"
        nice -n "$NICE" swift build -c release --scratch-path "$SCRATCH" \
            -Xswiftc -sanitize="$SANITIZE" -Xswiftc -DVIGIL_LIBFUZZER \
            -Xcc -fsanitize=fuzzer-no-link${TAG:+,$TAG} -Xlinker "$PWD/$SCRATCH/weak-fuzz-entry.o" --product "$t"
    done
}

seeds() {
    rm -rf "$WORK/seeds"
    nice -n "$NICE" python3 Tests/Fuzz/seeds.py "$WORK/seeds" . "$SSG"
}

run() {
    for t in "$@"; do
        local bin; bin=$(binary "$t")
        [ -x "$bin" ] || { echo "$bin missing: run '$0 build $t' first" >&2; exit 1; }
        [ -d "$WORK/seeds/$t" ] || seeds
        local tmp="$WORK/tmp/$t${TAG:+-$TAG}.$$"
        mkdir -p "$WORK/corpus/$t" "$WORK/artifacts/$t" "$WORK/logs" "$tmp"
        local extra=()
        [ "${FUZZ_KEEP_GOING:-0}" = 1 ] && extra=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
        echo "== running $t: $RUNS runs, time limit ${TIME}s, max_len $(max_len "$t"), timeout $(timeout_s "$t")s, rss ${RSS} MB"
        TMPDIR="$PWD/$tmp" SWIFT_BACKTRACE=enable=no nice -n "$NICE" "$bin" "$WORK/corpus/$t" "$WORK/seeds/$t" \
            -runs="$RUNS" -max_total_time="$TIME" -rss_limit_mb="$RSS" -timeout="$(timeout_s "$t")" \
            -max_len="$(max_len "$t")" -artifact_prefix="$WORK/artifacts/$t/" -print_final_stats=1 \
            "${extra[@]}" > "$WORK/logs/$t${TAG:+-$TAG}.log" 2>&1 || echo "$t stopped with status $? (see $WORK/logs/$t${TAG:+-$TAG}.log)"
        rm -rf "${tmp:?}"
        summary "$t"
    done
}

# One line per target from its log: executions, exec/s, coverage, findings.
summary() {
    local log="$WORK/logs/$1${TAG:+-$TAG}.log"
    [ -f "$log" ] || return 0
    local execs rate last final
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    final=$(echo "$last" | grep -oE 'cov: [0-9]+ ft: [0-9]+' || true)
    # Fork mode (FUZZ_KEEP_GOING) prints no final stats: its last status line counts instead.
    [ -n "$execs" ] || execs=$(echo "$last" | grep -oE '^#[0-9]+' | tr -d '#' || true)
    local secs; secs=$(echo "$last" | grep -oE 'time: [0-9]+s' | grep -oE '[0-9]+' || true)
    [ -n "$rate" ] || { [ -n "$secs" ] && [ "$secs" -gt 0 ] && rate=$((execs / secs)); } || true
    printf '%-18s executions %s, %s exec/s, %s, findings: %s\n' "$1" "${execs:-?}" "${rate:-?}" "${final:-no coverage line}" \
        "$(ls "$WORK/artifacts/$1" 2>/dev/null | tr '\n' ' ' | sed 's/ $//' | grep . || echo none)"
}

minimize() {
    local t=$1 crash=$2
    SWIFT_BACKTRACE=enable=no nice -n "$NICE" "$(binary "$t")" -minimize_crash=1 -runs=20000 -max_len="$(max_len "$t")" \
        -timeout="$(timeout_s "$t")" -rss_limit_mb="$RSS" -exact_artifact_path="$crash.min" "$crash"
}

cmd=${1:-all}
[ $# -gt 0 ] && shift
case $cmd in
    build) build ${@:-$ALL} ;;
    seeds) seeds ;;
    run) run ${@:-$ALL} ;;
    all) build ${@:-$ALL}; seeds; run ${@:-$ALL} ;;
    summary) for t in ${@:-$ALL}; do summary "$t"; done ;;
    minimize) minimize "$@" ;;
    *) sed -n '2,20p' "$0"; exit 2 ;;
esac
