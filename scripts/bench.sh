#!/usr/bin/env bash
# Whole-process benchmark of the release binary over the SigmaHQ corpus beside the checkout:
# each job is run once to warm up, then RUNS times; the table gives the median and the min–max
# of the wall time, the median CPU time (user + system) and the median peak memory (RSS).
# Not a test: run it by hand, on a machine as quiet as you can make it.
#
#   scripts/bench.sh [RUNS]            (default 5)
#
# Environment:
#   SIGC=path       the sigc binary to time (default: build target/release/sigc)
#   BASELINE=path   another sigc binary (an older build) timed in turn with SIGC, run by run
#   SIGMA_CLI=path  sigma-cli's `sigma`, timed on the jobs it has (convert to SPL, check)
#   JOBS=regex      only the jobs whose label matches (grep -E), e.g. JOBS='check|test'
#   RSIGMA=path     rsigma, timed on `rule lint` against `check`; RSIGMA_CONVERT="ARGS…" adds
#                   `rsigma ARGS… RULES` against the conversion to SPL (its targets differ)
#   SCALE=dir       a larger corpus (`cargo run --release --example gen-corpus -- --scale 10 DIR/`)
#                   exported to 3 targets too, for the slope of time and memory in rules
# Peers are timed in turn with sigc, run by run, so a drift of the machine's speed hits both;
# each peer column ends with the ratio of sigc's median wall time to the peer's.
#
# Needs bash, GNU time (/usr/bin/time) and awk.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
corpus=../shared/corpus/sigmahq
rules=$corpus/rules
regression=$corpus/regression_data
[ -d "$rules" ] || { echo "$rules: no such directory" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) not found" >&2; exit 2; }
sigc="${SIGC:-}"
if [ -z "$sigc" ]; then
    cargo build --release --quiet -p sigc
    sigc=target/release/sigc
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Each job: a label, then sigc's arguments; `@OUT` stands for a fresh output directory each run,
# `@DIR` for one directory per job and contender, the same in every run (so every run after the
# warm-up exports again into what the previous one wrote).
jobs=(
    "convert -t splunk|convert -t splunk $rules"
    "convert -t splunk --without-pipeline|convert -t splunk --without-pipeline $rules"
    "convert -t logpoint|convert -t logpoint $rules"
    "convert -t car|convert -t car $rules"
    "export to 3 targets (-o DIR/)|convert -t splunk -t logpoint -t car -o @OUT/ $rules"
    "check|check $rules"
    "test --regression|test --regression $regression"
    "export to 3 targets again (same DIR)|convert -t splunk -t logpoint -t car -o @DIR/ $rules"
)
[ -n "${SCALE:-}" ] && jobs+=("export $(basename "$SCALE") to 3 targets|convert -t splunk -t logpoint -t car -o @OUT/ $SCALE")

# The peer command for job number $1 and contender $2, or nothing when it has no such job.
peer_args() {
    case "$2:$1" in
        sigma-cli:1) echo "convert -s -t splunk --without-pipeline $rules" ;;
        sigma-cli:5) echo "check $rules" ;;
        rsigma:1) [ -n "${RSIGMA_CONVERT:-}" ] && echo "$RSIGMA_CONVERT $rules" ;;
        rsigma:5) echo "rule lint $rules" ;;
    esac
    return 0
}

contenders=("sigc|$sigc")
[ -n "${BASELINE:-}" ] && contenders+=("baseline|$BASELINE")
[ -n "${SIGMA_CLI:-}" ] && contenders+=("sigma-cli|$SIGMA_CLI")
[ -n "${RSIGMA:-}" ] && contenders+=("rsigma|$RSIGMA")

# Runs one timed command; appends "wall cpu peak_kb" to $work/$1. Exit status 0 or 1 (findings,
# or rules a target cannot express) is a finished run; anything else stops the benchmark.
measure() {
    local file=$1
    shift
    rm -rf "$work/out"
    local status=0
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || status=$?
    if [ "$status" -gt 1 ]; then
        echo "exit $status: $*" >&2
        tail -5 "$work/stderr" >&2
        exit 1
    fi
    tail -1 "$work/time" | awk '{ printf "%s %.2f %d\n", $1, $2 + $3, $4 }' >>"$work/$file"
}

# "median (min–max)" of column $2 of file $1, and the medians of CPU and memory.
summary() {
    sort -n -k1,1 "$1" | awk '{ w[NR] = $1 } END { printf "%.2f s (%.2f–%.2f)", w[int((NR + 1) / 2)], w[1], w[NR] }'
    printf ', CPU '
    sort -n -k2,2 "$1" | awk '{ c[NR] = $2 } END { printf "%.2f s", c[int((NR + 1) / 2)] }'
    printf ', '
    sort -n -k3,3 "$1" | awk '{ m[NR] = $3 } END { printf "%d MB", m[int((NR + 1) / 2)] / 1024 }'
}

median_wall() {
    sort -n -k1,1 "$1" | awk '{ w[NR] = $1 } END { print w[int((NR + 1) / 2)] }'
}

echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
echo "rules: $(find "$rules" -name '*.yml' | wc -l) files; $runs runs after one warm-up"
header="| job |"
for c in "${contenders[@]}"; do header+=" ${c%%|*} |"; done
echo
echo "$header"
echo "|---|$(printf -- '---|%.0s' "${contenders[@]}")"
for i in "${!jobs[@]}"; do
    label=${jobs[$i]%%|*}
    if [ -n "${JOBS:-}" ] && ! grep -qE -- "$JOBS" <<<"$label"; then
        continue
    fi
    for round in $(seq 0 "$runs"); do
        for c in "${contenders[@]}"; do
            name=${c%%|*}
            bin=${c#*|}
            case "$name" in
                sigc | baseline) args=${jobs[$i]#*|} ;;
                *) args=$(peer_args "$i" "$name") ;;
            esac
            [ -n "$args" ] || continue
            args=${args//@OUT/$work/out.$i.$name.$round}
            args=${args//@DIR/$work/dir.$i.$name}
            # round 0 is the warm-up
            # shellcheck disable=SC2086
            measure "$i.$name.$round" "$bin" $args
            [ "$round" -gt 0 ] && cat "$work/$i.$name.$round" >>"$work/$i.$name"
        done
    done
    row="| $label |"
    for c in "${contenders[@]}"; do
        name=${c%%|*}
        if [ -f "$work/$i.$name" ]; then
            row+=" $(summary "$work/$i.$name")"
            if [ "$name" != sigc ]; then
                row+=", sigc/${name} $(awk -v a="$(median_wall "$work/$i.sigc")" -v b="$(median_wall "$work/$i.$name")" 'BEGIN { printf "%.3f×", a / b }')"
            fi
            row+=" |"
        else
            row+=" — |"
        fi
    done
    echo "$row"
done
