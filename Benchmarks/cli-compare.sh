#!/usr/bin/env bash
# CLI wall clock on a 64 MiB file, 3-of-5: escrow vs libgfshare (gfsplit/gfcombine), plus peak memory, one sitting.
# Usage: Benchmarks/cli-compare.sh [ESCROW...]     (default: .build/release/escrow; build it first with
#        swift build -c release --product escrow). Give several binaries (e.g. an older build) to compare them in
#        the same sitting; the first is also run with --sync when it supports it. RUNS (default 15) sets the runs.
#        Prints hyperfine's report, then medians and the ratio to gfsplit/gfcombine, then peak memory.
#        Outputs are removed before every run (not truncated: truncating a file whose previous contents are still
#        being written back waits for the disk, which would time the disk instead of the tool).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ $# -eq 0 ]; then set -- "$ROOT/.build/release/escrow"; fi
BINARIES=()
for b in "$@"; do BINARIES+=("$(cd "$(dirname "$b")" && pwd)/$(basename "$b")"); done
RUNS=${RUNS:-15}
WORK=$(mktemp -d /tmp/escrow-cli-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
head -c $((64 << 20)) /dev/urandom > secret.bin

# Every tool must round-trip the file before it is timed.
for i in "${!BINARIES[@]}"; do
  "${BINARIES[$i]}" shamir split -t 3 -n 5 --in secret.bin --out "e$i"
  "${BINARIES[$i]}" shamir combine "e$i.1" "e$i.3" "e$i.5" | cmp - secret.bin
done
gfsplit -n 3 -m 5 secret.bin gf
GF=$(ls gf.* | head -3 | tr '\n' ' ')
gfcombine -o gf.out $GF && cmp gf.out secret.bin

split=() combine=()
for i in "${!BINARIES[@]}"; do
  E=${BINARIES[$i]}
  split+=(--prepare "rm -f s$i.1 s$i.2 s$i.3 s$i.4 s$i.5" -n "escrow[$i] split" "$E shamir split -t 3 -n 5 --in secret.bin --out s$i")
  combine+=(--prepare "rm -f out$i.bin" -n "escrow[$i] combine" "sh -c '$E shamir combine e$i.1 e$i.3 e$i.5 > out$i.bin'")
done
if "${BINARIES[0]}" shamir split --help | grep -q -- --sync; then
  split+=(--prepare "rm -f y.1 y.2 y.3 y.4 y.5" -n "escrow[0] split --sync" "${BINARIES[0]} shamir split -t 3 -n 5 --in secret.bin --out y --sync")
fi
split+=(--prepare 'sh -c "rm -f g2.*"' -n "gfsplit" "gfsplit -n 3 -m 5 secret.bin g2")
combine+=(--prepare "rm -f gf.out" -n "gfcombine" "gfcombine -o gf.out $GF")

hyperfine -N --warmup 2 --runs "$RUNS" --export-json split.json "${split[@]}"
hyperfine -N --warmup 2 --runs "$RUNS" --export-json combine.json "${combine[@]}"
echo "medians (wall clock; user + sys CPU):"
python3 - split.json combine.json <<'PY'
import json, sys
for path in sys.argv[1:]:
    results = json.load(open(path))["results"]
    reference = results[-1]["median"]
    for r in results:
        print(f"  {r['command']:<24} {r['median'] * 1000:8.1f} ms   user {r['user'] * 1000:6.1f} ms  sys {r['system'] * 1000:6.1f} ms"
              f"   {reference / r['median']:5.2f}x vs {results[-1]['command']}")
PY

echo "peak memory (max RSS) and time of one run each:"
for i in "${!BINARIES[@]}"; do
  rm -f s$i.*
  /usr/bin/time -f "escrow[$i] split    %M KiB  %e s (user %U, sys %S)" "${BINARIES[$i]}" shamir split -t 3 -n 5 --in secret.bin --out "s$i"
  /usr/bin/time -f "escrow[$i] combine  %M KiB  %e s (user %U, sys %S)" sh -c "${BINARIES[$i]} shamir combine e$i.1 e$i.3 e$i.5 > out$i.bin"
done
rm -f g2.*
/usr/bin/time -f "gfsplit          %M KiB  %e s (user %U, sys %S)" gfsplit -n 3 -m 5 secret.bin g2
/usr/bin/time -f "gfcombine        %M KiB  %e s (user %U, sys %S)" gfcombine -o gf.out $GF
