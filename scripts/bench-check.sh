#!/usr/bin/env bash
# Benchmark `sigc check` over a whole rule corpus (default: the SigmaHQ corpus beside the
# checkout), with hyperfine. Not a test: run it by hand when checking performance.
#
#   scripts/bench-check.sh [RULES_DIR] [extra hyperfine args…]
#
# Needs hyperfine (`apt-get install hyperfine` or `cargo install hyperfine`). Builds sigc in
# release mode first. If `sigma` (sigma-cli) is on PATH, it is timed on the same input too, with
# SigmaHQ's validator selection, for comparison (one run: it takes minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
rules="${1:-../shared/corpus/sigmahq/rules}"
shift || true
command -v hyperfine >/dev/null || { echo "hyperfine not found" >&2; exit 2; }
[ -d "$rules" ] || { echo "$rules: no such directory" >&2; exit 2; }
cargo build --release --quiet
config=tests/fixtures/check/sigmahq_config.yml
echo "rules: $(find "$rules" -name '*.yml' | wc -l) files in $rules"
# Exit status 1 means "findings", which is expected on a real corpus.
hyperfine --warmup 3 -i "$@" \
    -n "sigc check (all validators)" "target/release/sigc check --format json $rules" \
    -n "sigc check (SigmaHQ selection)" "target/release/sigc check -c $config --format json $rules"
if command -v sigma >/dev/null; then
    cat > "${TMPDIR:-/tmp}/sigmahq_cli_conf.yml" <<'YAML'
validators: [all, -tlptag, -tlpv1_tag, -sigmahq_fieldname_cast, -sigmahq_filename_prefix,
             -sigmahq_logsource_unknown, -sigmahq_ofselection_condition, -sigmahq_sysmon_missing_eventid]
YAML
    hyperfine --runs 1 -i -n "sigma check (SigmaHQ selection)" \
        "sigma check --validation-config ${TMPDIR:-/tmp}/sigmahq_cli_conf.yml $rules"
fi
