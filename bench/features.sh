#!/usr/bin/env bash
# The wave-2 features' cost on ingest and the pipeline (issues 19, 21, 22, 23): the same bench (ingest + pipeline
# stages of bench/run.ts) back to back — features off, a 200-point data plan on every batch,
# 20 calculated attributes + 20 audiences, a Live Stream viewer attached, then the rules (pipeline only): an
# All-Outputs echo rule on a service binding (RPC and fetch), and two workspaces without / with an HTTPS rule that never answers
# on the first — one report each in bench/.
# Run: npm run bench:features  (about 20 minutes; BENCH_SECONDS / PIPELINE_SECONDS shorten or lengthen it)
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_ONLY="${BENCH_ONLY:-ingest,pipeline}" BENCH_SECONDS="${BENCH_SECONDS:-15}"
run() { local out=$1; shift; echo "== $out ($*)" >&2; env "$@" BENCH_OUT="bench/$out" npx tsx bench/run.ts; }
run results-features-off.md BENCH_DATA_PLAN=0
run results-data-plan.md BENCH_DATA_PLAN=1
run results-live-viewer.md BENCH_LIVE_VIEWER=1
BENCH_ONLY=pipeline run results-audiences.md BENCH_AUDIENCES=1
# Rules (issue 23), pipeline only, shorter windows (about 80 s each; RULE_PIPELINE_SECONDS=60 for the standard
# window): a baseline without rules at the same settings, the echo rule over Workers RPC (interface "rpc") and over
# fetch, then two workspaces without / with the HTTPS rule that never answers.
rule() { BENCH_ONLY=pipeline PIPELINE_SECONDS="${RULE_PIPELINE_SECONDS:-30}" PIPELINE_WARMUP_SECONDS="${RULE_WARMUP_SECONDS:-10}" run "$@"; }
rule results-rule-off.md BENCH_RULE=0
rule results-rule.md BENCH_RULE=1
rule results-rule-fetch.md BENCH_RULE=fetch
rule results-rule-two-workspaces.md BENCH_WORKSPACE_B=1
rule results-rule-https-timeout.md BENCH_RULE=https-timeout
