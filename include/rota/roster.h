/* roster.h - a roster: one assignment (or none) per visit.
 *
 * This is the solver's and the checker's common form. Figures (tours,
 * minutes, terms) are not stored here: rota_evaluate() derives them, so
 * that the roster rota writes and the one rota check reads are judged by
 * the same code.
 *
 * Ownership: rota_roster_new() and rota_roster_copy() allocate;
 * rota_roster_free() frees.
 */
#ifndef ROTA_ROSTER_H
#define ROTA_ROSTER_H

#include "rota/instance.h"

typedef struct rota_assign {
    int staff;        /* staff index, -1: uncovered */
    int day;          /* 0..6 */
    int start;        /* minutes after 00:00 */
    unsigned weeks;   /* bit w-1 set: occurs in cycle week w */
} rota_assign;

typedef struct rota_roster {
    int n_visits;
    rota_assign *a;   /* indexed like instance.visits */
} rota_roster;

typedef enum rota_result {
    ROTA_RESULT_OPTIMAL,      /* proved within the gap tolerance */
    ROTA_RESULT_FEASIBLE,     /* a roster, not proved optimal */
    ROTA_RESULT_INFEASIBLE,   /* proved that none exists */
    ROTA_RESULT_NO_SOLUTION,  /* none found within the limits */
    ROTA_RESULT_ERROR,
} rota_result;

/* "optimal", "feasible", ... as in spec section 4. */
const char *rota_result_str(rota_result r);

/* A roster with every visit uncovered; NULL when out of memory. */
rota_roster *rota_roster_new(const rota_instance *inst);
rota_roster *rota_roster_copy(const rota_roster *r);
/* Copies src's assignments into dst (same n_visits). */
void rota_roster_assign(rota_roster *dst, const rota_roster *src);
void rota_roster_free(rota_roster *r);

#endif
