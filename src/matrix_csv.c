/* matrix_csv.c - the travel matrix (travel.matrix, a CSV file with header
 * from,to,minutes) and the travel table of every pair of places.
 *
 * travel(a, b) is the matrix entry for (a, b), else the one for (b, a),
 * else the estimate from both coordinates (spec section 2).  A pair with
 * none of these is an input error, reported once per place that lacks a
 * location, not once per pair.  Office-office pairs are never part of a
 * tour: without data they stay -1 and are not an error.
 *
 * The CSV has its own positions: errors in it read MATRIX.csv:LINE:COLUMN.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "rota/travel.h"

#define MAX_PLACES ROTA_MAX_PLACES   /* the table is MAX_PLACES^2 ints */
#define MAX_MATRIX_BYTES ((long)ROTA_MAX_FILE_BYTES)
#define UNSET LD_TRAVEL_UNSET

typedef struct csv {
    ld *L;
    const char *file;   /* the matrix path, for messages */
    int line;
    int np;
    int *t;             /* the travel table being filled */
    strmap unknown;     /* unknown ids reported already (keys owned) */
} csv;

typedef struct field {
    char *s;
    int col;            /* 1-based, characters */
} field;

static void csv_err(csv *c, int col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void csv_err(csv *c, int col, const char *fmt, ...)
{
    char buf[1024], clean[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    yt_clean(buf, clean, sizeof clean);
    rota_diags_add(c->L->diags, c->file, c->line, col, "%s", clean);
    c->L->nerr++;
}

static int char_col(const char *line, const char *p)
{
    int col = 1;
    for (const char *q = line; q < p; q++)
        col += ((unsigned char)*q & 0xC0) != 0x80;
    return col;
}

/* Splits at commas (the line is cut in place) and trims blanks; returns
 * the number of fields, of which the first 4 are kept. */
static int split(char *line, field f[4])
{
    int n = 0;
    char *p = line;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        char *e = p + strlen(p);
        while (e > p && (e[-1] == ' ' || e[-1] == '\t'))
            *--e = '\0';
        if (e - p >= 2 && *p == '"' && e[-1] == '"')
            p++, *--e = '\0';   /* "id" as some spreadsheets write it */
        if (n < 4)
            f[n] = (field){p, char_col(line, p)};
        n++;
        if (!comma)
            return n;
        p = comma + 1;
    }
}

/* A place id to its index: offices 0.., then sites.  An unknown id is
 * reported on its first row only: a site missing from the YAML would
 * otherwise bury every other message under one per row. */
static int place_of(csv *c, const field *f, const char *what)
{
    const ld *L = c->L;
    int i = strmap_get(&L->office_ids, f->s);
    if (i >= 0)
        return i;
    i = strmap_get(&L->site_ids, f->s);
    if (i >= 0)
        return L->inst->n_offices + i;
    if (f->s[0] == '\0') {
        csv_err(c, f->col, "empty '%s' field", what);
        return -1;
    }
    if (strmap_get(&c->unknown, f->s) >= 0)
        return -1;
    csv_err(c, f->col, "unknown place '%s' (not an office or a site id; "
            "reported on its first row only)", f->s);
    char *key = strdup(f->s);
    if (!key || strmap_put(&c->unknown, key, 1) < 0)
        free(key);
    return -1;
}

static int minutes_of(csv *c, const field *f)
{
    const char *s = f->s;
    long v = 0;
    int ok = *s != '\0';
    for (; *s && ok; s++) {
        ok = *s >= '0' && *s <= '9';
        v = v * 10 + (*s - '0');
        ok &= v <= 1440;
    }
    if (!ok) {
        csv_err(c, f->col, "minutes must be a whole number from 0 to 1440 "
                "(got '%s')", f->s);
        return -1;
    }
    return (int)v;
}

static int is_header(const field f[4], int n)
{
    return n == 3 && strcmp(f[0].s, "from") == 0 && strcmp(f[1].s, "to") == 0 &&
           strcmp(f[2].s, "minutes") == 0;
}

/* One data row: from,to,minutes into the table (one direction). */
static void csv_row(csv *c, char *text)
{
    field f[4];
    int n = split(text, f);
    if (n != 3) {
        csv_err(c, 1, "expected 3 fields from,to,minutes, found %d", n);
        return;
    }
    int a = place_of(c, &f[0], "from"), b = place_of(c, &f[1], "to");
    int m = minutes_of(c, &f[2]);
    if (a < 0 || b < 0 || m < 0)
        return;
    if (a == b) {
        if (m != 0)
            csv_err(c, f[2].col, "'%s' to itself must be 0 minutes (got %s)",
                    f[0].s, f[2].s);
        return;
    }
    int *cell = &c->t[a * c->np + b];
    if (*cell != UNSET && *cell != m) {
        csv_err(c, f[2].col, "%s,%s was given before with %d minutes, now %d",
                f[0].s, f[1].s, *cell, m);
        return;
    }
    *cell = m;
}

static void chomp(char *s, ssize_t *n)
{
    while (*n > 0 && (s[*n - 1] == '\n' || s[*n - 1] == '\r'))
        s[--*n] = '\0';
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t')
            return 0;
    return 1;
}

/* One line of the file, without its line break (n bytes). */
static void csv_line(csv *c, char *line, ssize_t n)
{
    char *text = line;
    if (c->line == 1 && strncmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3;   /* a byte order mark, as spreadsheets write it */
    if ((size_t)n != strlen(line)) {
        csv_err(c, 1, "the line contains a NUL byte");
        return;
    }
    if (c->line > 1) {
        if (!blank(text))
            csv_row(c, text);
        return;
    }
    field h[4];
    char *copy = strdup(text);
    if (!copy) {
        c->L->oom = 1;
        return;
    }
    if (!is_header(h, split(copy, h)))
        csv_err(c, 1, "expected the header 'from,to,minutes'");
    free(copy);
}

/* Reads at most MAX_MATRIX_BYTES + 1 bytes of f into a NUL-terminated
 * buffer: a device or a pipe (matrix: /dev/zero) cannot make the reader
 * allocate without bound, nor a file that grows after fstat.  0, or -1
 * with errno set; *len > MAX_MATRIX_BYTES means "too large". */
static int read_bounded(FILE *f, char **out, size_t *len)
{
    size_t cap = 0, n = 0;
    char *buf = NULL;
    for (;;) {
        if (n == cap) {
            if (cap > (size_t)MAX_MATRIX_BYTES)
                break;
            cap = cap ? 2 * cap : 65536;
            if (cap > (size_t)MAX_MATRIX_BYTES + 1)
                cap = (size_t)MAX_MATRIX_BYTES + 1;
            char *b = realloc(buf, cap + 1);
            if (!b) {
                free(buf);
                errno = ENOMEM;
                return -1;
            }
            buf = b;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno;
        free(buf);
        errno = e ? e : EIO;
        return -1;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

/* Splits the text into lines (the last one may lack its line break). */
static void read_lines(csv *c, char *buf, size_t len)
{
    char *p = buf, *end = buf + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *stop = nl ? nl : end;
        ssize_t n = stop - p;
        *stop = '\0';
        c->line++;
        chomp(p, &n);
        csv_line(c, p, n);
        p = stop + 1;
    }
}

/* Reads the matrix file into the table; problems are reported. */
static void read_matrix(ld *L, int *t, int np)
{
    csv c = {.L = L, .file = L->inst->matrix_path, .np = np, .t = t};
    char *text = NULL;
    size_t len = 0;
    FILE *f = fopen(c.file, "r");
    if (!f && errno == ENOMEM) {
        L->oom = 1;
        goto done;
    }
    if (!f || read_bounded(f, &text, &len) < 0) {
        if (errno == ENOMEM)
            L->oom = 1;
        else
            ld_err(L, L->matrix_node, "cannot read travel matrix '%s': %s",
                   c.file, strerror(errno));
        goto done;
    }
    if (len > (size_t)MAX_MATRIX_BYTES) {
        ld_err(L, L->matrix_node, "travel matrix '%s' is larger than 64 MiB", c.file);
        goto done;
    }
    read_lines(&c, text, len);
    if (c.line == 0) {
        c.line = 1;
        csv_err(&c, 1, "the travel matrix is empty: expected the header "
                "'from,to,minutes'");
    }
done:
    if (f)
        fclose(f);
    free(text);
    for (size_t i = 0; i < c.unknown.cap; i++)
        free((char *)c.unknown.keys[i]);
    strmap_free(&c.unknown);
}

/* ---- the table ---- */

static int place_loc(const rota_instance *I, int p, double *lat, double *lon)
{
    if (p < I->n_offices) {
        *lat = I->offices[p].lat, *lon = I->offices[p].lon;
        return I->offices[p].has_loc;
    }
    const rota_site *s = &I->sites[p - I->n_offices];
    *lat = s->lat, *lon = s->lon;
    return s->has_loc;
}

typedef struct missing {
    int *n;      /* per place: pairs without data */
    int *first;  /* per place: the other place of its first such pair */
} missing;

/* A pair without a matrix entry: the estimate, -1 for two offices, or
 * -1 recorded against each place that lacks its location. */
static int fill_pair(ld *L, int a, int b, missing *ms)
{
    const rota_instance *I = L->inst;
    double la, oa, lb, ob;
    int ha = place_loc(I, a, &la, &oa), hb = place_loc(I, b, &lb, &ob);
    if (ha && hb)
        return rota_travel_estimate(rota_haversine_km(la, oa, lb, ob),
                                    I->detour_factor, I->speed_kmh);
    if ((a < I->n_offices && b < I->n_offices) || L->place_bad[a] ||
        L->place_bad[b])
        return -1;
    if (!ha && ms->n[a]++ == 0)
        ms->first[a] = b;
    if (!hb && ms->n[b]++ == 0)
        ms->first[b] = a;
    return -1;
}

static void report_missing(ld *L, const missing *ms, int np)
{
    const rota_instance *I = L->inst;
    for (int p = 0; p < np; p++) {
        if (!ms->n[p])
            continue;
        int office = p < I->n_offices;
        rota_pos pos = office ? I->offices[p].pos : I->sites[p - I->n_offices].pos;
        const char *what = office ? "office" : "site";
        const char *id = rota_place_id(I, p);
        if (!I->matrix_path && !L->matrix_inline)
            ld_err_at(L, pos.line, pos.col, "%s '%s' has no location and there "
                      "is no travel matrix: give it a location or add "
                      "travel.matrix", what, id);
        else if (ms->n[p] == 1)
            ld_err_at(L, pos.line, pos.col, "%s '%s' has no location and the "
                      "travel matrix has no minutes between it and '%s'", what,
                      id, rota_place_id(I, ms->first[p]));
        else
            ld_err_at(L, pos.line, pos.col, "%s '%s' has no location and the "
                      "travel matrix has no minutes between it and '%s' "
                      "(nor %d other place%s)", what, id,
                      rota_place_id(I, ms->first[p]), ms->n[p] - 1,
                      ms->n[p] == 2 ? "" : "s");
    }
}

/* Fills both directions of every pair from the matrix, the other
 * direction or the estimate. */
static void fill_table(ld *L, int *t, int np)
{
    missing ms = {ld_calloc(L, (size_t)np, sizeof(int)),
                  ld_calloc(L, (size_t)np, sizeof(int))};
    if (!ms.n || !ms.first)
        goto done;
    for (int a = 0; a < np; a++) {
        t[a * np + a] = 0;
        for (int b = a + 1; b < np; b++) {
            int *ab = &t[a * np + b], *ba = &t[b * np + a];
            if (*ab == UNSET && *ba == UNSET)
                *ab = *ba = fill_pair(L, a, b, &ms);
            else if (*ab == UNSET)
                *ab = *ba;
            else if (*ba == UNSET)
                *ba = *ab;
        }
    }
    report_missing(L, &ms, np);
done:
    free(ms.n);
    free(ms.first);
}

void ld_travel_table(ld *L)
{
    rota_instance *I = L->inst;
    int np = I->n_offices + I->n_sites;
    if (!I->n_offices || !I->n_sites)
        return;
    if (np > MAX_PLACES) {
        ld_err_at(L, 1, 1, "too many places: %d offices and sites (at most %d)",
                  np, MAX_PLACES);
        return;
    }
    int *t = malloc((size_t)np * (size_t)np * sizeof *t);
    if (!t) {
        L->oom = 1;
        return;
    }
    for (size_t i = 0; i < (size_t)np * (size_t)np; i++)
        t[i] = UNSET;
    if (I->matrix_path)
        read_matrix(L, t, np);
    else if (L->matrix_inline)
        ld_matrix_inline(L, t, np);
    fill_table(L, t, np);
    I->n_places = np;
    I->travel = t;
}
