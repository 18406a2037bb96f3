/* export_text.c - a roster for a terminal or a printer: per counsellor a
 * week grid (days as columns; visits and travel legs as rows, in time
 * order), one grid per cycle week when the cycle is longer than a week,
 * then a summary table and the uncovered visits.  Columns are counted in
 * characters (UTF-8 aware, so æøå take one column each) and cells are cut
 * with "…" to fit params.width. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_int.h"

#define MAX_LINES 64   /* rows of one day cell; a day has at most a few */

typedef struct cell {
    int n;
    char *line[MAX_LINES];
} cell;

/* Appends s padded (or cut with "…") to exactly `cols` columns. */
static void put_fit(strbuf *b, const char *s, int cols)
{
    int w = export_utf8_width(s);
    if (w > cols) {
        sb_put(b, s, export_utf8_fit(s, cols - 1, &w));
        sb_puts(b, "…");
        w++;
    } else {
        sb_puts(b, s);
    }
    for (; w < cols; w++)
        sb_put(b, " ", 1);
}

static void cell_add(cell *c, strbuf *b, const char *fmt, const char *a,
                     const char *z)
{
    if (c->n >= MAX_LINES)
        return;
    char buf[512];
    snprintf(buf, sizeof buf, fmt, a, z);
    c->line[c->n] = strdup(buf);
    if (!c->line[c->n]) {
        b->oom = 1;
        return;
    }
    c->n++;
}

static void cell_free(cell *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->line[i]);
    c->n = 0;
}

/* Visits of staff k on day d in week w passing the filters, by start. */
static int day_visits(const export_ctx *c, int k, int w, int d, int *out)
{
    int n = 0;
    for (int v = 0; v < c->inst->n_visits; v++) {
        const rota_assign *a = &c->r->a[v];
        if (a->staff != k || a->day != d || !(a->weeks >> (w - 1) & 1) ||
            !export_keep(c, v))
            continue;
        int i = n++;
        while (i > 0 && c->r->a[out[i - 1]].start > a->start) {
            out[i] = out[i - 1];
            i--;
        }
        out[i] = v;
    }
    return n;
}

/* A visit takes two lines: its times, then the site's name. */
static void visit_lines(export_ctx *c, int v, cell *cl)
{
    const rota_instance *inst = c->inst;
    char t0[6], t1[6];
    rota_fmt_time(c->r->a[v].start, t0);
    rota_fmt_time(c->r->a[v].start + inst->visits[v].minutes, t1);
    cell_add(cl, &c->out, "%s-%s", t0, t1);
    cell_add(cl, &c->out, "%s%s", " ", inst->sites[inst->visits[v].site].name);
}

/* Drops the spaces that padded the last column. */
static void end_line(strbuf *b)
{
    while (b->n > 0 && b->s[b->n - 1] == ' ')
        b->s[--b->n] = 0;
    sb_puts(b, "\n");
}

/* The day's lines: each visit, and (without a site filter) before it the
 * leg that leads there, after the last the leg back to the office. */
static void fill_cell(export_ctx *c, int k, int w, int d, int *vis, cell *cl)
{
    const rota_instance *inst = c->inst;
    const rota_eval *e = c->e;
    int n = day_visits(c, k, w, d, vis), next = 0;
    char buf[64];
    for (int t = 0; t < e->n_tours; t++) {
        const rota_tour *tr = &e->tours[t];
        if (tr->staff != k || tr->week != w || tr->day != d)
            continue;
        for (int l = tr->first_leg; l < tr->first_leg + tr->n_legs; l++) {
            const rota_leg *g = &e->legs[l];
            while (next < n && c->r->a[vis[next]].start < g->depart) {
                int v = vis[next++];
                visit_lines(c, v, cl);
            }
            if (c->site >= 0 || g->minutes == 0)
                continue;
            snprintf(buf, sizeof buf, "%d min", g->minutes);
            cell_add(cl, &c->out, "  → %s%s", g->to < inst->n_offices ?
                     "office " : "", buf);
        }
    }
    while (next < n) {
        int v = vis[next++];
        visit_lines(c, v, cl);
    }
}

static int shown_days(const rota_instance *inst, int *days)
{
    int n = 0;
    for (int d = 0; d < ROTA_DAYS; d++) {
        int on = inst->days_mask >> d & 1;
        for (int k = 0; k < inst->n_staff && !on; k++)
            on = inst->staff[k].avail[d].n > 0 &&
                 (inst->days_mask >> d & 1);
        if (on)
            days[n++] = d;
    }
    return n;
}

static void rule(strbuf *b, int ndays, int colw)
{
    for (int i = 0; i < ndays; i++) {
        sb_puts(b, i ? "-+-" : "");
        for (int j = 0; j < colw; j++)
            sb_put(b, "-", 1);
    }
    sb_puts(b, "\n");
}

static void grid(export_ctx *c, int k, int w, int *vis)
{
    strbuf *b = &c->out;
    int days[ROTA_DAYS], nd = shown_days(c->inst, days);
    int colw = (c->p->width - 3 * (nd - 1)) / nd;
    cell cells[ROTA_DAYS];
    int rows = 0;
    memset(cells, 0, sizeof cells);
    for (int i = 0; i < nd; i++) {
        fill_cell(c, k, w, days[i], vis, &cells[i]);
        if (cells[i].n > rows)
            rows = cells[i].n;
    }
    if (c->inst->cycle_weeks > 1) {
        int y, m, dd;
        export_civil_from_days(export_date_of(c, w, 0), &y, &m, &dd);
        sb_printf(b, "week %d of %d (from Monday %04d-%02d-%02d, then every "
                  "%d weeks)\n", w, c->inst->cycle_weeks, y, m, dd,
                  c->inst->cycle_weeks);
    }
    for (int i = 0; i < nd; i++) {
        sb_puts(b, i ? " | " : "");
        put_fit(b, rota_day_names[days[i]], colw);
    }
    end_line(b);
    rule(b, nd, colw);
    for (int r = 0; r < rows; r++) {
        for (int i = 0; i < nd; i++) {
            sb_puts(b, i ? " | " : "");
            put_fit(b, r < cells[i].n ? cells[i].line[r] : "", colw);
        }
        end_line(b);
    }
    if (rows == 0)
        sb_puts(b, "(no visits)\n");
    sb_puts(b, "\n");
    for (int i = 0; i < nd; i++)
        cell_free(&cells[i]);
}

/* Whether staff k has a grid under the filters. */
static int staff_shown(const export_ctx *c, int k)
{
    if (c->staff >= 0)
        return k == c->staff;
    for (int v = 0; v < c->inst->n_visits; v++)
        if (c->r->a[v].staff == k && export_keep(c, v))
            return 1;
    return c->site < 0;
}

static void staff_head(export_ctx *c, int k)
{
    const rota_instance *inst = c->inst;
    const rota_staff *s = &inst->staff[k];
    const rota_staff_figures *f = &c->e->staff[k];
    sb_printf(&c->out, "== %s [%s], %s, office %s\n", s->name, s->id,
              inst->roles[s->role], inst->offices[s->office].name);
    sb_printf(&c->out, "   %d visits at %d sites; per week: visits %.0f min, "
              "travel %.0f min, capacity %.0f min, utilisation %.1f%%\n\n",
              f->n_visits, f->n_sites, f->visit_minutes, f->travel_minutes,
              f->capacity, 100 * f->utilisation);
}

static void summary(export_ctx *c)
{
    const rota_instance *inst = c->inst;
    strbuf *b = &c->out;
    int namew = c->p->width - 72;
    if (namew < 12)
        namew = 12;
    sb_puts(b, "summary (minutes per week, averaged over the cycle)\n");
    put_fit(b, "staff", 10);
    sb_puts(b, " ");
    put_fit(b, "name", namew);
    sb_printf(b, " %-16s %6s %5s %7s %7s %8s %6s\n", "role", "visits",
              "sites", "visits", "travel", "capacity", "util");
    for (int k = 0; k < inst->n_staff; k++) {
        if (!staff_shown(c, k))
            continue;
        const rota_staff *s = &inst->staff[k];
        const rota_staff_figures *f = &c->e->staff[k];
        put_fit(b, s->id, 10);
        sb_puts(b, " ");
        put_fit(b, s->name, namew);
        sb_puts(b, " ");
        put_fit(b, inst->roles[s->role], 16);
        sb_printf(b, " %6d %5d %7.1f %7.1f %8.1f %5.1f%%\n", f->n_visits,
                  f->n_sites, f->visit_minutes, f->travel_minutes,
                  f->capacity, 100 * f->utilisation);
    }
    int n = 0;
    for (int v = 0; v < inst->n_visits; v++) {
        if (c->r->a[v].staff >= 0 && c->r->a[v].weeks)
            continue;
        if (c->staff >= 0 || (c->site >= 0 && inst->visits[v].site != c->site))
            continue;
        if (n++ == 0)
            sb_puts(b, "\nuncovered visits\n");
        const rota_site *s = &inst->sites[inst->visits[v].site];
        sb_printf(b, "  %s [%s], %s, %d min, need %g\n", s->name, s->id,
                  inst->roles[inst->visits[v].role], inst->visits[v].minutes,
                  s->need);
    }
}

static void header(export_ctx *c)
{
    const rota_instance *inst = c->inst;
    const rota_terms *t = &c->e->terms;
    strbuf *b = &c->out;
    int y, m, d;
    export_civil_from_days(c->monday, &y, &m, &d);
    sb_printf(b, "%s\n", inst->name);
    sb_printf(b, "status %s, objective %.2f (travel %.2f, continuity %.0f, "
              "slot change %.0f, preference %.0f, balance %.2f, uncovered "
              "%.0f)\n", rota_result_str(c->status), c->e->objective,
              t->travel, t->continuity, t->slot_change, t->preference,
              t->balance, t->uncovered);
    sb_printf(b, "%d visits covered, %d uncovered; a %d-week cycle from "
              "Monday %04d-%02d-%02d; times are Europe/Copenhagen\n",
              c->e->n_covered, c->e->n_uncovered, inst->cycle_weeks, y, m, d);
    if (c->n_violations)
        sb_printf(b, "WARNING: this roster breaks %d rule%s "
                  "(`rota check` lists them)\n", c->n_violations,
                  c->n_violations == 1 ? "" : "s");
    sb_puts(b, "\n");
}

void export_text(export_ctx *c)
{
    int *vis = malloc(((size_t)c->inst->n_visits + 1) * sizeof *vis);
    if (!vis) {
        c->out.oom = 1;
        return;
    }
    header(c);
    for (int k = 0; k < c->inst->n_staff; k++) {
        if (!staff_shown(c, k))
            continue;
        staff_head(c, k);
        for (int w = 1; w <= c->inst->cycle_weeks; w++)
            grid(c, k, w, vis);
    }
    summary(c);
    free(vis);
}
