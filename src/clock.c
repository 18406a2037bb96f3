/* clock.c - the monotonic clock every time limit is measured on. */
#include <time.h>

#include "cg.h"

double rota_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
