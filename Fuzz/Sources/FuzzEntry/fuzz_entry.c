#include <stddef.h>
#include <stdint.h>
#include "fuzz_entry.h"

/* libFuzzer's driver, and the Swift callback (@_cdecl("LLVMFuzzerTestOneInput") in ShamirFuzz). */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* SwiftPM links the executable with --defsym main=ShamirFuzz_main. */
int ShamirFuzz_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
