#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "escrow_fuzz_entry.h"

/* libFuzzer's driver, and the Swift side (@_cdecl in EscrowFuzz.swift). */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int EscrowFuzzWriteSeeds(const char *directory);

/* SwiftPM links the executable with --defsym main=EscrowFuzz_main (BUILD-NOTES F1).
   `EscrowFuzz --write-seeds DIR` writes the valid starting inputs instead of fuzzing. */
int EscrowFuzz_main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "--write-seeds") == 0) {
        return EscrowFuzzWriteSeeds(argv[2]);
    }
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
