#!/usr/bin/env bash
# CLI wall clock of a bulk re-split (`escrow vault reshare --all`) over N vaults (default 1000), 3 of 5 → 3 of 5
# replacing one custodian, against the naive per-vault CLI protocol on a sample of vaults.
# Usage: Benchmarks/bulk-reshare-cli.sh [path-to-release-escrow]
#        (build first: swift build -c release --product escrow; env: VAULTS=1000 RUNS=3 NAIVE=50)
# Identities use the test `--kdf minimal` Argon2id profile, so each command's passphrase costs milliseconds; escrow
# accepts that profile only with ESCROW_ALLOW_TEST_PROFILE=1 (tests and benchmarks) or inside `escrow demo`.
set -euo pipefail
export ESCROW_ALLOW_TEST_PROFILE=1
ESCROW=${1:-$(cd "$(dirname "$0")/.." && pwd)/.build/release/escrow}
VAULTS=${VAULTS:-1000}
RUNS=${RUNS:-3}
NAIVE=${NAIVE:-50}
WORK=$(mktemp -d /tmp/escrow-bulk-cli.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
STORE="$WORK/store"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# timed LABEL COMMAND...: runs the command, prints wall clock, user+sys CPU and peak memory.
timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/.time" "$@" > "$WORK/.out" 2> "$WORK/.err" || { cat "$WORK/.err"; exit 1; }
  read -r wall user sys rss < "$WORK/.time"
  printf "  %-44s %8.3f s wall  %7.3f s cpu  %7d KiB\n" "$label" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}')" "$rss"
}
as() { echo --identity "$WORK/$1.id" --passphrase-file "$WORK/$1.pass" --store "$STORE"; }

for name in alice bob carol dave erin frank; do
  echo "correct horse battery staple $name" > "$name.pass"
  "$ESCROW" custodian new "$name" --email "$name@example.com" --identity "$name.id" --passphrase-file "$name.pass" \
    --kdf minimal > /dev/null
done
"$ESCROW" init $(as alice) > /dev/null
for name in bob carol dave erin frank; do "$ESCROW" custodian add "$name.id" $(as alice) > /dev/null; done
start=$(now)
for i in $(seq -f "%05g" 1 "$VAULTS"); do
  "$ESCROW" vault init "acct-$i" --threshold 3 --custodians alice,bob,carol,dave,erin $(as alice) > /dev/null
done
echo "setup: $VAULTS vaults by 'escrow vault init' in $(elapsed "$start" "$(now)") s ($("$ESCROW" --version))"

out=bob; in=frank
for run in $(seq 1 "$RUNS"); do
  echo "bulk run $run: --all --remove $out --add $in over $VAULTS vaults"
  total=$(now)
  timed "vault reshare --all --out req.json" "$ESCROW" vault reshare --all --remove "$out" --add "$in" \
    --reason "$out leaves" $(as alice) --out "$WORK/req-$run.json"
  for name in alice carol dave; do
    timed "unlock approve ($name)" "$ESCROW" unlock approve "$WORK/req-$run.json" --yes $(as "$name") \
      --out "$WORK/$name-$run.approval"
  done
  timed "unlock status" "$ESCROW" unlock status "$WORK/req-$run.json" "$WORK"/{alice,carol,dave}-$run.approval \
    --store "$STORE"
  timed "unlock open (one commit)" "$ESCROW" unlock open "$WORK/req-$run.json" \
    "$WORK"/{alice,carol,dave}-$run.approval $(as alice)
  echo "  total: $(elapsed "$total" "$(now)") s   (request $(du -k "$WORK/req-$run.json" | cut -f1) KiB, approval $(du -k "$WORK/alice-$run.approval" | cut -f1) KiB)"
  tmp=$out; out=$in; in=$tmp
done
timed "audit verify" "$ESCROW" audit verify --store "$STORE"

if [ "$NAIVE" -gt 0 ]; then
  echo "naive: one request, three approvals and one open per vault, for $NAIVE vaults"
  start=$(now)
  for i in $(seq -f "%05g" 1 "$NAIVE"); do
    custodians=$("$ESCROW" vault show "acct-$i" --store "$STORE" --json | tr -d ' \n' | sed 's/.*"custodians":\[\([^]]*\)\].*/\1/')
    new=$(echo "$custodians" | grep -o '"name":"[a-z]*"' | cut -d'"' -f4 | sed "s/^$out\$/$in/" | paste -sd, -)
    "$ESCROW" vault reshare "acct-$i" --threshold 3 --custodians "$new" --reason "$out leaves" $(as alice) \
      --out "$WORK/n-$i.json" > /dev/null
    for name in alice carol dave; do
      "$ESCROW" unlock approve "$WORK/n-$i.json" --yes $(as "$name") --out "$WORK/n-$i-$name.approval" > /dev/null
    done
    "$ESCROW" unlock open "$WORK/n-$i.json" "$WORK"/n-$i-{alice,carol,dave}.approval $(as alice) > /dev/null
  done
  t=$(elapsed "$start" "$(now)")
  echo "  $NAIVE vaults in $t s = $(awk -v t="$t" -v n="$NAIVE" 'BEGIN{printf "%.3f", t/n}') s per vault; x $VAULTS = $(awk -v t="$t" -v n="$NAIVE" -v v="$VAULTS" 'BEGIN{printf "%.0f", t/n*v}') s extrapolated"
fi
