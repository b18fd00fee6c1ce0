#!/usr/bin/env bash
# CLI wall clock on a 64 MiB file, escrow vs libgfshare (gfsplit/gfcombine), 3-of-5, and peak memory.
# Usage: Benchmarks/cli-compare.sh [path-to-release-escrow]   (build first: swift build -c release --product escrow)
set -euo pipefail
ESCROW=${1:-$(cd "$(dirname "$0")/.." && pwd)/.build/release/escrow}
WORK=$(mktemp -d /tmp/escrow-cli-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
head -c $((64 << 20)) /dev/urandom > secret.bin
"$ESCROW" shamir split -t 3 -n 5 --in secret.bin --out esc
gfsplit -n 3 -m 5 secret.bin gf
GF=$(ls gf.* | head -3 | tr '\n' ' ')
"$ESCROW" shamir combine esc.1 esc.3 esc.5 | cmp - secret.bin
gfcombine -o gf.out $GF && cmp gf.out secret.bin

hyperfine -N --warmup 2 --runs 15 --export-json split.json \
  --prepare 'rm -f esc.1 esc.2 esc.3 esc.4 esc.5' -n "escrow split" "$ESCROW shamir split -t 3 -n 5 --in secret.bin --out esc" \
  --prepare 'sh -c "rm -f gf2.*"' -n "gfsplit" "gfsplit -n 3 -m 5 secret.bin gf2"
hyperfine -N --warmup 2 --runs 15 --export-json combine.json \
  -n "escrow combine" "sh -c '$ESCROW shamir combine esc.1 esc.3 esc.5 > out.bin'" \
  -n "gfcombine" "gfcombine -o gf.out $GF"
rm -f esc.*
echo "peak memory (max RSS, KiB):"
/usr/bin/time -f "escrow split   %M KiB  %e s" "$ESCROW" shamir split -t 3 -n 5 --in secret.bin --out esc
/usr/bin/time -f "escrow combine %M KiB  %e s" sh -c "$ESCROW shamir combine esc.1 esc.3 esc.5 > out.bin"
rm -f gf2.*
/usr/bin/time -f "gfsplit        %M KiB  %e s" gfsplit -n 3 -m 5 secret.bin gf2
/usr/bin/time -f "gfcombine      %M KiB  %e s" gfcombine -o gf.out $GF
