/* eval.h - judging a roster: every rule of spec section 2, every figure of
 * sections 3 and 4.
 *
 * rota_evaluate() is the single source of truth for what a roster costs and
 * whether it is feasible.  The solver calls it on every roster it writes, the
 * checker on every roster it reads, so the figures rota reports are exactly
 * the ones `rota check` recomputes.
 *
 * The day-level functions underneath (rota_visit_time_ok, rota_day_walk) are
 * exposed for the solver's inner loops: they allocate nothing.
 */
#ifndef ROTA_EVAL_H
#define ROTA_EVAL_H

#include "rota/instance.h"
#include "rota/roster.h"

/* Rule numbers of spec section 2; ROTA_RULE_COVERAGE is "a visit is neither
 * assigned nor allowed to stay uncovered" (the opening paragraph of §2). */
typedef enum rota_rule {
    ROTA_RULE_COVERAGE = 0,
    ROTA_RULE_ROLE = 1,
    ROTA_RULE_FIXED_SLOT = 2,
    ROTA_RULE_TIME = 3,
    ROTA_RULE_JOINT = 4,
    ROTA_RULE_TOUR = 5,
    ROTA_RULE_DAY = 6,
    ROTA_RULE_WEEK = 7,
    ROTA_RULE_SITES = 8,
} rota_rule;

typedef struct rota_terms {
    double travel, continuity, slot_change, preference, balance, uncovered;
} rota_terms;

typedef struct rota_leg {
    int from, to;          /* places */
    int depart, arrive;    /* minutes after 00:00 */
    int minutes;           /* travel + buffer (0 between the same place) */
} rota_leg;

/* One tour: leaves the office, visits, returns.  Legs are
 * eval.legs[first_leg .. first_leg + n_legs). */
typedef struct rota_tour {
    int staff, week, day;  /* week is 1-based */
    int first_leg, n_legs;
} rota_tour;

typedef struct rota_violation {
    rota_rule rule;
    int visit;             /* -1 when not about one visit */
    int staff;             /* -1 when not about one staff member */
    int week;              /* 1-based, 0 when not about one week */
    int day;               /* 0..6, -1 when not about one day */
    char *msg;             /* owned; a sentence without the rule prefix */
} rota_violation;

typedef struct rota_staff_figures {
    int visit_minutes_week[ROTA_MAX_WEEKS];   /* per cycle week */
    int travel_minutes_week[ROTA_MAX_WEEKS];
    double visit_minutes;   /* averaged per week over the cycle */
    double travel_minutes;  /* averaged per week over the cycle */
    double capacity;        /* hours * 60 * consult_share */
    double utilisation;     /* u of spec section 3 */
    int n_sites;            /* distinct sites served */
    int n_visits;           /* visits assigned */
} rota_staff_figures;

typedef struct rota_eval {
    rota_terms terms;
    double objective;
    int n_covered, n_uncovered;
    rota_staff_figures *staff;     /* n_staff entries */
    int n_tours;
    rota_tour *tours;              /* by staff, week, day, time */
    int n_legs;
    rota_leg *legs;
    int n_viol;
    rota_violation *viol;
} rota_eval;

/* Evaluates a roster.  Always computes the figures (a broken roster still
 * has travel and terms, computed the same way); violations list every rule
 * broken.  Returns ROTA_ENOMEM on allocation failure (out is then freed and
 * zeroed).  Free with rota_eval_free. */
rota_status rota_evaluate(const rota_instance *inst, const rota_roster *r,
                          rota_eval *out);
void rota_eval_free(rota_eval *e);

/* "role", "fixed slot", ... a short name for each rule. */
const char *rota_rule_name(rota_rule rule);

/* Rule 2.3 for one visit placed at (staff, day, start): start a multiple of
 * slot_minutes, [start, start+minutes] inside one window of the visit on
 * that day and inside one availability window of the staff member. */
int rota_visit_time_ok(const rota_instance *inst, int staff, int visit,
                       int day, int start);

/* Whether the visit at (day, start) lies wholly inside one of its preferred
 * windows (1 when it has no `preferred`: no cost). */
int rota_visit_preferred_ok(const rota_instance *inst, int visit, int day,
                            int start);

/* One item of a staff member's day in one week. */
typedef struct rota_day_item {
    int visit;
    int start;
} rota_day_item;

/* Problems rota_day_walk can find (rules 2.5 and 2.6). */
typedef enum rota_day_problem {
    ROTA_DAY_OK = 0,
    ROTA_DAY_BLOCKED,       /* a visit overlaps a blocked interval / gap   (2.5) */
    ROTA_DAY_EARLY,         /* first leg departs before availability starts (2.5) */
    ROTA_DAY_OVERLAP,       /* a visit starts before previous end + leg    (2.5) */
    ROTA_DAY_LATE,          /* the leg back arrives after availability end (2.5) */
    ROTA_DAY_TOO_MANY,      /* more than max_visits_per_day                (2.6) */
    ROTA_DAY_TOO_MUCH_TRAVEL, /* more than max_travel_per_day              (2.6) */
} rota_day_problem;

/* Receives each problem found (item is the index into items of the visit
 * concerned, -1 for the day as a whole). */
typedef void (*rota_day_report)(void *user, rota_day_problem p, int item,
                                int detail);

/* Walks one staff member's day: items must be sorted by start.  Splits the
 * day into tours at blocked intervals and availability gaps, computes every
 * leg (written to legs if non-NULL; at most 2 * n legs, tours_out receives
 * for each leg the tour number 0.. it belongs to if non-NULL) and returns
 * the total leg minutes in *travel.  Returns the first problem found
 * (ROTA_DAY_OK when the day is feasible); report, if non-NULL, receives all
 * of them.  Allocates nothing. */
rota_day_problem rota_day_walk(const rota_instance *inst, int staff, int day,
                               const rota_day_item *items, int n,
                               int *travel, rota_leg *legs, int *n_legs,
                               int *leg_tour, rota_day_report report,
                               void *user);

#endif
