/* export_csv.c - a roster as CSV (RFC 4180): CRLF line ends, a header
 * row, a field quoted when it holds a comma, a quote, CR or LF (quotes
 * doubled), UTF-8 without a byte-order mark.  Two tables
 * (params.csv_table): the visits, one row per visit (uncovered ones with
 * an empty staff, day and time), and the staff, one row per staff member
 * with the week's figures.  Reals use a dot and up to 15 significant
 * digits whatever the locale of the reader. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "export_int.h"

static void field(strbuf *b, const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n")) {
        sb_put(b, "\"", 1);
        for (; *s; s++) {
            if (*s == '"')
                sb_put(b, "\"", 1);
            sb_put(b, s, 1);
        }
        sb_put(b, "\"", 1);
    } else {
        sb_puts(b, s);
    }
    sb_puts(b, last ? "\r\n" : ",");
}

static void fieldf(strbuf *b, int last, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void fieldf(strbuf *b, int last, const char *fmt, ...)
{
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    field(b, buf, last);
}

static void header(strbuf *b, const char *const *cols, int n)
{
    for (int i = 0; i < n; i++)
        field(b, cols[i], i == n - 1);
}

static void visit_row(export_ctx *c, int v)
{
    const rota_instance *inst = c->inst;
    const rota_visit *x = &inst->visits[v];
    const rota_site *s = &inst->sites[x->site];
    const rota_assign *a = &c->r->a[v];
    strbuf *b = &c->out;
    int covered = a->staff >= 0 && a->weeks != 0;
    field(b, s->id, 0);
    field(b, s->name, 0);
    field(b, inst->roles[x->role], 0);
    field(b, covered ? inst->staff[a->staff].id : "", 0);
    field(b, covered ? inst->staff[a->staff].name : "", 0);
    char t[6], w[16] = "";
    field(b, covered ? rota_day_names[a->day] : "", 0);
    field(b, covered ? rota_fmt_time(a->start, t) : "", 0);
    field(b, covered ? rota_fmt_time(a->start + x->minutes, t) : "", 0);
    fieldf(b, 0, "%d", x->minutes);
    size_t n = 0;
    for (int k = 1; covered && k <= inst->cycle_weeks; k++)
        if (a->weeks >> (k - 1) & 1)
            n += (size_t)snprintf(w + n, sizeof w - n, "%s%d", n ? " " : "", k);
    field(b, w, 0);
    fieldf(b, 0, "%d", x->every_weeks);
    if (covered) {
        int first = 1;
        while (!(a->weeks >> (first - 1) & 1))
            first++;
        int y, m, d;
        export_civil_from_days(export_date_of(c, first, a->day), &y, &m, &d);
        fieldf(b, 0, "%04d-%02d-%02d", y, m, d);
    } else {
        field(b, "", 0);
    }
    field(b, covered ? "covered" : "uncovered", 1);
}

static void visits_table(export_ctx *c)
{
    static const char *const cols[] = {
        "site", "site_name", "role", "staff", "staff_name", "day", "start",
        "end", "minutes", "weeks", "every_weeks", "first_date", "status"};
    header(&c->out, cols, (int)(sizeof cols / sizeof cols[0]));
    for (int v = 0; v < c->inst->n_visits; v++)
        if (export_match(c, v) &&
            (c->staff < 0 || (c->r->a[v].staff >= 0 && c->r->a[v].weeks)))
            visit_row(c, v);
}

/* Whether staff k appears under the filters: the staff filter names it,
 * or the site filter's site has a visit of k. */
static int staff_shown(const export_ctx *c, int k)
{
    if (c->staff >= 0 && k != c->staff)
        return 0;
    if (c->site < 0)
        return 1;
    for (int v = 0; v < c->inst->n_visits; v++)
        if (c->inst->visits[v].site == c->site && c->r->a[v].staff == k)
            return 1;
    return 0;
}

static void staff_table(export_ctx *c)
{
    static const char *const cols[] = {
        "staff", "name", "role", "office", "hours", "capacity_minutes",
        "visits", "sites", "visit_minutes", "travel_minutes", "utilisation"};
    const rota_instance *inst = c->inst;
    strbuf *b = &c->out;
    int n = (int)(sizeof cols / sizeof cols[0]);
    for (int i = 0; i < n; i++)
        field(b, cols[i], 0);
    for (int w = 1; w <= inst->cycle_weeks; w++) {
        fieldf(b, 0, "visit_minutes_week%d", w);
        fieldf(b, w == inst->cycle_weeks, "travel_minutes_week%d", w);
    }
    for (int k = 0; k < inst->n_staff; k++) {
        if (!staff_shown(c, k))
            continue;
        const rota_staff *s = &inst->staff[k];
        const rota_staff_figures *f = &c->e->staff[k];
        field(b, s->id, 0);
        field(b, s->name, 0);
        field(b, inst->roles[s->role], 0);
        field(b, inst->offices[s->office].id, 0);
        fieldf(b, 0, "%.15g", s->hours);
        fieldf(b, 0, "%.15g", f->capacity);
        fieldf(b, 0, "%d", f->n_visits);
        fieldf(b, 0, "%d", f->n_sites);
        fieldf(b, 0, "%.15g", f->visit_minutes);
        fieldf(b, 0, "%.15g", f->travel_minutes);
        fieldf(b, 0, "%.15g", f->utilisation);
        for (int w = 1; w <= inst->cycle_weeks; w++) {
            fieldf(b, 0, "%d", f->visit_minutes_week[w - 1]);
            fieldf(b, w == inst->cycle_weeks, "%d",
                   f->travel_minutes_week[w - 1]);
        }
    }
}

void export_csv(export_ctx *c)
{
    if (c->p->csv_table == ROTA_EXPORT_CSV_STAFF)
        staff_table(c);
    else
        visits_table(c);
}
