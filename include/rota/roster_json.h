/* roster_json.h - the roster JSON of spec section 4: writing it.
 *
 * The writer takes its figures from a rota_eval, never from the solver's
 * own bookkeeping, so what rota writes is what `rota check` recomputes.
 * (Reading a roster with positions for the checker is in check.h.)
 */
#ifndef ROTA_ROSTER_JSON_H
#define ROTA_ROSTER_JSON_H

#include "rota/eval.h"
#include "rota/explain.h"
#include "rota/instance.h"
#include "rota/roster.h"

/* What the solver knows about a roster beyond the roster itself. */
typedef struct rota_roster_meta {
    rota_result status;
    int has_bound;          /* 0: "bound" and "gap" are null */
    double bound;           /* a proved lower bound of the objective */
    double solve_seconds;
    double first_seconds;   /* seconds to the first roster, < 0: unknown */
    unsigned seed;
    double time_limit;      /* seconds, < 0: none */
    const char *reason;     /* for infeasible / no_solution: why; may be NULL */
    /* Model size (extension "model"): rows, columns of the master, the
     * number of columns generated and of branch-and-price nodes solved;
     * < 0: not reported. */
    long rows, cols, cols_generated, branch_nodes;
    /* For infeasible: the conflict found (extension "conflict"); may be
     * NULL. */
    const rota_conflict *conflict;
} rota_roster_meta;

/* Fills meta with neutral values (status feasible, no bound, sizes -1). */
void rota_roster_meta_init(rota_roster_meta *meta);

/* Renders the roster as JSON text (keys in the spec's order, then the
 * extensions of docs/roster-json.md; 15 significant digits; a non-finite
 * real as null; a trailing newline).  `e` must be
 * rota_evaluate(inst, r).  Returns a malloc'd string the caller frees, or
 * NULL when out of memory.  r may be NULL (no roster: status no_solution,
 * infeasible or error): then visits, uncovered and staff are empty and
 * objective is null. */
char *rota_roster_to_json(const rota_instance *inst, const rota_roster *r,
                          const rota_eval *e, const rota_roster_meta *meta);

#endif
