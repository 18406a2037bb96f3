/* diff.h - what changed between two rosters (`rota diff`).
 *
 * Works on the roster JSON alone (no instance): a re-plan after someone
 * left refers to a staff member the new instance no longer has.  Visits
 * are matched by (site, role).  For each visit the diff says whether it
 * kept its staff member, day, start and weeks, or moved, or became
 * (un)covered, or exists on one side only; per staff member, which visits
 * were lost and gained.
 *
 * Ownership: rota_diff_files() fills a rota_diff freed by rota_diff_free().
 */
#ifndef ROTA_DIFF_H
#define ROTA_DIFF_H

#include "rota/diag.h"

/* What changed about one visit (bits). */
enum {
    ROTA_DIFF_STAFF = 1,       /* covered on both sides, another staff member */
    ROTA_DIFF_DAY = 2,
    ROTA_DIFF_START = 4,
    ROTA_DIFF_WEEKS = 8,
    ROTA_DIFF_COVERED = 16,    /* uncovered before, covered now */
    ROTA_DIFF_UNCOVERED = 32,  /* covered before, uncovered now */
    ROTA_DIFF_ADDED = 64,      /* only in the new roster */
    ROTA_DIFF_REMOVED = 128,   /* only in the old roster */
};

typedef struct rota_diff_slot {
    int present;               /* listed in this roster */
    int covered;               /* in visits[] (else in uncovered[]) */
    char *staff;               /* owned; NULL when uncovered */
    int day, start, end;       /* 0..6, minutes; -1 when uncovered (end -1: null) */
    unsigned weeks;            /* bit w-1: week w */
} rota_diff_slot;

typedef struct rota_diff_item {
    char *site, *role;         /* owned */
    rota_diff_slot old, now;
    unsigned changes;          /* 0: unchanged */
} rota_diff_item;

typedef struct rota_diff_staff {
    char *id;                  /* owned */
    int before, after;         /* visits assigned in each roster */
    int lost, gained;          /* visits that left / joined this person */
} rota_diff_staff;

typedef struct rota_diff {
    int n_items;
    rota_diff_item *items;     /* old roster's order, then new-only visits */
    int n_staff;
    rota_diff_staff *staff;    /* first appearance order */
    int both_covered;          /* visits covered in both rosters */
    int kept;                  /* of those: same staff, day, start, weeks */
    int unchanged;             /* items with no change at all */
} rota_diff;

/* Reads both roster files and compares them.  ROTA_OK; ROTA_EINPUT or
 * ROTA_EIO with every problem in diags as FILE:LINE:COL: message;
 * ROTA_ENOMEM. */
rota_status rota_diff_files(const char *old_path, const char *new_path,
                            rota_diff *out, rota_diags *diags);
void rota_diff_free(rota_diff *d);

/* The change bits as words: "staff, day, start" ...; into buf. */
const char *rota_diff_changes_str(unsigned changes, char *buf, size_t n);

/* The diff as text for people (per site, then per staff member) and as the
 * rota-diff/1 JSON document (docs/replan.md); malloc'd, NULL when out of
 * memory.  all: list unchanged visits too (text only). */
char *rota_diff_text(const rota_diff *d, int all);
char *rota_diff_json(const rota_diff *d, const char *old_path,
                     const char *new_path);

#endif
