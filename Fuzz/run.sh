#!/usr/bin/env bash
# Builds the libFuzzer targets of the Shamir module (address sanitizer on) and fuzzes for SECONDS (default 60).
# Usage: Fuzz/run.sh [SECONDS] [extra libFuzzer flags...]
# The corpus grows in Fuzz/corpus (seeds are checked in under Fuzz/seeds); crashes land in Fuzz/artifacts.
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_TO_RUN=${1:-60}
shift || true
swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld --product ShamirFuzz
mkdir -p corpus artifacts
exec .build/release/ShamirFuzz -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix=artifacts/ "$@" corpus seeds
