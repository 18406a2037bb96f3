/* explain.h - why a visit is uncovered in a roster.
 *
 * For an uncovered visit, rota_explain_visit() tries every placement the
 * rules could allow - each staff member, day, start on the slot grid and
 * phase - against the roster as it stands, with the same day walk and
 * capacity arithmetic as rota_evaluate(), and notes for each placement the
 * first rule that refuses it.  The reason given is the rule that stops the
 * placements that get furthest: a visit that fits some candidate's day but
 * not that candidate's week is "capacity", not "busy".  Kinds, in the order
 * a placement is tried:
 *
 *   not_allowed   no staff member passes rule 2.1 (role, staff_allowed,
 *                 districts, pin.staff)
 *   no_window     no start on the slot grid lies inside the visit's windows
 *                 (and its pinned day or start) and a candidate's
 *                 availability that day (2.3)
 *   blocked       every such start collides with a blocked interval (team
 *                 meeting, own blocked time) or leaves no time to travel
 *                 there and back inside the availability (2.5, alone)
 *   busy          every start that works alone collides with the
 *                 candidates' other visits or the travel between them (2.5)
 *   day_visits    the candidates' days have max_visits_per_day already (2.6)
 *   travel_limit  the day's travel would exceed max_travel_per_day (2.6)
 *   capacity      the week's visit and travel minutes would exceed the
 *                 candidate's capacity (2.7)
 *   max_sites     the candidate serves max_sites sites already (2.8)
 *   joint         it fits, but its joint partner fits at none of those
 *                 times and weeks (2.4)
 *   placeable     it fits somewhere: the search left it out because
 *                 covering it costs more than leaving it (soft coverage) or
 *                 did not find the place
 *
 * Ownership: rota_explainer_new() allocates and borrows inst and r (they
 * must outlive it); rota_explainer_free() frees.
 */
#ifndef ROTA_EXPLAIN_H
#define ROTA_EXPLAIN_H

#include "rota/diag.h"
#include "rota/eval.h"
#include "rota/instance.h"
#include "rota/roster.h"

typedef enum rota_why_kind {
    ROTA_WHY_NOT_ALLOWED,
    ROTA_WHY_NO_WINDOW,
    ROTA_WHY_BLOCKED,
    ROTA_WHY_BUSY,
    ROTA_WHY_DAY_VISITS,
    ROTA_WHY_TRAVEL_LIMIT,
    ROTA_WHY_CAPACITY,
    ROTA_WHY_MAX_SITES,
    ROTA_WHY_JOINT,
    ROTA_WHY_PLACEABLE,
} rota_why_kind;

typedef struct rota_why {
    rota_why_kind kind;
    int n_candidates;     /* staff members passing rule 2.1 */
    /* One placement that got as far as `kind` (staff -1 when none). */
    int staff, day, start, week;
    char msg[640];        /* a sentence for a department head */
} rota_why;

typedef struct rota_explainer rota_explainer;

/* An explainer for roster r (which should have no violation: the figures
 * are taken as they stand).  NULL when out of memory. */
rota_explainer *rota_explainer_new(const rota_instance *inst,
                                   const rota_roster *r);
/* Explains uncovered visit v against the roster as it stands (a covered
 * visit is tried as a second copy of itself, which tells little).
 * Returns ROTA_OK or ROTA_ENOMEM. */
rota_status rota_explain_visit(rota_explainer *ex, int v, rota_why *out);
void rota_explainer_free(rota_explainer *ex);

/* "not_allowed", "no_window", ... */
const char *rota_why_kind_str(rota_why_kind k);

/* ---- infeasibility explained ---------------------------------------- */

/* Groups of rules the conflict search relaxes one at a time. */
typedef enum rota_rule_group {
    ROTA_RG_PIN,            /* pins (2.1) */
    ROTA_RG_JOINT,          /* joint visits (2.4) */
    ROTA_RG_MAX_SITES,      /* max_sites (2.8) */
    ROTA_RG_DAY_VISITS,     /* max_visits_per_day (2.6) */
    ROTA_RG_DAY_TRAVEL,     /* max_travel_per_day (2.6) */
    ROTA_RG_TRAVEL,         /* travel times between places (2.5) */
    ROTA_RG_STAFF_ALLOWED,  /* staff_allowed (2.1) */
    ROTA_RG_DISTRICTS,      /* districts (2.1) */
    ROTA_RG_BLOCKED,        /* blocked intervals, team meetings (2.5) */
    ROTA_RG_AVAILABILITY,   /* staff days and hours (2.3) */
    ROTA_RG_WINDOWS,        /* visit windows (2.3) */
    ROTA_RG_CAPACITY,       /* weekly capacity (2.7) */
    ROTA_RG_COUNT
} rota_rule_group;

/* A set of visits and rule groups that cannot hold together. */
typedef struct rota_conflict {
    int proved;             /* 1: infeasibility proved; the rest is set */
    int minimal;            /* 1: no visit or group can go (by the proofs
                               of presolve); 0: the time ran out first */
    int n_visits;
    int *visits;            /* indices into the instance, owned */
    unsigned rules;         /* bit g: group g is part of the conflict */
    int n_staff;
    int *staff;             /* staff members the details name, owned */
    char *proof;            /* presolve's reason on the conflict, owned */
    char *message;          /* the whole explanation, owned */
} rota_conflict;

/* Looks for a small conflict in a hard-coverage instance: a deletion
 * filter over the visits, then over the rule groups, keeping each
 * deletion (or relaxation) after which presolve still proves the
 * instance infeasible.  Stops refining after `seconds` (the result is
 * then a conflict, not necessarily a minimal one).  out->proved is 0 when
 * presolve proves nothing about inst.  Returns ROTA_OK or ROTA_ENOMEM;
 * free out with rota_conflict_free. */
rota_status rota_explain_infeasible(const rota_instance *inst, double seconds,
                                    rota_conflict *out);
void rota_conflict_free(rota_conflict *c);

/* "pin", "joint", ... "capacity". */
const char *rota_rule_group_str(rota_rule_group g);

#endif
