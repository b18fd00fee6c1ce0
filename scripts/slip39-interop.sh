#!/usr/bin/env bash
# Interoperability of `escrow shamir split|combine --format slip39` with the SLIP-0039 reference implementation
# (`shamir-mnemonic` on PyPI), both ways, through the built CLI: escrow's mnemonics are recovered by the reference,
# and the reference's mnemonics by escrow, for 128-, 160- and 256-bit secrets, several group layouts, passphrases,
# iteration exponents and both values of the extendable flag.
#
# Usage: scripts/slip39-interop.sh [--require]
#   Without shamir-mnemonic the script says SKIPPED and exits 0 (1 with --require).
#   SLIP39_INTEROP_PYTHON picks the interpreter (default python3); ESCROW the binary (default: swift build's).
# The library-level interop (word-for-word equality under shared randomness) is Tests/SLIP39Tests/InteropTests.swift.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${SLIP39_INTEROP_PYTHON:-python3}
if ! "$python" -c 'import shamir_mnemonic' 2>/dev/null; then
    echo "slip39-interop: SKIPPED: shamir-mnemonic is not installed (pip install shamir-mnemonic)"
    [ "${1:-}" = "--require" ] && exit 1
    exit 0
fi

escrow=${ESCROW:-}
if [ -z "$escrow" ]; then
    swift build --product escrow >/dev/null
    escrow="$(swift build --show-bin-path)/escrow"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# reference.py generate|combine: the reference implementation, reading its inputs from files (never argv).
cat > "$work/reference.py" <<'PY'
import json, sys
from shamir_mnemonic import shamir

def groups_of(text):
    return [[line for line in block.split("\n") if line] for block in text.strip("\n").split("\n\n")]

command, work = sys.argv[1], sys.argv[2]
passphrase = open(f"{work}/passphrase", "rb").read()
if command == "generate":
    layout = json.load(open(f"{work}/layout.json"))
    groups = shamir.generate_mnemonics(
        layout["group_threshold"], [tuple(g) for g in layout["groups"]], open(f"{work}/secret", "rb").read(),
        passphrase, layout["extendable"], layout["exponent"])
    # A qualifying subset, last groups first and members reversed, one mnemonic per line.
    chosen = []
    picked = list(reversed(range(len(groups))))[: layout["group_threshold"]]
    for index in picked:
        threshold = layout["groups"][index][0]
        chosen += list(reversed(groups[index]))[:threshold]
    open(f"{work}/reference-shares", "w").write("\n".join(chosen) + "\n")
else:
    layout = json.load(open(f"{work}/layout.json"))
    groups = groups_of(open(f"{work}/escrow-shares").read())
    assert [len(g) for g in groups] == [g[1] for g in layout["groups"]], "escrow printed the wrong groups"
    picked = list(range(len(groups)))[: layout["group_threshold"]]
    chosen = [m for index in picked for m in groups[index][: layout["groups"][index][0]]]
    sys.stdout.write(shamir.combine_mnemonics(chosen, passphrase).hex() + "\n")
PY

hex() { "$python" -c 'import sys; print(open(sys.argv[1], "rb").read().hex())' "$1"; }

run_case() {  # length group-threshold groups-json extendable exponent passphrase
    local length=$1 gt=$2 groups=$3 extendable=$4 exponent=$5 passphrase=$6
    head -c "$length" /dev/urandom > "$work/secret"
    printf '%s' "$passphrase" > "$work/passphrase"
    printf '{"group_threshold": %s, "groups": %s, "extendable": %s, "exponent": %s}' \
        "$gt" "$groups" "$extendable" "$exponent" > "$work/layout.json"
    local options=(--iteration-exponent "$exponent" --passphrase-file "$work/passphrase" --group-threshold "$gt")
    [ "$extendable" = "true" ] || options+=(--no-extendable)
    for group in $("$python" -c 'import json, sys; print(" ".join(f"{t}/{n}" for t, n in json.loads(sys.argv[1])))' "$groups"); do
        options+=(--group "$group")
    done
    local expected; expected=$(hex "$work/secret")

    "$escrow" shamir split --format slip39 "${options[@]}" < "$work/secret" > "$work/escrow-shares"
    local theirs; theirs=$("$python" "$work/reference.py" combine "$work")
    [ "$theirs" = "$expected" ] || { echo "FAIL: the reference did not recover escrow's split ($*)"; exit 1; }

    "$python" "$work/reference.py" generate "$work"
    local ours; ours=$("$escrow" shamir combine --format slip39 --hex --passphrase-file "$work/passphrase" < "$work/reference-shares")
    [ "$ours" = "$expected" ] || { echo "FAIL: escrow did not recover the reference's split ($*)"; exit 1; }
    echo "ok: $length bytes, $gt of $groups, extendable=$extendable, e=$exponent, passphrase ${#passphrase} chars"
}

run_case 16 1 '[[2, 3]]' true 1 ''
run_case 32 1 '[[3, 5]]' false 0 'TREZOR'
run_case 20 2 '[[1, 1], [2, 3], [3, 5]]' true 0 'correct horse battery staple'
run_case 32 3 '[[2, 2], [1, 1], [2, 4], [4, 4]]' false 2 '~!@#$%^&*() spaces and symbols'
run_case 16 1 '[[1, 1]]' true 0 ''
echo "slip39-interop: PASSED"
