/* export_int.h - what the export formats share: the render context (its
 * output a strbuf), dates of the Gregorian calendar and UTF-8 helpers. */
#ifndef ROTA_EXPORT_INT_H
#define ROTA_EXPORT_INT_H

#include <stddef.h>

#include "rota/export.h"
#include "strbuf.h"

/* Everything a format needs; built by export.c. */
typedef struct export_ctx {
    const rota_instance *inst;
    const rota_roster *r;
    const rota_eval *e;
    const rota_export_params *p;
    rota_result status;
    int n_violations;      /* rules the roster breaks (rota_evaluate) */
    int staff, site;       /* filters, -1: none */
    long monday;           /* day number of week 1's Monday */
    long long now;         /* seconds since the epoch */
    strbuf out;
} export_ctx;

/* Whether visit v is assigned and passes the filters. */
int export_keep(const export_ctx *c, int v);
/* Whether visit v passes the filters (assigned or not). */
int export_match(const export_ctx *c, int v);

/* Days since 1970-01-01 of a Gregorian date, and back. */
long export_days_from_civil(int y, int m, int d);
void export_civil_from_days(long z, int *y, int *m, int *d);
/* The date of `day` (0 = mon) in cycle week `week` (1-based), repeating
 * from c->monday. */
long export_date_of(const export_ctx *c, int week, int day);

/* The weeks of a mask split into recurrence groups: the smallest period P
 * in {1, 2, 4} dividing cycle_weeks under which the mask repeats, and the
 * weeks 1..P of the mask (first[i], i < *n).  Each group is one series
 * "every P weeks from week first[i]".  Returns P. */
int export_week_groups(unsigned weeks, int cycle_weeks, int first[4], int *n);

/* Columns a UTF-8 string takes in a terminal: one per code point that is
 * not a continuation byte or a combining mark (U+0300..U+036F). */
int export_utf8_width(const char *s);
/* Byte length of the longest prefix of s that fits in `cols` columns,
 * never splitting a character; *width gets its columns. */
size_t export_utf8_fit(const char *s, int cols, int *width);

/* The formats. */
void export_ics(export_ctx *c);
void export_csv(export_ctx *c);
void export_text(export_ctx *c);
void export_html(export_ctx *c);

#endif
