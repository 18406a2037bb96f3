/* load.h - internals shared by the instance loader's files:
 * load_yaml.c (the document, week, travel, rules, objective, offices,
 * staff), load_sites.c (sites and visits), load_util.c (scalars, times,
 * windows, keys, id maps) and matrix_csv.c (the travel matrix and the
 * travel table).
 *
 * Every ld_* reader reports what is wrong with a node through ld_err (which
 * counts it) and returns -1; the loader goes on with a default so that one
 * run reports every problem of a file.
 *
 * Choices where spec section 1 is silent (compatible, documented here):
 *   - required: format, name, offices/staff/sites (non-empty), id; staff
 *     role, hours, office; site visits (non-empty); visit role, minutes.
 *     Optional: every name (defaults to the id), site kind (other),
 *     every_weeks (1), locations (then the matrix must cover the pairs).
 *   - numbers are plain scalars ("37" in quotes is an error); times may be
 *     quoted or plain.  minutes 1..1440; speed_kmh 1..1000; detour_factor
 *     1..10 (keeps every estimate inside an int); buffer 0..1440.
 *   - empty lists where they would silently mean "nothing" are errors:
 *     windows/days/preferred with no day or a day with no window,
 *     staff_allowed: [], districts: [].  A repeated entry is an error.
 *   - a staff district that no site uses is an error (a misspelling would
 *     leave that person without work).  A visit role nobody has is not:
 *     solve reports it.
 *   - matrix: one row per direction; (a,b) and (b,a) may differ; the same
 *     direction twice must agree; a place to itself must be 0; minutes
 *     0..1440.  Unknown ids are reported on their first row only.
 *   - at most 5000 places (the travel table is n^2 ints), 1000 staff,
 *     10000 visits, 10^6 staff x visits pairs (ROTA_MAX_* in
 *     rota/instance.h, checked on the tree before anything is built);
 *     64 MiB per file (the matrix is read at most that far, even from a
 *     device), 64 KiB per scalar, nesting depth 64.  docs/limits.md.
 */
#ifndef ROTA_LOAD_H
#define ROTA_LOAD_H

#include "rota/instance.h"
#include "yaml_tree.h"

/* A string -> int map with borrowed keys (open addressing). */
typedef struct strmap {
    const char **keys;
    int *vals;
    size_t cap, n;
} strmap;

int strmap_get(const strmap *m, const char *key);   /* -1 when absent */
int strmap_put(strmap *m, const char *key, int val); /* 0, or -1 out of memory */
void strmap_free(strmap *m);

typedef struct ld {
    const char *path;        /* for messages; may be NULL */
    rota_diags *diags;
    int nerr;
    int oom;
    rota_instance *inst;
    strmap office_ids, staff_ids, site_ids, roles, districts;
    int roles_cap, districts_cap;
    unsigned char *place_bad;  /* per place: its location was wrong (reported) */
    const yt_node *matrix_node; /* travel.matrix value, for messages */
    int no_files;              /* text from outside: travel.matrix must be inline */
    int matrix_inline;         /* travel.matrix is a list of [from, to, minutes] */
} ld;

/* An empty cell of the travel table while it is being filled. */
#define LD_TRAVEL_UNSET (-2)

void ld_err(ld *L, const yt_node *at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void ld_err_at(ld *L, int line, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
char *ld_strdup(ld *L, const char *s);
void *ld_calloc(ld *L, size_t n, size_t size);

/* Checks that every key of `map` is in `known` (NULL-terminated); reports
 * each other key with the closest known one.  `what` names the mapping in
 * messages ("in visit").  Returns 0 when `map` is a mapping. */
int ld_keys(ld *L, const yt_node *map, const char *what,
            const char *const *known);
/* Reports `n` unless it is a mapping / a sequence; -1 when it is not. */
int ld_is_map(ld *L, const yt_node *n, const char *key);
int ld_is_seq(ld *L, const yt_node *n, const char *key);
/* A mapping's required key: reports "missing key" at the mapping. */
const yt_node *ld_need(ld *L, const yt_node *map, const char *key,
                       const char *what);

/* Scalars.  `key` names the value in messages. */
int ld_str(ld *L, const yt_node *n, const char *key, const char **out);
int ld_id(ld *L, const yt_node *n, const char *key, const char **out);
int ld_word(ld *L, const yt_node *n, const char *key, const char **out);
int ld_int(ld *L, const yt_node *n, const char *key, long lo, long hi,
           int *out);
int ld_num(ld *L, const yt_node *n, const char *key, double *out);
int ld_day(ld *L, const yt_node *n);
int ld_time(ld *L, const yt_node *n, const char *key);
/* One day's windows: "HH:MM-HH:MM" or a list of them, sorted by start. */
int ld_windows(ld *L, const yt_node *n, rota_spans *out);
/* {day: windows}: fills out[] (days not named stay empty). */
int ld_daymap(ld *L, const yt_node *n, const char *key,
              rota_spans out[ROTA_DAYS]);

/* Reports each repeat in xs[0..n) ("WHAT 'x' is listed twice", at the
 * repeat's node, which must be a scalar) and drops it keeping the order;
 * returns the new length.  Sorting keeps a hostile list n log n. */
int ld_unique(ld *L, int *xs, const yt_node **at, int n, const char *what);
/* Whether the diagnostics list is full (then suggestions are not worth
 * computing: the message is only counted). */
int ld_quiet(const ld *L);

/* Suggestion for a misspelt word: the closest of `cands` within edit
 * distance 2, or NULL. */
const char *ld_closest(const char *word, const char *const *cands, int n);

/* Span lists. */
int spans_add(rota_spans *s, int start, int end);
void spans_sort(rota_spans *s);
void spans_merge(rota_spans *s);     /* sort, then join overlapping/touching */
int spans_copy(rota_spans *dst, const rota_spans *src);
/* dst = union(a) minus union(b), sorted and disjoint. */
int spans_subtract(rota_spans *dst, const rota_spans *a, const rota_spans *b);

/* Word lists (roles, districts) in order of first appearance. */
int ld_role(ld *L, const char *word);
int ld_district(ld *L, const char *word);

/* 1, 2 or 4 (cycle_weeks, every_weeks). */
int ld_weeks(ld *L, const yt_node *n, const char *key, int *out);
/* An office (kind 0) or staff member (kind 1) named by id: its index, or
 * -1 after "unknown ..." with the closest id. */
int ld_ref(ld *L, const yt_node *n, const char *key, int kind);
/* {lat, lon} in range: 0 with *has_loc = 1, or -1 after a message. */
int ld_location(ld *L, const yt_node *n, int *has_loc, double *lat, double *lon);

/* Records a new office/staff/site id in `kind` (ids are unique across
 * all three); -1 after "duplicate id" when it is taken. */
int ld_claim_id(ld *L, const yt_node *n, const char *id, strmap *kind, int idx);
/* The top-level list `key`, required and non-empty, or NULL (reported). */
const yt_node *ld_list(ld *L, const yt_node *root, const char *key,
                       const char *one);

/* The parts in other files. */
void ld_sites(ld *L, const yt_node *root);
void ld_check_staff_districts(ld *L, const yt_node *root);
/* Reads travel.matrix (when given) and fills inst->travel. */
void ld_travel_table(ld *L);
/* The inline travel.matrix (L->matrix_node, a list of [from, to, minutes])
 * into the np x np table t, with the CSV's rules (matrix_inline.c). */
void ld_matrix_inline(ld *L, int *t, int np);

#endif
