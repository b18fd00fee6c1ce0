#!/usr/bin/env bash
# Builds the libFuzzer executables (release, address sanitizer on) and fuzzes.
# Usage: Fuzz/run.sh [SECONDS] [TARGET] [extra libFuzzer flags...]
#   SECONDS  per target (default 60)
#   TARGET   all (default: every target in turn), shamir (ShamirFuzz), or one EscrowFuzz target:
#            json strict-decoder event event-mutation bundle identity-file identity-line otpauth base32
#            slip39-share slip39-combine fold
# Each target's corpus grows in Fuzz/corpus/<target> (seeds are checked in under Fuzz/seeds/<target>); crashes land in
# Fuzz/artifacts/<target>-….
set -euo pipefail
cd "$(dirname "$0")"
SECONDS_TO_RUN=${1:-60}
shift || true
TARGET=all
if [[ $# -gt 0 && $1 != -* ]]; then
    TARGET=$1
    shift
fi
ESCROW_TARGETS=(json strict-decoder event event-mutation bundle identity-file identity-line otpauth base32
    slip39-share slip39-combine fold)
FLAGS=(-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library -Xswiftc -use-ld=lld)
swift build -c release "${FLAGS[@]}" --product ShamirFuzz
swift build -c release "${FLAGS[@]}" --product EscrowFuzz
mkdir -p corpus artifacts

run_one() {
    local target=$1
    shift
    mkdir -p "corpus/$target"
    echo "=== $target: $SECONDS_TO_RUN s"
    if [[ $target == shamir ]]; then
        .build/release/ShamirFuzz -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -print_final_stats=1 \
            -artifact_prefix="artifacts/$target-" "$@" "corpus/$target" seeds/shamir
    else
        ESCROW_FUZZ_TARGET=$target .build/release/EscrowFuzz -max_total_time="$SECONDS_TO_RUN" -max_len=8192 \
            -print_final_stats=1 -artifact_prefix="artifacts/$target-" "$@" "corpus/$target" "seeds/$target"
    fi
}

if [[ $TARGET == all ]]; then
    for target in shamir "${ESCROW_TARGETS[@]}"; do run_one "$target" "$@"; done
else
    run_one "$TARGET" "$@"
fi
