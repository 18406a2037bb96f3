/* instance.h - the instance model (spec section 1), resolved and checked.
 *
 * A rota_instance is built by rota_instance_load() and is read-only after
 * that: every default is filled in, every reference is an index, every time
 * is minutes after 00:00, and travel minutes are precomputed for every pair
 * of places.  The structs are public so that modules can read them directly;
 * only the loader writes them.
 *
 * Ownership: rota_instance_load() allocates; rota_instance_free() frees
 * everything reachable from the instance.
 */
#ifndef ROTA_INSTANCE_H
#define ROTA_INSTANCE_H

#include <stdint.h>
#include "rota/diag.h"

#define ROTA_DAYS 7          /* mon=0 .. sun=6 */
#define ROTA_MAX_WEEKS 4     /* cycle_weeks is 1, 2 or 4 */

/* Limits of one instance (docs/limits.md); the loader rejects an instance
 * beyond any of them with a positioned message before it builds anything
 * in proportion.  ROTA_MAX_PAIRS bounds the model the solver builds: its
 * columns and tables grow with staff x visits. */
#define ROTA_MAX_FILE_BYTES (64u * 1024u * 1024u) /* instance and matrix files */
#define ROTA_MAX_STAFF 1000
#define ROTA_MAX_PLACES 5000      /* offices + sites: travel is places^2 ints */
#define ROTA_MAX_VISITS 10000
#define ROTA_MAX_PAIRS 1000000L   /* staff x visits */

extern const char *const rota_day_names[ROTA_DAYS]; /* "mon" .. "sun" */

/* A closed interval of minutes after 00:00: [start, end], start < end. */
typedef struct rota_span {
    int start, end;
} rota_span;

/* A list of spans on one day, sorted by start (windows may overlap as given). */
typedef struct rota_spans {
    int n;
    rota_span *v;
} rota_spans;

typedef enum rota_site_kind {
    ROTA_KIND_SCHOOL, ROTA_KIND_DAYCARE, ROTA_KIND_FAMILY_DAYCARE, ROTA_KIND_OTHER
} rota_site_kind;

/* Where a key was written, for messages about it later (e.g. by check). */
typedef struct rota_pos {
    int line, col;
} rota_pos;

typedef struct rota_office {
    char *id, *name;
    int has_loc;
    double lat, lon;
    rota_pos pos;
} rota_office;

typedef struct rota_staff {
    char *id, *name;
    int role;                   /* index into instance.roles */
    double hours;               /* contract hours per week, (0, 60] */
    int office;                 /* index into instance.offices */
    double consult_share;       /* own or rules.consult_share */
    double capacity;            /* hours * 60 * consult_share, minutes per week */
    rota_spans avail[ROTA_DAYS];   /* availability windows; n = 0: not working */
    rota_spans blocked[ROTA_DAYS]; /* rules.blocked + own blocked, sorted, merged */
    /* Tour segments: availability minus blocked intervals, sorted, disjoint.
     * Each tour leaves the office at or after seg.start and is back by seg.end. */
    rota_spans seg[ROTA_DAYS];
    int max_sites;              /* -1: no limit */
    int n_districts;            /* -1: serves every district; else the list below */
    int *districts;             /* indices into instance.districts */
    rota_pos pos;
} rota_staff;

typedef struct rota_site {
    char *id, *name;
    rota_site_kind kind;
    int has_loc;
    double lat, lon;
    int district;               /* index into instance.districts, -1: none */
    double need;                /* weight of leaving a visit uncovered, default 1 */
    int first_visit, n_visits;  /* its visits are instance.visits[first_visit ..] */
    rota_pos pos;
} rota_site;

/* A partial assignment (current, pin): -1 in a field means "not given". */
typedef struct rota_slot_ref {
    int staff, day, start;
} rota_slot_ref;

typedef struct rota_visit {
    int site;                   /* index into instance.sites */
    int role;                   /* index into instance.roles */
    int minutes;
    int every_weeks;            /* 1, 2 or 4, divides cycle_weeks */
    rota_spans windows[ROTA_DAYS];   /* effective windows (defaults filled in) */
    int has_preferred;
    rota_spans preferred[ROTA_DAYS];
    rota_slot_ref current;      /* fields -1 when not given */
    rota_slot_ref pin;          /* fields -1 when not given */
    int n_allowed;              /* -1: staff_allowed not given */
    int *allowed;               /* staff indices */
    int with;                   /* visit index this one joins (its `with`), -1 */
    int partner;                /* joint partner in either direction, -1 */
    rota_pos pos;               /* the visit's mapping in the YAML */
} rota_visit;

typedef struct rota_instance {
    char *path;                 /* as given to the loader */
    char *name;

    /* week */
    unsigned days_mask;         /* bit d set: day d is in week.days */
    int day_start, day_end;     /* week window */
    int slot_minutes;
    int cycle_weeks;

    /* travel */
    double speed_kmh, detour_factor;
    int buffer_minutes;
    char *matrix_path;          /* resolved relative to the instance, or NULL */

    /* rules */
    double consult_share;
    int max_visits_per_day;
    int max_travel_per_day;
    rota_spans blocked[ROTA_DAYS];  /* rules.blocked */
    int coverage_soft;          /* 0: hard, 1: soft */

    /* objective weights */
    double w_travel, w_continuity, w_slot_change, w_preference, w_balance,
           w_uncovered;

    int n_offices;
    rota_office *offices;
    int n_staff;
    rota_staff *staff;
    int n_sites;
    rota_site *sites;
    int n_visits;
    rota_visit *visits;         /* grouped by site, in file order */

    int n_roles;
    char **roles;               /* role words, in order of first appearance */
    int n_districts;
    char **districts;

    /* Places: offices are places 0 .. n_offices-1, site s is place
     * n_offices + s.  travel[a * n_places + b] is travel(a, b) in minutes
     * without buffer (spec section 2); -1 for office-office pairs that no
     * tour uses and that had no data. */
    int n_places;
    int *travel;
} rota_instance;

/* Loads and checks an instance file.  On success returns ROTA_OK and sets
 * *out (free with rota_instance_free).  On failure *out is NULL, the return
 * says why, and every problem found is appended to diags as
 * FILE:LINE:COLUMN: message (all of them, not just the first). */
rota_status rota_instance_load(const char *path, rota_instance **out,
                               rota_diags *diags);

/* Same from a buffer; `path` names it in messages and anchors a relative
 * travel.matrix (NULL: the current directory). */
rota_status rota_instance_load_buffer(const char *data, size_t len,
                                      const char *path, rota_instance **out,
                                      rota_diags *diags);

/* Same for text from outside (a request to rota serve): no file is read,
 * so travel.matrix must be inline (a list of [from, to, minutes]); a file
 * name there is an input error.  `name` names the text in messages. */
rota_status rota_instance_load_untrusted(const char *data, size_t len,
                                         const char *name, rota_instance **out,
                                         rota_diags *diags);

void rota_instance_free(rota_instance *inst);

/* Lookups by id; -1 when absent. Linear, for the CLI and the checker. */
int rota_find_staff(const rota_instance *inst, const char *id);
int rota_find_site(const rota_instance *inst, const char *id);
int rota_find_role(const rota_instance *inst, const char *word);
/* The visit of `role` at `site`, -1 when the site has none. */
int rota_find_visit(const rota_instance *inst, int site, int role);
/* 0..6 for "mon".."sun", -1 otherwise. */
int rota_day_from_name(const char *s);

static inline int rota_site_place(const rota_instance *inst, int site)
{
    return inst->n_offices + site;
}
static inline int rota_visit_place(const rota_instance *inst, int visit)
{
    return inst->n_offices + inst->visits[visit].site;
}
static inline int rota_staff_place(const rota_instance *inst, int staff)
{
    return inst->staff[staff].office;
}
static inline const char *rota_place_id(const rota_instance *inst, int place)
{
    return place < inst->n_offices ? inst->offices[place].id
                                   : inst->sites[place - inst->n_offices].id;
}

/* The weeks (bit w-1 for week w) in which a visit of every_weeks e with
 * phase p (1..e) occurs in a cycle of W weeks. */
unsigned rota_phase_weeks(int every_weeks, int phase, int cycle_weeks);
/* The phase (1..every_weeks) whose weeks are `weeks`, 0 when none is. */
int rota_phase_of(int every_weeks, unsigned weeks, int cycle_weeks);

/* Whether staff k may take visit v by rule 2.1 (role, staff_allowed,
 * districts, pin.staff). Day and start parts of the pin are not looked at. */
int rota_staff_may_take(const rota_instance *inst, int staff, int visit);

/* Formats minutes after 00:00 as "HH:MM" into buf (at least 6 bytes). */
const char *rota_fmt_time(int minutes, char buf[6]);
/* Parses "HH:MM" (00:00..24:00); -1 when malformed. */
int rota_parse_time(const char *s);

#endif
