/* export.h - a roster for people and systems: iCalendar, CSV, a readable
 * text summary and a self-contained HTML report (docs/export.md).
 *
 * Shaped like the solver's API: parameters in a struct filled by an init
 * function, a render call that returns a rota_status and puts every
 * problem of the input in a rota_diags list.
 *
 *     rota_export_params p;
 *     rota_export_params_init(&p);
 *     p.format = ROTA_EXPORT_ICS;
 *     p.staff = "sw1";
 *     char *out; size_t len;
 *     if (rota_export_json(inst, text, text_len, "roster.json", &p,
 *                          &out, &len, &diags) == ROTA_OK)
 *         use(out, len), free(out);
 *
 * Every figure (tours, legs, minutes, utilisation, objective) comes from
 * rota_evaluate() on the roster, never from the document's own numbers, so
 * an export shows what `rota check` would recompute.
 *
 * Dates and times: a roster is a repeating plan of cycle_weeks weeks; an
 * export anchors it in the calendar.  Week 1 of the cycle begins on the
 * Monday on or after params.from ("YYYY-MM-DD"); without `from`, on the
 * first Monday after today (today is the local date of params.now in
 * Europe/Copenhagen).  Times in every format are local times of
 * Europe/Copenhagen, the only time zone rota knows.
 *
 * Ownership: the instance and the text are borrowed; on ROTA_OK *out is a
 * malloc'd buffer of *len bytes plus a terminating NUL (not counted) that
 * the caller frees; on failure *out is NULL and *len 0.  The library never
 * prints.  The functions are reentrant (no global state).
 */
#ifndef ROTA_EXPORT_H
#define ROTA_EXPORT_H

#include <stddef.h>

#include "rota/diag.h"
#include "rota/eval.h"
#include "rota/instance.h"
#include "rota/roster.h"

#define ROTA_EXPORT_TZID "Europe/Copenhagen"

typedef enum rota_export_format {
    ROTA_EXPORT_ICS,    /* iCalendar (RFC 5545), one VEVENT per fixed slot */
    ROTA_EXPORT_CSV,    /* RFC 4180, UTF-8, header row; see csv_table */
    ROTA_EXPORT_TEXT,   /* week grids per counsellor and a summary table */
    ROTA_EXPORT_HTML,   /* one self-contained page: grids, map, bars */
} rota_export_format;

/* Which table a CSV export holds. */
typedef enum rota_export_csv_table {
    ROTA_EXPORT_CSV_VISITS,  /* one row per visit (uncovered ones too) */
    ROTA_EXPORT_CSV_STAFF,   /* one row per staff member: the week's figures */
} rota_export_csv_table;

typedef struct rota_export_params {
    rota_export_format format;       /* default ROTA_EXPORT_TEXT */
    rota_export_csv_table csv_table; /* default ROTA_EXPORT_CSV_VISITS */
    /* Filters, NULL (default): everything.  `staff` keeps one staff
     * member's visits (and, in text and HTML, only their grid); `site`
     * keeps one site's visits.  Both given: the visits matching both.  An
     * id the instance does not know is an input error. */
    const char *staff;
    const char *site;
    /* "YYYY-MM-DD": week 1 of the cycle begins on the Monday on or after
     * it.  NULL (default): the first Monday after today. */
    const char *from;
    /* Seconds since the epoch: "now" for today's date and the iCalendar
     * DTSTAMP.  0 (default): the clock.  Tests pass a fixed value. */
    long long now;
    /* Text only: the width to fit, in columns (default 100; 60..400). */
    int width;
} rota_export_params;

void rota_export_params_init(rota_export_params *p);

/* "ics", "csv", "text", "html" -> format; -1 for anything else. */
int rota_export_format_from_name(const char *name);
const char *rota_export_format_name(rota_export_format f);
/* The MIME type of a format ("text/calendar; charset=utf-8", ...). */
const char *rota_export_mime_type(rota_export_format f);

/* Renders a roster document (the JSON of spec section 4, text[0..len),
 * `path` names it in messages and may be NULL) for the instance.  The
 * document is read like `rota check` reads it: a malformed document, or
 * one that holds no roster (status infeasible, no_solution or error), is
 * ROTA_EINPUT with every problem in diags.  A roster that breaks rules is
 * exported all the same; the text and HTML formats say how many rules it
 * breaks.  Returns ROTA_OK, ROTA_EINPUT (bad document or parameters:
 * unknown staff or site id, a malformed date), ROTA_ENOMEM. */
rota_status rota_export_json(const rota_instance *inst, const char *text,
                             size_t len, const char *path,
                             const rota_export_params *p, char **out,
                             size_t *out_len, rota_diags *diags);

/* Renders a roster in memory (for `rota solve --format`).  `e` is
 * rota_evaluate(inst, r) or NULL (then it is computed); `status` is the
 * roster's status as the solver states it.  Same returns. */
rota_status rota_export_roster(const rota_instance *inst,
                               const rota_roster *r, const rota_eval *e,
                               rota_result status,
                               const rota_export_params *p, char **out,
                               size_t *out_len, rota_diags *diags);

#endif
