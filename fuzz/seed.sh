#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with seeds: the shipped rules, the test fixtures, and (when it sits
# beside the checkout) the SigmaHQ corpus and its regression events. Run from anywhere.
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
root="$fuzz/.."
shared="$root/../shared"
mkdir -p "$fuzz"/corpus/{compile,convert,check,condition,pipeline,events_json,events_evtx}

rules=("$root/rules" "$root/tests/fixtures")
[ -d "$shared/corpus/sigmahq/rules" ] && rules+=("$shared/corpus/sigmahq/rules")
find "${rules[@]}" -name '*.yml' -type f | while read -r f; do
    name="$(sha1sum "$f" | cut -c1-16)"
    for t in compile convert check; do cp "$f" "$fuzz/corpus/$t/$name"; done
    # The condition lines alone, for the condition grammar.
    grep -E '^\s+condition:' "$f" | sed -E 's/^\s+condition:\s*//' \
        > "$fuzz/corpus/condition/$name" || rm -f "$fuzz/corpus/condition/$name"
done
find "$root/pipeline/pipelines" "$root/examples" "$root/tests/fixtures/pipelines" -name '*.yml' -type f \
    | while read -r f; do cp "$f" "$fuzz/corpus/pipeline/$(sha1sum "$f" | cut -c1-16)"; done
# Events: SigmaHQ's regression JSON and EVTX files (the small ones: libFuzzer inputs stay short).
regression="$shared/corpus/sigmahq/regression_data"
if [ -d "$regression" ]; then
    find "$regression" -name '*.json' -type f -size -64k | while read -r f; do
        cp "$f" "$fuzz/corpus/events_json/$(sha1sum "$f" | cut -c1-16)"; done
    find "$regression" -name '*.evtx' -type f -size -200k | while read -r f; do
        cp "$f" "$fuzz/corpus/events_evtx/$(sha1sum "$f" | cut -c1-16)"; done
fi
echo "seeded: $(for t in compile convert check condition pipeline events_json events_evtx; do printf '%s=%s ' $t "$(ls "$fuzz/corpus/$t" | wc -l)"; done)"
