/* heur.h - rosters fast: construction and large-neighbourhood search
 * (internal, used by solve.c).
 *
 * Construction inserts visits one unit at a time (a unit is a visit or a
 * joint pair), least flexible first, each at its cheapest feasible
 * (staff, day, start, phase).  The search then destroys part of the roster
 * (random, related, one staff-day, the most expensive, the busiest person)
 * and repairs it by greedy or regret insertion, accepting by simulated
 * annealing on a deterministic random stream.  Every new best roster is
 * handed to a callback (solve.c checks it with rota_evaluate and gives its
 * day patterns to column generation).
 *
 * With the environment variable ROTA_HEUR_SELFTEST set, every sweep is
 * checked against a slow reference and the whole state against
 * rota_day_walk after every iteration (the tests use it; it aborts on the
 * first disagreement).
 *
 * Ownership: rota_heur_new allocates and borrows inst; rota_heur_free frees.
 */
#ifndef ROTA_HEUR_H
#define ROTA_HEUR_H

#include <signal.h>

#include "rota/diag.h"
#include "rota/instance.h"
#include "rota/roster.h"

typedef struct rota_heur rota_heur;

/* When to stop, and whom to tell. */
typedef struct rota_heur_limits {
    double deadline;                     /* rota_now() seconds */
    const volatile sig_atomic_t *stop;   /* may be NULL */
    /* A new best state; covered: 1 when no hard-coverage visit is missing. */
    void (*on_best)(void *user, const rota_roster *r, int covered);
    /* Called every few hundred iterations (progress, time checks). */
    void (*tick)(void *user);
    void *user;
} rota_heur_limits;

/* NULL when out of memory. */
rota_heur *rota_heur_new(const rota_instance *inst, unsigned seed,
                         int verbosity);
void rota_heur_free(rota_heur *h);
void rota_heur_set_limits(rota_heur *h, const rota_heur_limits *lim);

/* Builds a roster from nothing into the current and best state. Under hard
 * coverage it may leave visits uncovered (the search keeps trying). */
void rota_heur_construct(rota_heur *h);

/* Improves by moving single units to their best place until none moves. */
void rota_heur_descend(rota_heur *h);

/* Runs n iterations of large-neighbourhood search (or until the limits).
 * Returns the iterations done. */
long rota_heur_search(rota_heur *h, long n);

/* Makes roster r, found elsewhere and feasible, the current and best state
 * when the search objective says it is better than the best, then trades
 * days between staff members on it (heur_swap.c); on_best hears only of a
 * roster those trades improve (the caller has r).  Returns 1 when taken, 0
 * when not better or not a state the search can hold (then nothing
 * changes).  Call it between rota_heur_search calls (heur_adopt.c). */
int rota_heur_adopt(rota_heur *h, const rota_roster *r);

/* The best state as a roster; its search objective; its uncovered visits
 * that coverage forbids (0 under soft coverage). */
void rota_heur_best(const rota_heur *h, rota_roster *out);
double rota_heur_best_objective(const rota_heur *h);
int rota_heur_best_missing(const rota_heur *h);
long rota_heur_iterations(const rota_heur *h);
long rota_heur_improvements(const rota_heur *h);

#endif
