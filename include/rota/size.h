/* size.h - the least team that covers every visit, and what-if figures
 * for other team sizes (`rota size`).
 *
 * The team of size k for a role: the instance's staff of that role in file
 * order, the last ones removed when k is smaller (never one named by a pin
 * or a staff_allowed list), new positions added when k is larger.  A new
 * position copies a template staff member (contract hours, office, days,
 * availability, blocked time, districts, max_sites) or, with no template,
 * is a fresh full-time position at the week's defaults; hours and office
 * can be overridden.  Staff of other roles stay as they are.  So the teams
 * grow by inclusion, and a team that cannot cover everything is no better
 * with a member fewer.
 *
 * Both sides are shown: K covers everything when the solver returns a
 * roster with no visit uncovered (every roster it returns has passed
 * rota_evaluate with no violation, and the CLI can write it); K - 1 cannot
 * when one of these proves it:
 *
 *   presolve   presolve's proofs on the team of K - 1 under hard coverage
 *              (a visit fits nowhere, per-role minutes against capacity,
 *              visits per day, max_sites), or
 *   interval   visits whose windows force them to be under way at one
 *              time on one day (every week) need that many staff working
 *              that day, or
 *   travel     the role's visit minutes plus a lower bound on the travel
 *              of any tours through them (an assignment LP: each
 *              occurrence entered once and left once, arcs only where a
 *              day allows them) exceed the team's capacity, or
 *   bound      the solver's proved lower bound on the number of uncovered
 *              visits (objective: 1 per uncovered visit, nothing else) is
 *              above zero; on small instances column generation holds
 *              every column and this is an exhaustive proof.
 *
 * When none of these proves K - 1 infeasible in the time given, K is an
 * upper bound and the result says that K - 1 is unresolved.
 *
 * Ownership: rota_size_run fills a rota_size_result the caller frees with
 * rota_size_result_free; the instance given is borrowed and not changed.
 */
#ifndef ROTA_SIZE_H
#define ROTA_SIZE_H

#include <signal.h>

#include "rota/diag.h"
#include "rota/instance.h"
#include "rota/roster.h"

typedef enum rota_size_proof {
    ROTA_SIZE_UNRESOLVED = 0, /* neither side known */
    ROTA_SIZE_COVERS,         /* a roster covers every visit */
    ROTA_SIZE_PRESOLVE,       /* cannot: presolve's proof */
    ROTA_SIZE_INTERVAL,       /* cannot: forced simultaneous visits */
    ROTA_SIZE_BOUND,          /* cannot: the solver's bound */
    ROTA_SIZE_TRAVEL,         /* cannot: visit minutes + travel bound > capacity */
} rota_size_proof;

/* One line of the what-if table. */
typedef struct rota_size_row {
    int k;                    /* staff of the role */
    int solved;               /* 0: proved without a solve; figures unset */
    int n_staff;              /* staff in all */
    int has_roster;           /* 0: no roster found in the time */
    rota_result result;       /* of the solve with the instance's weights */
    int covered, uncovered;   /* visits */
    double covered_need, uncovered_need;
    double travel_week;       /* minutes of travel per week, all staff */
    double mean_util, max_util;   /* over the staff of the role */
    double objective;         /* with the instance's weights, soft coverage */
    rota_size_proof proof;    /* what is known about covering everything */
    char why[512];            /* the proof in words */
} rota_size_row;

typedef struct rota_size_params {
    int role;                 /* role index; required */
    int min_k, max_k;         /* table range; -1: around the least size */
    int tmpl;                 /* template staff index, -1: a fresh position */
    double hours;             /* > 0: hours of new positions */
    int office;               /* >= 0: office of new positions */
    double time_limit;        /* seconds per solve; default 10 */
    unsigned seed;            /* default 1 */
    long max_iterations;      /* per solve, 0: no limit (default) */
    int use_cg;               /* default 1 */
    /* Called after each line is known; may be NULL. */
    void (*progress)(const rota_size_row *row, void *user);
    void *progress_user;
    const volatile sig_atomic_t *stop;
} rota_size_params;

typedef struct rota_size_result {
    int role;
    int n_now;                /* staff of the role in the instance */
    int least;                /* least k found covering everything, -1: none */
    int proved;               /* 1: least - 1 proved unable (or least is 0) */
    int lower;                /* the largest k proved unable, -1: none */
    int n_rows;
    rota_size_row *rows;      /* by k, ascending */
    rota_instance *team;      /* the instance with `least` staff (NULL: none) */
    rota_roster *roster;      /* its roster covering everything (NULL: none) */
} rota_size_result;

void rota_size_params_init(rota_size_params *p);

/* Finds the least size and fills the table.  Returns ROTA_OK (whatever was
 * found), ROTA_EINPUT (params out of range, said in diags) or
 * ROTA_ENOMEM. */
rota_status rota_size_run(const rota_instance *inst, const rota_size_params *p,
                          rota_size_result *out, rota_diags *diags);
void rota_size_result_free(rota_size_result *r);

/* The team of size k as an instance (see above); NULL when out of memory or
 * when k staff cannot be reached (too many pinned members to remove). */
rota_instance *rota_size_team(const rota_instance *inst,
                              const rota_size_params *p, int k);

/* The result as the rota-size/1 JSON document of docs/size.md (without a
 * trailing newline); malloc'd, NULL when out of memory. */
char *rota_size_to_json(const rota_instance *inst, const rota_size_result *r);

/* "unresolved", "covers", "presolve", "interval", "bound", "travel". */
const char *rota_size_proof_str(rota_size_proof p);

#endif
