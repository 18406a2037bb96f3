/* route_bound.h - a lower bound of travel (and, under soft coverage, of
 * the visits left out) from the LP of tours without time (internal; see
 * route_bound.c).
 */
#ifndef ROTA_ROUTE_BOUND_H
#define ROTA_ROUTE_BOUND_H

#include <signal.h>

#include "rota/instance.h"

typedef struct rota_route_result {
    double legs;        /* a proved lower bound of the cycle's leg minutes
                           (soft coverage: plus the uncovered term, in
                           leg minutes: x W / w_travel) */
    double balance;     /* a lower bound of the balance term that holds
                           together with w_travel / W x legs (hard
                           coverage, groups apart; else 0) */
    double lp;          /* the restricted master's last LP value */
    int proved;         /* legs holds a bound */
    int converged;      /* legs is the relaxation's LP optimum */
    int rounds, columns;
} rota_route_result;

/* Column generation over the routing relaxation until it converges, the
 * deadline (rota_now() seconds, 0: none), *stop or max_rounds rounds (0:
 * the default, 2000).  Returns 0 with a
 * bound in *res, 1 when there is none (a visit nobody may take under
 * hard coverage, soft coverage without a travel weight, more than 16
 * visits a day, stopped before the first round), -1 out of memory or a GLPK
 * failure.  Installs and removes its own GLPK hooks: call it on a thread
 * that holds no other GLPK object. */
int rota_route_bound(const rota_instance *inst, double deadline,
                     const volatile sig_atomic_t *stop, int max_rounds,
                     rota_route_result *res);

#endif
