#!/usr/bin/env bash
# CI smoke: builds the fuzzers and runs every target for SECONDS (default 5) from the checked-in seeds only (new
# inputs go to a temporary directory, nothing in the tree changes). Every seed, including every regression input,
# is executed first, so a reintroduced crash fails here. Exit status non-zero on any crash or property violation.
# Usage: Fuzz/smoke.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_TO_RUN=${1:-5}
FLAGS=(-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld)
swift build -c release "${FLAGS[@]}" --product ShamirFuzz
swift build -c release "${FLAGS[@]}" --product EscrowFuzz
SCRATCH=$(mktemp -d)
trap 'rm -rf "$SCRATCH"' EXIT
ESCROW_TARGETS=(json strict-decoder event event-mutation bundle identity-file identity-line otpauth base32
    slip39-share slip39-combine fold)
for target in shamir "${ESCROW_TARGETS[@]}"; do
    mkdir -p "$SCRATCH/$target"
    if [[ $target == shamir ]]; then
        command=(.build/release/ShamirFuzz -max_len=4096)
    else
        command=(env ESCROW_FUZZ_TARGET="$target" .build/release/EscrowFuzz -max_len=8192)
    fi
    if ! "${command[@]}" -max_total_time="$SECONDS_TO_RUN" -print_final_stats=1 -artifact_prefix="$SCRATCH/" \
        "$SCRATCH/$target" "seeds/$target" >"$SCRATCH/$target.log" 2>&1; then
        tail -n 40 "$SCRATCH/$target.log" >&2
        echo "fuzz smoke: $target FAILED" >&2
        exit 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$SCRATCH/$target.log")
    echo "fuzz smoke: $target ok (${runs:-?} executions in $SECONDS_TO_RUN s)"
done
