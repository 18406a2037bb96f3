/* size_lp.h - an assignment-LP lower bound on the travel of any roster
 * covering every visit of a role (internal, used by size.c). */
#ifndef ROTA_SIZE_LP_H
#define ROTA_SIZE_LP_H

#include "rota/instance.h"

/* *legs: a proved lower bound on the minutes of all legs over the cycle
 * of the role's tours, *occurrences: the role's visit occurrences in the
 * cycle.  Returns 1 when the LP was solved (bound set), 0 when not (time,
 * numerical trouble: *legs is 0), -1 out of memory.  GLPK runs on the
 * calling thread. */
int rota_size_travel_lp(const rota_instance *t, int role, double seconds,
                        double *legs, long *occurrences);

#endif
