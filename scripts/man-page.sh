#!/usr/bin/env bash
# The escrow(1) manual, made by swift-argument-parser's generate-manual from the same command tree as --help, and
# checked: escrow.1 exists, is not empty, and names every top-level subcommand that 'escrow help' lists; with
# --multi-page (the default here) each subcommand has its own page (escrow.vault.1, escrow.vault.put.1, ...).
#
# Usage: scripts/man-page.sh [--plugin] [--out DIR]
#   default   Fast route, the one CI runs: builds (debug, incremental: nothing to do after 'swift test') the escrow
#             product and argument-parser's generate-manual tool, then runs the tool against the debug binary. The
#             tool reads 'escrow --experimental-dump-help', exactly as the plugin does.
#   --plugin  The documented route: 'swift package --disable-sandbox generate-manual --configuration debug'. The
#             plugin builds every product first and defaults to a release build (minutes on a loaded machine).
#   --out DIR Where the pages go (default: .build/man, replaced on each run).
# Exit status: 0 the pages are complete, 1 a page is missing, empty or does not name a subcommand, or a build failed.
set -euo pipefail
cd "$(dirname "$0")/.."

route=tool
out=.build/man
while [ $# -gt 0 ]; do
    case "$1" in
        --plugin) route=plugin ;;
        --out) out="$2"; shift ;;
        *) echo "usage: scripts/man-page.sh [--plugin] [--out DIR]" >&2; exit 2 ;;
    esac
    shift
done

started=$(date +%s)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rm -rf "$out"
mkdir -p "$out"
# A fixed date keeps the pages reproducible (the tool defaults to today).
date_option=(--date 2026-01-01)

if [ "$route" = plugin ]; then
    if ! swift package --disable-sandbox generate-manual --configuration debug --multi-page "${date_option[@]}" \
        >"$log" 2>&1; then
        cat "$log"
        echo "man page FAILED: the generate-manual plugin failed"
        exit 1
    fi
    cp .build/plugins/GenerateManual/outputs/EscrowCLI/*.1 "$out"/
else
    if ! swift build --product escrow >"$log" 2>&1 || ! swift build --product generate-manual >>"$log" 2>&1; then
        cat "$log"
        echo "man page FAILED: escrow or generate-manual did not build"
        exit 1
    fi
    bin=$(swift build --show-bin-path)
    "$bin/generate-manual" "$bin/escrow" --multi-page "${date_option[@]}" --output-directory "$out"
fi

page="$out/escrow.1"
if [ ! -s "$page" ]; then
    echo "man page FAILED: $page is missing or empty"
    exit 1
fi
# The top-level subcommands, as the binary's own help lists them.
bin=$(swift build --show-bin-path)
subcommands=$("$bin/escrow" help | awk '/^SUBCOMMANDS:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^[^ ]/ { on = 0 }' \
    | grep -vx help)
[ -n "$subcommands" ] || { echo "man page FAILED: 'escrow help' lists no subcommands"; exit 1; }
missing=0
for name in $subcommands; do
    if ! grep -qw -- "$name" "$page"; then
        echo "man page FAILED: $page does not mention '$name'"
        missing=1
    fi
    if [ ! -s "$out/escrow.$name.1" ]; then
        echo "man page FAILED: no page escrow.$name.1"
        missing=1
    fi
done
[ "$missing" = 0 ] || exit 1
echo "man page ok: $(ls "$out" | wc -l) pages in $out ($route route, $(($(date +%s) - started))s)"
