#ifndef AP_CPROCESSCONTROL_SHIM_H
#define AP_CPROCESSCONTROL_SHIM_H

/*
 * Swift cannot call C variadic functions; prctl(2) is one. Typed wrappers for the two
 * options the job uses. `static inline` for the same reason as in CCurl's shim.
 */
#ifdef __linux__
#include <sys/prctl.h>

static inline int ap_prctl_set_dumpable(int value) {
    return prctl(PR_SET_DUMPABLE, (unsigned long)value, 0UL, 0UL, 0UL);
}
static inline int ap_prctl_get_dumpable(void) {
    return prctl(PR_GET_DUMPABLE, 0UL, 0UL, 0UL, 0UL);
}
#endif

#endif
