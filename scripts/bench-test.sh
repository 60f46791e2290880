#!/usr/bin/env bash
# Benchmark `sigc test`: events per second for 100 rules over SigmaHQ's regression events,
# repeated to at least 1,000,000 events (about 1.7 GB of JSON, one event file per line).
# Not a test: run it by hand when checking performance.
#
#   scripts/bench-test.sh [MIN_EVENTS]      (default 1000000)
#
# The rules are those named by the first 100 regression cases (process_creation rules); the
# events are every case's JSON recording, compacted. Prints sigc's own summary line (events,
# matches, seconds, events/s) and the wall-clock time. Needs ../shared beside the checkout.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus/sigmahq
data=$corpus/regression_data/rules/windows/process_creation
min_events="${1:-1000000}"
work="${TMPDIR:-/tmp}/sigc-bench-test"
[ -d "$data" ] || { echo "$data: no such directory" >&2; exit 2; }
cargo build --release --quiet -p sigc
rm -rf "$work"
mkdir -p "$work/rules"

# 100 rules: the ones the first 100 cases (sorted) name.
ids=$(for info in $(ls -d "$data"/*/ | sort | head -100); do
    sed -n 's/^ *- id: \(.*\)$/\1/p' "$info/info.yml" | head -1
done | paste -sd'|')
grep -rlE "^id: ($ids)\$" "$corpus/rules" | while read -r rule; do cp "$rule" "$work/rules/"; done
echo "rules: $(ls "$work/rules" | wc -l)"

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
target/release/sigc test --events "$work/events.jsonl" "$work/rules" > /dev/null
end=$(date +%s.%N)
echo "wall clock: $(echo "$end - $start" | bc) s on $(nproc) cores"
rm -rf "$work"
