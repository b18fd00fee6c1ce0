#!/usr/bin/env bash
# The long kill -9 suite (issue #13): a bulk re-split of 500 vaults (request, approvals, and 40 executions killed
# from the same approved store), a batch deposit of 500 lines, ten rounds of `escrow sync` between two clones, each
# killed at random points, with every invariant checked after every kill (Tests/EscrowCLITests/CrashCLITests.swift).
# Delays come from the system generator (the seed is printed). Prints each test's kills and the kill points reached.
#
# Usage: scripts/crash-suite.sh [--medium]   (--medium: ESCROW_CRASH=1, 40 vaults, a few minutes)
# Takes an hour or more on two busy cores (debug build; the 500-line batch deposit is the slowest: each kill is
# followed by a full re-run). Output is also kept in .build/crash-suite.log.
set -euo pipefail
cd "$(dirname "$0")/.."
variable=ESCROW_CRASH_LONG
[ "${1:-}" = "--medium" ] && variable=ESCROW_CRASH
swift build --build-tests
started=$(date +%s)
env "$variable=1" swift test --skip-build --filter CrashCLITests 2>&1 | tee .build/crash-suite.log \
    | grep -E "seed|kills|changes to the store|before|after|finished|✔|✘|Expectation"
echo "crash suite: $(($(date +%s) - started)) s"
