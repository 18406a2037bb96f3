/* check.h - reading a roster JSON (spec section 4) and judging it.
 *
 * rota_check_buffer() reads a roster document, maps it onto the instance
 * (one assignment or "uncovered" per visit), runs rota_evaluate() on it and
 * compares every figure the document states with the recomputed one.  What
 * it finds goes into a report:
 *
 *   RULE findings    a rule of spec section 2 is broken (rule 0 is coverage:
 *                    a visit missing, listed twice, or uncovered under hard
 *                    coverage);
 *   FIGURE findings  a stated figure (objective, a term, a staff member's
 *                    minutes, utilisation, a tour or leg, end, status, bound,
 *                    gap) differs from the recomputed one by more than
 *                    ROTA_CHECK_TOLERANCE, or is inconsistent.
 *
 * A document that cannot be read as a roster of this instance (JSON syntax,
 * duplicate keys, a wrong type, an unknown site, role or staff member, a
 * malformed time or day) is not judged: the call returns ROTA_EINPUT and
 * every problem is in diags as FILE:LINE:COLUMN: message.
 *
 * The library never prints; rota_finding_format() and
 * rota_check_report_json() render a report for the command line.
 *
 * Ownership: the report owns its findings; free with
 * rota_check_report_free().  The instance is borrowed.
 */
#ifndef ROTA_CHECK_H
#define ROTA_CHECK_H

#include <stddef.h>

#include "rota/diag.h"
#include "rota/eval.h"
#include "rota/instance.h"
#include "rota/roster.h"

#define ROTA_CHECK_TOLERANCE 1e-6             /* for every real figure */
#define ROTA_CHECK_MAX_BYTES (16u << 20)      /* larger rosters are refused */
#define ROTA_CHECK_MAX_FINDINGS 10000         /* more are counted, not kept */

typedef enum rota_finding_kind {
    ROTA_FINDING_RULE,     /* a rule of spec section 2 is broken */
    ROTA_FINDING_FIGURE,   /* a stated figure is wrong */
} rota_finding_kind;

typedef struct rota_finding {
    rota_finding_kind kind;
    rota_rule rule;        /* RULE findings only */
    char *field;           /* FIGURE findings: JSON path ("staff[1].utilisation"); owned */
    int visit;             /* instance visit, -1 when not about one visit */
    int staff;             /* -1 when not about one staff member */
    int week;              /* 1-based, 0 when not about one week */
    int day;               /* 0..6, -1 when not about one day */
    int line, col;         /* in the roster text, 1-based; 0 = unknown */
    char *msg;             /* owned; a sentence without rule or context prefix */
} rota_finding;

typedef struct rota_check_report {
    size_t n, cap;
    rota_finding *items;
    int n_rule, n_figure;  /* findings of each kind (kept or not) */
    size_t n_dropped;      /* findings counted but not kept (over the cap) */
    int has_roster;        /* 0: a document with status infeasible,
                              no_solution or error and no visits */
    rota_result status;    /* as stated */
    int has_objective;     /* the stated objective is a number */
    double stated_objective;
    double objective;      /* recomputed (section 3) */
    rota_terms terms;      /* recomputed */
    int n_covered, n_uncovered;
    int oom;               /* a finding was lost to an allocation failure */
} rota_check_report;

void rota_check_report_init(rota_check_report *rep);
/* Frees every finding; rep is left empty and reusable. */
void rota_check_report_free(rota_check_report *rep);

/* Whether the roster is feasible (no RULE finding). */
int rota_check_feasible(const rota_check_report *rep);
/* Whether the roster is feasible and every stated figure is right. */
int rota_check_ok(const rota_check_report *rep);

/* Checks the roster document text[0..len) against inst; `path` names it in
 * messages (may be NULL).  Returns ROTA_OK with the verdict in rep;
 * ROTA_EINPUT with every problem in diags (rep then holds nothing);
 * ROTA_ENOMEM.  rep must be initialised; findings are appended. */
rota_status rota_check_buffer(const rota_instance *inst, const char *text,
                              size_t len, const char *path,
                              rota_check_report *rep, rota_diags *diags);

/* Same for a file; ROTA_EIO when it cannot be read (diags says why),
 * ROTA_EINPUT also when it is larger than ROTA_CHECK_MAX_BYTES. */
rota_status rota_check_file(const rota_instance *inst, const char *path,
                            rota_check_report *rep, rota_diags *diags);

/* Reads only the assignments of a roster document (visits and uncovered;
 * figures are not looked at, a visit listed twice keeps its first entry,
 * a visit not listed stays uncovered).  On success *out is a new roster;
 * on failure *out is NULL and diags says why. */
rota_status rota_roster_read(const rota_instance *inst, const char *text,
                             size_t len, const char *path, rota_roster **out,
                             rota_diags *diags);

/* Renders one finding as a line without newline, e.g.
 *   rule 5 (tours): sw1 week 2 tue: visit s3/social_worker at 09:00 ...
 *   figure staff[0].travel_minutes: sw1: states 95, recomputed 97
 * into buf (truncated to n bytes); returns buf. */
char *rota_finding_format(const rota_instance *inst, const rota_finding *f,
                          char *buf, size_t n);

/* The summary line: "feasible; objective 123.45 matches" or
 * "N violations, M figure mismatches". */
char *rota_check_summary(const rota_check_report *rep, char *buf, size_t n);

/* The verdict as a JSON document (format "rota-check/1", see
 * docs/roster-json.md); malloc'd, NULL when out of memory. */
char *rota_check_report_json(const rota_instance *inst,
                             const rota_check_report *rep,
                             const char *roster_path);

/* The diagnostics of a malformed input as a verdict document (format
 * "rota-check/1", verdict "malformed"); malloc'd, NULL when out of memory. */
char *rota_diags_json(const rota_diags *d);

#endif
