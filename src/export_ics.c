/* export_ics.c - a roster as iCalendar (RFC 5545).
 *
 * One VCALENDAR; one VEVENT per fixed slot and recurrence group: a visit
 * in weeks {1, 3} of a 4-week cycle is one event every 2 weeks from week
 * 1; weeks {1, 2} of a 4-week cycle (a roster breaking rule 2) are two
 * events every 4 weeks.  Times are local to Europe/Copenhagen, given by a
 * VTIMEZONE.  Lines end in CRLF and are folded at 75 octets without
 * splitting a UTF-8 character; TEXT values escape \ ; , and newlines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export_int.h"
#include "rota_config.h"

#define FOLD 75

/* Emits one content line (without CRLF in `line`) folded at FOLD octets:
 * a fold goes before the first octet of a character that would not fit,
 * so a multibyte character is never split. */
static void put_line(strbuf *b, const char *line)
{
    size_t n = strlen(line), at = 0;
    int width = 0;   /* octets on the current physical line */
    while (at < n) {
        size_t clen = 1;
        unsigned char ch = (unsigned char)line[at];
        if (ch >= 0xf0) clen = 4;
        else if (ch >= 0xe0) clen = 3;
        else if (ch >= 0xc0) clen = 2;
        if (at + clen > n)
            clen = n - at;
        if (width + (int)clen > FOLD) {
            sb_put(b, "\r\n ", 3);
            width = 1;
        }
        sb_put(b, line + at, clen);
        width += (int)clen;
        at += clen;
    }
    sb_put(b, "\r\n", 2);
}

/* Appends s to l as an iCalendar TEXT value. */
static void put_text(strbuf *l, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\': sb_puts(l, "\\\\"); break;
        case ';': sb_puts(l, "\\;"); break;
        case ',': sb_puts(l, "\\,"); break;
        case '\n': sb_puts(l, "\\n"); break;
        case '\r': break;
        default: sb_put(l, s, 1);
        }
    }
}

/* NAME:escaped-text as one folded line. */
static void prop_text(strbuf *b, const char *name, const char *value)
{
    strbuf l = {0};
    sb_puts(&l, name);
    sb_puts(&l, ":");
    put_text(&l, value);
    if (!l.oom)
        put_line(b, l.s);
    else
        b->oom = 1;
    free(l.s);
}

static void prop_raw(strbuf *b, const char *fmt, const char *value)
{
    char line[256];
    snprintf(line, sizeof line, fmt, value);
    put_line(b, line);
}

/* FNV-1a, 64 bits: a stable hash for UIDs (no dependence on memory or
 * time). */
static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    h ^= 0x1f;   /* field separator */
    h *= 1099511628211ULL;
    return h;
}

/* Why without staff, day and start: a re-import of a changed roster must
 * update the event of the same visit (a new time, a new counsellor)
 * rather than add a second one; the visit and its first week name it. */
static void uid(const export_ctx *c, int v, int week, char *buf, size_t n)
{
    const rota_instance *inst = c->inst;
    const rota_visit *x = &inst->visits[v];
    char w[16];
    snprintf(w, sizeof w, "%d", week);
    uint64_t h = 14695981039346656037ULL;
    h = fnv(h, inst->name);
    h = fnv(h, inst->sites[x->site].id);
    h = fnv(h, inst->roles[x->role]);
    h = fnv(h, w);
    snprintf(buf, n, "rota-%016llx@rota", (unsigned long long)h);
}

static void put_vtimezone(strbuf *b)
{
    static const char *const tz[] = {
        "BEGIN:VTIMEZONE", "TZID:" ROTA_EXPORT_TZID,
        "X-LIC-LOCATION:" ROTA_EXPORT_TZID,
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
        "TZNAME:CEST", "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
        "TZNAME:CET", "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
        "END:VTIMEZONE",
    };
    for (size_t i = 0; i < sizeof tz / sizeof tz[0]; i++)
        put_line(b, tz[i]);
}

static void local_stamp(long day, int minutes, char buf[32])
{
    int y, m, d;
    export_civil_from_days(day, &y, &m, &d);
    snprintf(buf, 32, "%04d%02d%02dT%02d%02d00", y, m, d, minutes / 60,
             minutes % 60);
}

/* "weeks 1, 3 of 4" or "every week". */
static void weeks_text(const export_ctx *c, unsigned weeks, strbuf *l)
{
    int W = c->inst->cycle_weeks, n = 0;
    if (weeks == (1u << W) - 1) {
        sb_puts(l, "every week");
        return;
    }
    sb_puts(l, "cycle weeks ");
    for (int w = 1; w <= W; w++)
        if (weeks >> (w - 1) & 1)
            sb_printf(l, "%s%d", n++ ? ", " : "", w);
    sb_printf(l, " of %d", W);
}

static void description(const export_ctx *c, int v, strbuf *l)
{
    const rota_instance *inst = c->inst;
    const rota_visit *x = &inst->visits[v];
    const rota_assign *a = &c->r->a[v];
    const rota_staff *k = &inst->staff[a->staff];
    sb_printf(l, "%s visit by %s [%s] at %s [%s], %d minutes, ",
              inst->roles[x->role], k->name, k->id, inst->sites[x->site].name,
              inst->sites[x->site].id, x->minutes);
    weeks_text(c, a->weeks, l);
    sb_puts(l, ".");
    if (x->partner >= 0 && c->r->a[x->partner].staff >= 0) {
        const rota_staff *o = &inst->staff[c->r->a[x->partner].staff];
        sb_printf(l, "\nJoint visit with the %s: %s [%s].",
                  inst->roles[inst->visits[x->partner].role], o->name, o->id);
    }
    sb_printf(l, "\nPlan: %s.", inst->name);
}

static void put_event(export_ctx *c, int v, int first_week, int period,
                      const char *dtstamp)
{
    const rota_instance *inst = c->inst;
    const rota_visit *x = &inst->visits[v];
    const rota_site *s = &inst->sites[x->site];
    const rota_assign *a = &c->r->a[v];
    strbuf *b = &c->out;
    char buf[128], t0[32], t1[32];
    long day = export_date_of(c, first_week, a->day);
    put_line(b, "BEGIN:VEVENT");
    uid(c, v, first_week, buf, sizeof buf);
    prop_raw(b, "UID:%s", buf);
    prop_raw(b, "DTSTAMP:%s", dtstamp);
    local_stamp(day, a->start, t0);
    local_stamp(day, a->start + x->minutes, t1);
    prop_raw(b, "DTSTART;TZID=" ROTA_EXPORT_TZID ":%s", t0);
    prop_raw(b, "DTEND;TZID=" ROTA_EXPORT_TZID ":%s", t1);
    snprintf(buf, sizeof buf, "RRULE:FREQ=WEEKLY;INTERVAL=%d", period);
    put_line(b, buf);
    strbuf l = {0};
    sb_puts(&l, s->name);
    if (c->staff < 0)
        sb_printf(&l, ": %s", inst->staff[a->staff].name);
    prop_text(b, "SUMMARY", l.oom ? "" : l.s);
    l.n = 0;
    description(c, v, &l);
    prop_text(b, "DESCRIPTION", l.oom ? "" : l.s);
    b->oom |= l.oom;
    free(l.s);
    prop_text(b, "LOCATION", s->name);
    if (s->has_loc) {
        snprintf(buf, sizeof buf, "GEO:%.6f;%.6f", s->lat, s->lon);
        put_line(b, buf);
    }
    prop_text(b, "CATEGORIES", inst->roles[x->role]);
    put_line(b, "TRANSP:OPAQUE");
    put_line(b, "END:VEVENT");
}

static void calendar_name(const export_ctx *c, strbuf *l)
{
    sb_puts(l, c->inst->name);
    if (c->staff >= 0)
        sb_printf(l, " – %s", c->inst->staff[c->staff].name);
    if (c->site >= 0)
        sb_printf(l, " – %s", c->inst->sites[c->site].name);
}

void export_ics(export_ctx *c)
{
    strbuf *b = &c->out;
    char dtstamp[32];
    time_t now = (time_t)c->now;
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(dtstamp, sizeof dtstamp, "%Y%m%dT%H%M%SZ", &tm);
    put_line(b, "BEGIN:VCALENDAR");
    put_line(b, "VERSION:2.0");
    put_line(b, "PRODID:-//rota//rota " ROTA_VERSION "//EN");
    put_line(b, "CALSCALE:GREGORIAN");
    put_line(b, "METHOD:PUBLISH");
    strbuf l = {0};
    calendar_name(c, &l);
    prop_text(b, "X-WR-CALNAME", l.oom ? "" : l.s);
    b->oom |= l.oom;
    free(l.s);
    put_line(b, "X-WR-TIMEZONE:" ROTA_EXPORT_TZID);
    put_vtimezone(b);
    for (int v = 0; v < c->inst->n_visits; v++) {
        if (!export_keep(c, v))
            continue;
        int first[4], n;
        int period = export_week_groups(c->r->a[v].weeks,
                                        c->inst->cycle_weeks, first, &n);
        for (int i = 0; i < n; i++)
            put_event(c, v, first[i], period, dtstamp);
    }
    put_line(b, "END:VCALENDAR");
}
