#!/usr/bin/env bash
# Constant time, measured (the ctgrind method): every secret byte is marked undefined for valgrind's memcheck, the
# harness in ConstantTime/ runs split, combine, interpolation, the batch and vector kernels, the share encodings and
# the SLIP-39 Feistel cipher and split/recovery on them, and memcheck reports every conditional jump and every memory
# address that depends on a secret. The check passes with zero reports, and only if a deliberately leaky control
# function IS reported (so the check can be seen to fail). See ConstantTime/README.md.
#
# Usage: scripts/constant-time.sh [--require]
#   Without valgrind the script says it skipped and exits 0 (1 with --require).
# Exit status: 0 passed (or skipped), 1 a report in our code, a wrong result, or the control not caught.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null 2>&1; then
    echo "constant-time check skipped: valgrind is not installed (apt-get install valgrind)"
    [ "${1:-}" = "--require" ] && exit 1
    exit 0
fi

started=$(date +%s)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Release build of the harness alone (the nested package builds only Shamir, Sodium and SLIP39 from the root).
if ! (cd ConstantTime && swift build -c release --product ConstantTimeHarness) >"$work/build.log" 2>&1; then
    cat "$work/build.log"
    echo "constant-time check FAILED: the harness did not build"
    exit 1
fi
bin_dir=$(cd ConstantTime && swift build -c release --product ConstantTimeHarness --show-bin-path)
# valgrind 3.19 cannot read Swift 6.3's DWARF ("possibly corrupted debuginfo file"): run a copy without debug info.
# Symbol names stay, so reports and suppressions still name the functions.
cp "$bin_dir/ConstantTimeHarness" "$work/harness"
strip --strip-debug "$work/harness"

memcheck=(valgrind --tool=memcheck --error-exitcode=9 --track-origins=yes -q)

# 1. The control: a branch on a secret byte and a table lookup indexed by one. memcheck must report both.
set +e
"${memcheck[@]}" "$work/harness" control >"$work/control.log" 2>&1
control_status=$?
# 2. The check: every covered operation on secret-marked data; the suppression file exempts only the two named
#    declassification points (ConstantTime.declassify in Shamir and in SLIP39).
"${memcheck[@]}" -s --suppressions=ConstantTime/valgrind.supp "$work/harness" check >"$work/check.log" 2>&1
check_status=$?
set -e

failed=0
control_branch=$(grep -A1 "Conditional jump or move depends on uninitialised value" "$work/control.log" \
    | grep -c "ControlO4leak" || true)
control_index=$(grep -A1 "Use of uninitialised value of size" "$work/control.log" | grep -c "ControlO4leak" || true)
if [ "$control_status" -eq 9 ] && [ "$control_branch" -ge 1 ] && [ "$control_index" -ge 1 ]; then
    echo "constant-time check: control caught: memcheck reported the leaky function's secret-dependent branch" \
        "and its secret-indexed table lookup:"
    grep -E "^==[0-9]+== +(Conditional jump|Use of uninitialised|at 0x)" "$work/control.log" \
        | grep -B1 -E "ControlO4leak" | grep -v "^--" | sed 's/^/    /'
else
    cat "$work/control.log"
    echo "constant-time check FAILED: the deliberately leaky control function was not reported" \
        "(status $control_status; branch reports $control_branch, index reports $control_index):" \
        "the marks are not reaching memcheck (valgrind headers missing at build time?)"
    failed=1
fi

covered=$(grep -c "^covered: " "$work/check.log" || true)
reports=$(sed -n 's/^==[0-9]*== ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$work/check.log" | tail -1)
places=$(sed -n 's/^==[0-9]*== ERROR SUMMARY: [0-9]* errors from \([0-9]*\) contexts.*/\1/p' "$work/check.log" | tail -1)
suppressed=$(sed -n 's/^==[0-9]*== ERROR SUMMARY: .*(suppressed: \([0-9]*\) from.*/\1/p' "$work/check.log" | tail -1)
echo "constant-time check: operations covered under memcheck ($covered):"
grep "^covered: " "$work/check.log" | sed 's/^covered: /    /'
if [ "$check_status" -eq 0 ] && grep -q "every result correct" "$work/check.log"; then
    echo "constant-time check: ${reports:-0} reports in our code; ${suppressed:-0} public verdicts passed through" \
        "the declassification points"
elif [ "$check_status" -eq 9 ]; then
    grep -v "^covered: " "$work/check.log"
    echo "constant-time check FAILED: memcheck reported ${reports:-?} secret-dependent branches or memory" \
        "indexes at ${places:-?} places in the code (above, each with its stack and where the secret was marked)"
    failed=1
else
    grep -v "^covered: " "$work/check.log"
    echo "constant-time check FAILED: the harness stopped with status $check_status (a wrong result or an error)"
    failed=1
fi

echo "constant-time check: $([ "$failed" -eq 0 ] && echo passed || echo FAILED) in $(($(date +%s) - started)) s"
exit "$failed"
