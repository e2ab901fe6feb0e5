#!/bin/bash
# Exposition parser throughput next to Go's expfmt parser (prometheus/common, as in prom2json), same pages, same run.
#
# usage: tests/bench/run_parser_bench.sh [BUILD_DIR [FILE...]]
#   BUILD_DIR  a Release build tree (default: build/release); bench_parser is (re)built in it
#   FILE       pages to measure (default: every golden page of tests/fixtures/pages, the gzip'd ones unpacked)
# Needs golang-go and golang-github-prometheus-common-dev: expfmt_bench builds offline from Debian's Go sources.
# Each side runs 3 times, alternating, for about a second each; the best run counts (shared machines are noisy).
# expfmt reads only the text format, so OpenMetrics pages (.om) get no expfmt figure.
# Two figures of ours: "reused" keeps one MetricPage across parses (the parser's own speed), "fresh" fills a new
# page per parse as the scraper does (its pages outlive the parse); both are compared with expfmt of this run.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$repo/build/release}
[ $# -gt 0 ] && shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake --build "$build" --target bench_parser > "$tmp/build.log" || { cat "$tmp/build.log"; exit 1; }
ours=$build/tests/bench/bench_parser
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=$tmp/gocache GOFLAGS=-mod=mod \
    go build -o "$tmp/expfmt_bench" "$repo/tests/bench/expfmt_bench.go"

files=("$@")
if [ ${#files[@]} -eq 0 ]; then
    for f in "$repo"/tests/fixtures/pages/*.prom "$repo"/tests/fixtures/pages/*.om; do files+=("$f"); done
    for f in "$repo"/tests/fixtures/pages/*.prom.gz; do
        gunzip -c "$f" > "$tmp/$(basename "${f%.gz}")"
        files+=("$tmp/$(basename "${f%.gz}")")
    done
fi

field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<< "$2"; }
best() { # best MBps line of 3 runs: best CMD...
    local top="" line
    for _ in 1 2 3; do
        line=$("$@")
        if [ -z "$top" ] || awk -v a="$(field MBps "$line")" -v b="$(field MBps "$top")" 'BEGIN{exit !(a>b)}'; then
            top=$line
        fi
    done
    echo "$top"
}

printf '%-34s %9s %8s %11s %13s %11s %11s %7s %7s\n' file bytes samples "reused MB/s" "reused smp/s" \
    "fresh MB/s" "expfmt MB/s" ratio "fresh"
for f in "${files[@]}"; do
    bytes=$(stat -c %s "$f")
    n_ours=$(( 400000000 / bytes + 10 ))
    line=$(best "$ours" "$f" "$n_ours")
    samples=$(field samples "$line")
    seconds=$(field seconds "$line")
    mbps=$(field MBps "$line")
    sps=$(awk -v s="$samples" -v n="$n_ours" -v t="$seconds" 'BEGIN{printf "%.0f", s*n/t}')
    fresh_mbps=$(field MBps "$(best "$ours" --fresh-page "$f" "$n_ours")")
    go_mbps=n/a
    ratio=n/a
    fresh_ratio=n/a
    if [[ "$f" != *.om ]]; then
        n_go=$(( 40000000 / bytes + 3 ))
        go_line=$(best "$tmp/expfmt_bench" "$f" "$n_go")
        go_mbps=$(field MBps "$go_line")
        [ "$(field samples "$go_line")" = "$samples" ] || echo "warning: $f: expfmt counted $(field samples "$go_line") samples, we $samples" >&2
        ratio=$(awk -v a="$mbps" -v b="$go_mbps" 'BEGIN{printf "%.1fx", a/b}')
        fresh_ratio=$(awk -v a="$fresh_mbps" -v b="$go_mbps" 'BEGIN{printf "%.1fx", a/b}')
    fi
    printf '%-34s %9s %8s %11s %13s %11s %11s %7s %7s\n' "$(basename "$f")" "$bytes" "$samples" "$mbps" "$sps" \
        "$fresh_mbps" "$go_mbps" "$ratio" "$fresh_ratio"
done
