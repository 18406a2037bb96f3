/* presolve.h - quick proofs before any search (internal, used by solve.c).
 *
 * Infeasibility proofs that a person can read (hard coverage only):
 *   1. a visit no staff member may take (rule 2.1);
 *   2. a visit with no (staff, day, start) where it fits alone: its windows
 *      and the staff member's availability (2.3), a single-visit tour
 *      office -> site -> office inside one tour segment within the day's
 *      travel limit (2.5, 2.6), and the week's capacity (2.7);
 *   3. a joint pair with no common day, start and weeks (2.4);
 *   4. per role: every visit's minutes plus the shortest leg into it (or
 *      out of it) over the cycle against the role's total capacity; its
 *      visits per week against the visits a day may hold; its visits
 *      against the staff's max_sites (2.6-2.8 relaxed).
 *
 * And a lower bound that needs no LP (see presolve.c for why it holds).
 */
#ifndef ROTA_PRESOLVE_H
#define ROTA_PRESOLVE_H

#include "rota/diag.h"
#include "rota/instance.h"

typedef struct rota_presolve {
    int infeasible;          /* 1: proved infeasible, reason says why */
    char reason[512];
    double bound;            /* a proved lower bound of the objective */
    double soft;             /* hard coverage: the sum over visits of their
                                cheapest soft cost (part of bound); a bound
                                of the legs' minutes over the cycle times
                                travel weight / W plus soft is a bound of
                                the objective (route_bound.h) */
} rota_presolve;

/* Returns ROTA_OK or ROTA_ENOMEM. */
rota_status rota_presolve_run(const rota_instance *inst, rota_presolve *out);

/* A bound computed in floating point, stepped down so that rounding never
 * turns it into a false claim (relative 1e-12 and 1e-9), and at least 0
 * (every objective is). */
double rota_bound_step_down(double lb);

#endif
