#!/usr/bin/env bash
# Installs what escrow needs beyond the Swift toolchain: libsodium's headers and pkg-config, git (the store's
# sync) and valgrind (the constant-time check).
# Debian/Ubuntu via apt-get, macOS via Homebrew. Does nothing when they are already present.
set -euo pipefail

have_libsodium() {
    pkg-config --exists libsodium 2>/dev/null || [ -f /usr/include/sodium.h ] || [ -f /usr/local/include/sodium.h ]
}

missing=()
have_libsodium && command -v pkg-config >/dev/null 2>&1 || missing+=(libsodium-dev pkg-config)
# git: the store's sync (and the tests' bare remotes); valgrind: the constant-time check.
command -v git >/dev/null 2>&1 || missing+=(git)
command -v valgrind >/dev/null 2>&1 || missing+=(valgrind)
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "Installing ${missing[*]} with apt-get…" >&2
    $sudo apt-get update -qq || true
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
elif command -v brew >/dev/null 2>&1; then
    brew install libsodium pkg-config git
else
    echo "error: please install libsodium (>= 1.0.18) development files and pkg-config" >&2
    exit 1
fi
