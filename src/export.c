/* export.c - the entry points of rota/export.h: read the roster, resolve
 * filters and the first date, evaluate, and hand a context to one format
 * (export_ics.c, export_csv.c, export_text.c, export_html.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export_int.h"
#include "rota/check.h"

void rota_export_params_init(rota_export_params *p)
{
    memset(p, 0, sizeof *p);
    p->format = ROTA_EXPORT_TEXT;
    p->csv_table = ROTA_EXPORT_CSV_VISITS;
    p->width = 100;
}

static const char *const format_names[] = {"ics", "csv", "text", "html"};

int rota_export_format_from_name(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (name && strcmp(name, format_names[i]) == 0)
            return i;
    return -1;
}

const char *rota_export_format_name(rota_export_format f)
{
    return (unsigned)f < 4 ? format_names[f] : "?";
}

const char *rota_export_mime_type(rota_export_format f)
{
    switch (f) {
    case ROTA_EXPORT_ICS: return "text/calendar; charset=utf-8";
    case ROTA_EXPORT_CSV: return "text/csv; charset=utf-8; header=present";
    case ROTA_EXPORT_TEXT: return "text/plain; charset=utf-8";
    case ROTA_EXPORT_HTML: return "text/html; charset=utf-8";
    }
    return "application/octet-stream";
}

/* ---- filters -------------------------------------------------------- */

int export_match(const export_ctx *c, int v)
{
    const rota_assign *a = &c->r->a[v];
    if (c->site >= 0 && c->inst->visits[v].site != c->site)
        return 0;
    if (c->staff >= 0 && a->staff != c->staff)
        return 0;
    return 1;
}

int export_keep(const export_ctx *c, int v)
{
    return c->r->a[v].staff >= 0 && c->r->a[v].weeks != 0 &&
           export_match(c, v);
}

/* ---- dates ---------------------------------------------------------- */

/* Howard Hinnant's days_from_civil: exact for every Gregorian date. */
long export_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void export_civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 0 = Monday; 1970-01-01 was a Thursday. */
static int weekday(long z)
{
    return (int)(((z + 3) % 7 + 7) % 7);
}

static long last_sunday(int y, int m)
{
    long z = export_days_from_civil(y, m, 31);
    return z - (weekday(z) + 1) % 7;
}

/* Today's date in Europe/Copenhagen: UTC+1, UTC+2 from 01:00 UTC on the
 * last Sunday of March to 01:00 UTC on the last Sunday of October (EU
 * rule since 1996).  Computed here so the answer does not depend on the
 * TZ of the machine. */
static long copenhagen_today(long long now)
{
    long long day = now >= 0 ? now / 86400 : -((-now + 86399) / 86400);
    int y, m, d;
    export_civil_from_days((long)day, &y, &m, &d);
    long long start = (long long)last_sunday(y, 3) * 86400 + 3600;
    long long end = (long long)last_sunday(y, 10) * 86400 + 3600;
    long long local = now + (now >= start && now < end ? 7200 : 3600);
    return (long)(local >= 0 ? local / 86400 : -((-local + 86399) / 86400));
}

/* "YYYY-MM-DD" strictly; -1 on a malformed or impossible date. */
static int parse_date(const char *s, long *out)
{
    int y, m, d, n = 0;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 ||
        n != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    if (y < 1900 || m < 1 || m > 12 || d < 1)
        return -1;
    long z = export_days_from_civil(y, m, d);
    int y2, m2, d2;
    export_civil_from_days(z, &y2, &m2, &d2);
    if (y2 != y || m2 != m || d2 != d)
        return -1;
    *out = z;
    return 0;
}

long export_date_of(const export_ctx *c, int week, int day)
{
    return c->monday + 7L * (week - 1) + day;
}

/* ---- recurrence ----------------------------------------------------- */

/* Why the smallest period and not every_weeks: a roster that breaks rule
 * 2 (weeks {1, 2} of a visit every 4 weeks) must still export the weeks
 * it states, and a regular one gets the fewest events. */
int export_week_groups(unsigned weeks, int cycle_weeks, int first[4], int *n)
{
    int period = cycle_weeks;
    for (int cand = 1; cand < cycle_weeks; cand *= 2) {
        if (cycle_weeks % cand)
            continue;
        int ok = 1;
        for (int w = 0; w < cycle_weeks && ok; w++)
            ok = !(weeks >> w & 1) == !(weeks >> (w % cand) & 1);
        if (ok) {
            period = cand;
            break;
        }
    }
    *n = 0;
    for (int w = 0; w < period; w++)
        if (weeks >> w & 1)
            first[(*n)++] = w + 1;
    return period;
}

/* ---- UTF-8 ---------------------------------------------------------- */

/* Decodes the code point at s (well-formed input assumed: the loaders
 * and Jansson reject malformed UTF-8); sets *len. */
static unsigned utf8_cp(const unsigned char *s, int *len)
{
    if (s[0] < 0x80) {
        *len = 1;
        return s[0];
    }
    int n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
    unsigned cp = s[0] & (0x3f >> (n - 1));
    int i = 1;
    for (; i < n && (s[i] & 0xc0) == 0x80; i++)
        cp = cp << 6 | (s[i] & 0x3f);
    *len = i;
    return cp;
}

static int cp_width(unsigned cp)
{
    return cp >= 0x300 && cp <= 0x36f ? 0 : 1;
}

int export_utf8_width(const char *s)
{
    int w = 0, len;
    for (const unsigned char *u = (const unsigned char *)s; *u; u += len)
        w += cp_width(utf8_cp(u, &len));
    return w;
}

size_t export_utf8_fit(const char *s, int cols, int *width)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t at = 0;
    int w = 0, len;
    while (u[at]) {
        int cw = cp_width(utf8_cp(u + at, &len));
        if (w + cw > cols)
            break;
        w += cw;
        at += (size_t)len;
    }
    *width = w;
    return at;
}

/* ---- entry points --------------------------------------------------- */

static int check_params(const rota_instance *inst, const rota_export_params *p,
                        export_ctx *c, rota_diags *diags)
{
    int bad = 0;
    c->staff = c->site = -1;
    if ((unsigned)p->format > ROTA_EXPORT_HTML) {
        rota_diags_add(diags, NULL, 0, 0, "unknown export format %d",
                       (int)p->format);
        bad = 1;
    }
    if (p->staff && (c->staff = rota_find_staff(inst, p->staff)) < 0) {
        rota_diags_add(diags, NULL, 0, 0, "unknown staff member '%s'",
                       p->staff);
        bad = 1;
    }
    if (p->site && (c->site = rota_find_site(inst, p->site)) < 0) {
        rota_diags_add(diags, NULL, 0, 0, "unknown site '%s'", p->site);
        bad = 1;
    }
    if (p->width && (p->width < 60 || p->width > 400)) {
        rota_diags_add(diags, NULL, 0, 0,
                       "width %d out of range (60..400)", p->width);
        bad = 1;
    }
    c->now = p->now ? p->now : (long long)time(NULL);
    long from;
    if (p->from) {
        if (parse_date(p->from, &from) < 0) {
            rota_diags_add(diags, NULL, 0, 0,
                           "bad date '%s': expected YYYY-MM-DD", p->from);
            bad = 1;
        } else {
            c->monday = from + (7 - weekday(from)) % 7;
        }
    } else {
        long today = copenhagen_today(c->now);
        c->monday = today + 7 - weekday(today);
    }
    return bad ? -1 : 0;
}

rota_status rota_export_roster(const rota_instance *inst,
                               const rota_roster *r, const rota_eval *e,
                               rota_result status,
                               const rota_export_params *p, char **out,
                               size_t *out_len, rota_diags *diags)
{
    export_ctx c;
    rota_eval own;
    memset(&c, 0, sizeof c);
    memset(&own, 0, sizeof own);
    *out = NULL;
    *out_len = 0;
    if (check_params(inst, p, &c, diags) < 0)
        return ROTA_EINPUT;
    if (!e) {
        if (rota_evaluate(inst, r, &own) != ROTA_OK)
            return ROTA_ENOMEM;
        e = &own;
    }
    c.inst = inst;
    c.r = r;
    c.e = e;
    c.p = p;
    c.status = status;
    c.n_violations = e->n_viol;
    switch (p->format) {
    case ROTA_EXPORT_ICS: export_ics(&c); break;
    case ROTA_EXPORT_CSV: export_csv(&c); break;
    case ROTA_EXPORT_TEXT: export_text(&c); break;
    case ROTA_EXPORT_HTML: export_html(&c); break;
    }
    rota_eval_free(&own);
    if (c.out.oom || !c.out.s) {
        free(c.out.s);
        return ROTA_ENOMEM;
    }
    *out = c.out.s;
    *out_len = c.out.n;
    return ROTA_OK;
}

/* Why through rota_check_buffer first: it tells whether the document
 * holds a roster at all and its stated status, with the same positioned
 * messages `rota check` gives for a malformed one. */
rota_status rota_export_json(const rota_instance *inst, const char *text,
                             size_t len, const char *path,
                             const rota_export_params *p, char **out,
                             size_t *out_len, rota_diags *diags)
{
    rota_check_report rep;
    rota_roster *r = NULL;
    *out = NULL;
    *out_len = 0;
    rota_check_report_init(&rep);
    rota_status st = rota_check_buffer(inst, text, len, path, &rep, diags);
    if (st != ROTA_OK)
        goto done;
    if (!rep.has_roster) {
        rota_diags_add(diags, path, 0, 0,
                       "the document holds no roster (status %s)",
                       rota_result_str(rep.status));
        st = ROTA_EINPUT;
        goto done;
    }
    st = rota_roster_read(inst, text, len, path, &r, diags);
    if (st != ROTA_OK)
        goto done;
    st = rota_export_roster(inst, r, NULL, rep.status, p, out, out_len,
                            diags);
done:
    rota_roster_free(r);
    rota_check_report_free(&rep);
    return st;
}
