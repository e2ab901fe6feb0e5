#!/bin/bash
# CPU cost of one scrape-and-KPI cycle for the lab cluster, next to a reference measured in the same run: the time
# Go's expfmt parser (prometheus/common, as in prom2json and many Go tools) needs just to parse the same pages.
#
# usage: tests/bench/run_collect_bench.sh [BUILD_DIR [ITERATIONS]]
#   BUILD_DIR   a Release build tree (default: build/release); bench_collect_cycle is (re)built in it
# Needs golang-go and golang-github-prometheus-common-dev (expfmt_bench builds offline from Debian's Go sources).
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$repo/build/release}
iterations=${2:-2000}
pages=$repo/tests/fixtures/kpi_lab_round
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake --build "$build" --target bench_collect_cycle > "$tmp/build.log" || { cat "$tmp/build.log"; exit 1; }
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE=$tmp/gocache GOFLAGS=-mod=mod \
    go build -o "$tmp/expfmt_bench" "$repo/tests/bench/expfmt_bench.go"

echo "== ClusterDeck: parse + KPI engine over the 7 lab pages, $iterations cycles (a/b snapshots alternate)"
"$build/tests/bench/bench_collect_cycle" --pages "$pages" --iterations "$iterations"

# expfmt parses one file per process: time each of the cycle's pages (the a snapshots) the same number of times.
total=0
for page in "$pages"/*.a.prom; do
    line=$("$tmp/expfmt_bench" "$page" "$iterations")
    seconds=$(sed -n 's/.*seconds=\([^ ]*\).*/\1/p' <<< "$line")
    total=$(awk -v a="$total" -v b="$seconds" 'BEGIN{print a+b}')
done
echo "== reference: Go expfmt parsing the same 7 pages only (no KPIs), $iterations times"
awk -v t="$total" -v n="$iterations" 'BEGIN{printf "  wall per cycle: %.1f us (parse only)\n", t*1e6/n}'
