#!/bin/bash
# Time and peak RSS of clusterdeckctl / clusterdeck against every hostile behaviour (issue 7), for two builds.
#
#   tests/hostile/measure.sh BEFORE_BIN_DIR AFTER_BIN_DIR [SERVER]
#
# Either BIN_DIR may be "-" to measure one build only (its column then reads n/a).
# Each BIN_DIR holds clusterdeckctl and clusterdeck (e.g. build/dev/app/ctl + app/gui copied side by side).
# SERVER is clusterdeck-hostile-server (default: build/dev/tests/hostile/...). Prints a Markdown table.
# Every run is capped: 4 GB of address space (prlimit) and 60 s (timeout); a run that hits a cap shows
# "≥". The server listens on 127.0.99.1 only and exits by itself.
set -u
before=${1:?before bin dir}
after=${2:?after bin dir}
here=$(cd "$(dirname "$0")" && pwd)
server=${3:-$here/../../build/dev/tests/hostile/clusterdeck-hostile-server}
work=$(mktemp -d /tmp/cd-hostile-measure.XXXXXX)
port=9901
base=http://127.0.99.1:$port
cap_as=4000000000
cap_s=60

"$server" --address 127.0.99.1 --port $port --for 3000 > "$work/server.log" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q http "$work/server.log" && break; sleep 0.1; done

inventory() { # name health-path metrics-path → file (scrape timeout 2 s)
    local f=$work/$1.yaml
    {
        echo "name: hostile-$1"
        echo "scrape_interval: 5s"
        echo "scrape_timeout: 2s"
        echo "nodes:"
        echo "  - name: $1"
        echo "    role: other"
        [ -n "$2" ] && echo "    health: $base$2"
        [ -n "$3" ] && echo "    metrics: $base$3"
    } > "$f"
    echo "$f"
}

# The "Done means" inventory: every hostile behaviour as a target, plus one good target.
all=$work/all.yaml
{
    echo "name: hostile-all"; echo "scrape_interval: 5s"; echo "scrape_timeout: 2s"; echo "nodes:"
    echo "  - {name: good, role: was, health: $base/good/health, metrics: $base/good/metrics}"
    for p in gzip-bomb labels huge-nolength badchunk-zz badchunk-ffff badchunk-long gzip-cut deflate-cut \
             redirect-loop om-duplicates header-flood; do
        echo "  - {name: m-$p, role: other, metrics: $base/$p}"
    done
    for p in trickle health-reset health-short health-html health-corrupt-gzip gzip-bomb huge-nolength; do
        echo "  - {name: h-$p, role: other, health: $base/$p}"
    done
} > "$all"

# Inventories of many nodes, and a file of 1M labels for `parse`.
big_inventory() { # nodes → file
    local f=$work/nodes-$1.yaml
    python3 - "$1" > "$f" <<'EOF'
import sys
n = int(sys.argv[1])
print("name: many\nnodes:")
for i in range(n):
    print(f"  - name: node{i}\n    role: was\n    metrics: http://127.1.{i // 250}.{i % 250 + 1}:8080/actuator/prometheus\n    upstream: 127.1.{i // 250}.{i % 250 + 1}:8080")
EOF
    echo "$f"
}
curl -s -o "$work/labels.prom" "$base/labels"

run() { # binary args... → "time s | peak MB | outcome"
    local bin=$1; shift
    case $bin in -/*) printf 'n/a'; return ;; esac
    local out=$work/out.txt
    # GNU time reports the child's peak RSS even when it was killed; prlimit execs the binary, so the child
    # of time is the binary itself, and that is what the deadline kills.
    local t0=$EPOCHREALTIME killed=0 child=
    QT_QPA_PLATFORM=offscreen /usr/bin/time -f "%M" -o "$work/time.txt" prlimit --as=$cap_as "$bin" "$@" > "$out" 2>&1 &
    local pid=$!
    while kill -0 $pid 2>/dev/null; do
        [ -z "$child" ] && child=$(pgrep -P $pid | head -1)
        if (( ${EPOCHREALTIME/./} - ${t0/./} > cap_s * 1000000 )); then
            [ -n "$child" ] && kill -KILL $child
            killed=1
            break
        fi
        sleep 0.05
    done
    wait $pid 2>/dev/null
    local rc=$?
    local t m
    t=$(printf '%.1f' "$(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 ))e-3")
    m=$(tail -1 "$work/time.txt" 2>/dev/null)
    local outcome
    if [ $killed = 1 ]; then
        outcome="killed at ${cap_s} s"; t="≥ $cap_s"
    elif grep -q "bad_alloc\|Cannot allocate\|out of memory" "$out"; then
        outcome="aborted: out of memory at the 4 GB cap"
    elif grep -q '"targets"' "$out"; then
        outcome="exit $rc: $(grep -c '"state": "UP"' "$out") UP, $(grep -c '"state": "DOWN"' "$out") DOWN"
    else
        local first
        first=$(grep -v '^\s*$' "$out" | grep -v '^hostile_\|^{\|^ \|^}\|^screenshot\|^name:\|^cluster \|^TARGET\|^QStandardPaths' |
                head -1 | tr -s ' ' | cut -c1-110 | tr '|' '/')
        outcome="exit $rc${first:+: $first}"
    fi
    printf '%s s | %s MB | %s' "$t" "$(( ${m:-0} / 1024 ))" "$outcome"
}

row() { # title, then the command args (with @BIN@ for clusterdeckctl, @GUI@ for clusterdeck)
    local title=$1; shift
    local argsb=() argsa=() binb binA
    case $1 in @GUI@) binb=$before/clusterdeck; binA=$after/clusterdeck ;; *) binb=$before/clusterdeckctl; binA=$after/clusterdeckctl ;; esac
    shift
    printf '| %s | %s | %s |\n' "$title" "$(run "$binb" "$@")" "$(run "$binA" "$@")"
}

echo "| behaviour | before: time, peak RSS, outcome | after: time, peak RSS, outcome |"
echo "|---|---|---|"
row "1 gzip bomb → scrape --timeout 10" @BIN@ scrape "$base/gzip-bomb" --timeout 10
row "1 gzip bomb → status (metrics)" @BIN@ status --cluster "$(inventory bomb '' /gzip-bomb)"
row "2 1M labels → parse" @BIN@ parse "$work/labels.prom"
row "2 1M labels → scrape --timeout 5" @BIN@ scrape "$base/labels" --timeout 5
row "3 health trickles 1 byte/s → status" @BIN@ status --cluster "$(inventory trickle /trickle '')"
row "3 100k-header flood → scrape --timeout 2" @BIN@ scrape "$base/header-flood" --timeout 2
row "4 health reset mid-body → status" @BIN@ status --cluster "$(inventory reset /health-reset '')"
row "4 health short body → status" @BIN@ status --cluster "$(inventory short /health-short '')"
row "4 health HTML 200 → status" @BIN@ status --cluster "$(inventory html /health-html '')"
row "4 health gzip bomb → status" @BIN@ status --cluster "$(inventory hbomb /gzip-bomb '')"
row "4 health corrupt gzip → status" @BIN@ status --cluster "$(inventory hcorrupt /health-corrupt-gzip '')"
row "4 health 2 GB body → status" @BIN@ status --cluster "$(inventory hhuge /huge-nolength '')"
row "5 2 GB body, no length → scrape" @BIN@ scrape "$base/huge-nolength" --timeout 30
row "6 chunk size zz → scrape" @BIN@ scrape "$base/badchunk-zz"
row "6 chunk size ffffffffffffffff → scrape" @BIN@ scrape "$base/badchunk-ffff"
row "6 over-long chunk → scrape" @BIN@ scrape "$base/badchunk-long"
row "6 gzip cut at flush point → scrape" @BIN@ scrape "$base/gzip-cut"
row "6 deflate cut at flush point → scrape" @BIN@ scrape "$base/deflate-cut"
row "6 badchunk as metrics → status" @BIN@ status --cluster "$(inventory badchunk '' /badchunk-zz)"
row "7 5k nodes → check" @BIN@ check "$(big_inventory 5000)"
row "7 40k nodes → check" @BIN@ check "$(big_inventory 40000)"
row "7 check /dev/zero" @BIN@ check /dev/zero
row "7 discover 28,000 targets" @BIN@ discover "$base/many"
row "8 discover --timeout nan" @BIN@ discover "$base/many" --timeout nan
row "8 clusterdeck --after nan" @GUI@ --cluster "$(inventory good /good/health /good/metrics)" --screenshot "$work/s.png" --after nan
row "8 clusterdeck --after 3000000" @GUI@ --cluster "$(inventory good2 /good/health /good/metrics)" --screenshot "$work/s.png" --after 3000000
row "11 redirect loop → scrape" @BIN@ scrape "$base/redirect-loop"
row "11 gzip bomb → discover" @BIN@ discover "$base/bomb"
row "12 OpenMetrics duplicate series → scrape" @BIN@ scrape "$base/om-duplicates"
row "all hostile + 1 good → status --json" @BIN@ status --cluster "$all" --json
row "all hostile + 1 good → GUI, screenshot after 5 s" @GUI@ --cluster "$all" --screenshot "$work/all.png" --after 5
