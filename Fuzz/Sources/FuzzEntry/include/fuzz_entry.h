#ifndef FUZZ_ENTRY_H
#define FUZZ_ENTRY_H
/* ShamirFuzz_main (the executable's entry point under SwiftPM) is defined in fuzz_entry.c. */
#endif
