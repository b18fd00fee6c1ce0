#!/usr/bin/env bash
# CLI wall clock of the v2 bulk re-split ("bob leaves", frank joins; 3 of 5 -> 3 of 5) through the release `escrow`
# binary, on a store made by StoreProfile (N vaults x 3 credentials, 9 events per vault), then a second re-split whose
# approval by frank is a new custodian's consolidation.
# Usage: Benchmarks/bulk-reshare-cli.sh [path-to-release-escrow]
#   build first: swift build -c release --product escrow (top level) and, in Benchmarks/,
#   swift build -c release --product StoreProfile; env: VAULTS=1000 (StoreProfile's vault count), SAVED=DIR (a store
#   StoreProfile saved with STORE_PROFILE_SAVED=DIR for that count; made there when missing).
# Identities use the test `minimal` Argon2id profile (ESCROW_ALLOW_TEST_PROFILE=1), so a passphrase costs
# milliseconds; every command is a whole process with its own warm (or first: cold) open of the store.
set -euo pipefail
export ESCROW_ALLOW_TEST_PROFILE=1
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ESCROW=${1:-$ROOT/.build/release/escrow}
VAULTS=${VAULTS:-1000}
SAVED=${SAVED:-/tmp/escrow-bench-saved-$VAULTS}
WORK=$(mktemp -d /tmp/escrow-bulk-cli.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export ESCROW_STATE_DIR="$WORK/state"

STORE_PROFILE_EXPORT="$WORK" STORE_PROFILE_SAVED="$SAVED" "$ROOT/Benchmarks/.build/release/StoreProfile" "$VAULTS" 3 1 |
  grep -v '^load'
STORE="$WORK/store"
cd "$WORK"

# timed LABEL COMMAND...: runs the command, prints wall clock, user+sys CPU and peak memory; keeps its output.
timed() {
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/.time" "$@" > "$WORK/.out" 2> "$WORK/.err" || { cat "$WORK/.err"; exit 1; }
  read -r wall user sys rss < "$WORK/.time"
  printf "  %-52s %8.3f s wall  %7.3f s cpu  %7d KiB\n" "$label" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}')" "$rss"
}
as() { echo --identity "$WORK/$1.id" --passphrase-file "$WORK/$1.pass" --store "$STORE"; }
request_id() { sed -n 's/.*"request" *: *"\([0-9a-f]*\)".*/\1/p' "$WORK/.out" | head -1; }

# First contact: pin the genesis (the fingerprint a team compares out of band; here, the one the refusal names).
fingerprint=$("$ESCROW" store show --store "$STORE" 2>&1 | sed -n 's/.*genesis fingerprint is \([0-9A-F-]*\).*/\1/p' || true)
"$ESCROW" store trust --store "$STORE" --fingerprint "$fingerprint" > /dev/null
timed "store show (first command: cold open, snapshot)" "$ESCROW" store show --store "$STORE"
timed "vault show acct-00000 (warm)" "$ESCROW" vault show acct-00000 --store "$STORE"

resplit() {  # resplit OUT IN APPROVERS...
  local out=$1 in=$2; shift 2
  echo "re-split: $out leaves, $in joins, over every vault"
  local total; total=$(date +%s.%N)
  timed "vault reshare --all --remove $out --add $in" "$ESCROW" vault reshare --all --remove "$out" --add "$in" \
    --reason "$out leaves" --json $(as alice)
  local id; id=$(request_id)
  timed "vault ack --request ($in)" "$ESCROW" vault ack --request "$id" --yes $(as "$in")
  for name in "$@"; do
    timed "unlock approve ($name)" "$ESCROW" unlock approve "$id" --yes $(as "$name")
  done
  timed "unlock execute (alice)" "$ESCROW" unlock execute "$id" $(as alice)
  echo "  total: $(awk -v a="$total" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s"
}
resplit bob frank alice carol dave
resplit erin bob frank alice carol
timed "audit verify (always cold)" "$ESCROW" audit verify --store "$STORE"
echo "events: $(find "$STORE/events" -name '*.json' | wc -l); store $(du -sh "$STORE/events" | cut -f1)"
