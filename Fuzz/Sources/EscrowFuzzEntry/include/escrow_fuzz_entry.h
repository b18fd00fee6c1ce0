/* Intentionally empty: the target only defines EscrowFuzz_main (see fuzz_entry.c in FuzzEntry). */
