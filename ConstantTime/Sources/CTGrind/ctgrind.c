#include "ctgrind.h"

#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define CT_HAVE_VALGRIND 1
#endif
#endif

void ct_secret(const void *bytes, size_t count) {
#ifdef CT_HAVE_VALGRIND
    (void)VALGRIND_MAKE_MEM_UNDEFINED(bytes, count);
#else
    (void)bytes;
    (void)count;
#endif
}

void ct_public(const void *bytes, size_t count) {
#ifdef CT_HAVE_VALGRIND
    (void)VALGRIND_MAKE_MEM_DEFINED(bytes, count);
#else
    (void)bytes;
    (void)count;
#endif
}

int ct_running_on_valgrind(void) {
#ifdef CT_HAVE_VALGRIND
    return RUNNING_ON_VALGRIND ? 1 : 0;
#else
    return 0;
#endif
}

int ct_has_valgrind_headers(void) {
#ifdef CT_HAVE_VALGRIND
    return 1;
#else
    return 0;
#endif
}
