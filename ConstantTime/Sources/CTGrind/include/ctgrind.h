#ifndef ESCROW_CTGRIND_H
#define ESCROW_CTGRIND_H

#include <stddef.h>

/// Marks `count` bytes at `bytes` as secret: memcheck then reports every conditional jump and every memory address
/// that depends on them ("uninitialised value"). A no-op outside valgrind.
void ct_secret(const void *bytes, size_t count);

/// Marks `count` bytes at `bytes` as public again (a legitimate declassification: an output about to be written or
/// compared by the harness). A no-op outside valgrind.
void ct_public(const void *bytes, size_t count);

/// 1 when running under valgrind, 0 otherwise.
int ct_running_on_valgrind(void);

/// 1 when the valgrind client-request headers were found at build time (otherwise the marks are no-ops).
int ct_has_valgrind_headers(void);

#endif
