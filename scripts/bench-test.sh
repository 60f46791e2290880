#!/usr/bin/env bash
# Benchmark `sigc test`: events per second for Sigma rules over SigmaHQ's regression events,
# repeated to at least MIN_EVENTS events (1,000,000 is about 1.7 GB of JSON, one event file per
# line). Not a test: run it by hand when checking performance.
#
#   scripts/bench-test.sh [MIN_EVENTS [RULES]]     (defaults: 1000000 100)
#
# RULES is a number N, for the rules named by the first N regression cases (process_creation
# rules), or `all` for the whole SigmaHQ rules directory. The events are every case's JSON
# recording, compacted. Prints sigc's own summary line (events, matches, seconds, events/s) and
# the wall-clock time. Needs ../shared beside the checkout.
#
# Environment: SIGC=path benchmarks that binary instead of building one; RAYON_NUM_THREADS
# limits the evaluation threads; KEEP=1 leaves the rules and events in $TMPDIR/sigc-bench-test.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/sigmahq
data=$corpus/regression_data/rules/windows/process_creation
min_events="${1:-1000000}"
which_rules="${2:-100}"
work="${TMPDIR:-/tmp}/sigc-bench-test"
[ -d "$data" ] || { echo "$data: no such directory" >&2; exit 2; }
sigc="${SIGC:-}"
if [ -z "$sigc" ]; then
    cargo build --release --quiet -p sigc
    sigc=target/release/sigc
fi
rm -rf "$work"
mkdir -p "$work/rules"

if [ "$which_rules" = all ]; then
    rules=$corpus/rules
else
    # The rules the first N cases (sorted) name.
    ids=$(for info in $(ls -d "$data"/*/ | sort | head -"$which_rules"); do
        sed -n 's/^ *- id: \(.*\)$/\1/p' "$info/info.yml" | head -1
    done | paste -sd'|')
    grep -rlE "^id: ($ids)\$" "$corpus/rules" | while read -r rule; do cp "$rule" "$work/rules/"; done
    rules=$work/rules
fi
echo "rules: $(find "$rules" -name '*.yml' | wc -l) files"

# One line per recording (a recording of several events is several concatenated objects).
for json in "$data"/*/*.json; do
    sed 's/^ *//' "$json" | tr -d '\n'
    echo
done > "$work/base.jsonl"
per_copy=$(grep -o '"EventRecordID"' "$work/base.jsonl" | wc -l)
copies=$(( (min_events + per_copy - 1) / per_copy ))
for _ in $(seq "$copies"); do cat "$work/base.jsonl"; done > "$work/events.jsonl"
echo "events: $(( copies * per_copy )) ($(du -h "$work/events.jsonl" | cut -f1))"

# Warm the page cache, then measure.
cat "$work/events.jsonl" > /dev/null
start=$(date +%s.%N)
"$sigc" test --events "$work/events.jsonl" "$rules" > /dev/null
end=$(date +%s.%N)
echo "wall clock: $(echo "$end - $start" | bc) s on $(nproc) cores, RAYON_NUM_THREADS=${RAYON_NUM_THREADS:-unset}"
[ "${KEEP:-}" = 1 ] || rm -rf "$work"
