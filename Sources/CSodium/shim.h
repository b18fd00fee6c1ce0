#ifndef CSODIUM_SHIM_H
#define CSODIUM_SHIM_H

#include <sodium.h>

// Swift 6 strict concurrency refuses references to mutable C globals such as
// randombytes_sysrandom_implementation, so they are reached through these helpers.
static inline int csodium_use_sysrandom(void) {
    return randombytes_set_implementation(&randombytes_sysrandom_implementation);
}

#endif
