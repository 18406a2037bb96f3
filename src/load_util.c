/* load_util.c - the loader's small readers: scalars, numbers, days, times,
 * windows, key checks with suggestions, id maps and span lists.
 *
 * Each reader either stores a value and returns 0, or reports the node's
 * problem (1-based line and column of the node) and returns -1.  A YT_BAD
 * node was reported by the tree builder already: readers return -1 for it
 * without a second message.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"

/* ---- messages and memory ---- */

/* Values from the file are echoed in messages: yt_clean keeps a newline
 * in a quoted scalar from breaking the one-line-per-problem output. */
static void vreport(ld *L, int line, int col, const char *fmt, va_list ap)
{
    char buf[1024], clean[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    yt_clean(buf, clean, sizeof clean);
    rota_diags_add(L->diags, L->path, line, col, "%s", clean);
    L->nerr++;
}

void ld_err_at(ld *L, int line, int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(L, line, col, fmt, ap);
    va_end(ap);
}

void ld_err(ld *L, const yt_node *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vreport(L, at ? at->line : 0, at ? at->col : 0, fmt, ap);
    va_end(ap);
}

char *ld_strdup(ld *L, const char *s)
{
    char *d = strdup(s);
    if (!d)
        L->oom = 1;
    return d;
}

void *ld_calloc(ld *L, size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p)
        L->oom = 1;
    return p;
}

/* ---- string map ---- */

static size_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return (size_t)h;
}

int strmap_get(const strmap *m, const char *key)
{
    if (!m->cap)
        return -1;
    for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->keys[i])
            return -1;
        if (strcmp(m->keys[i], key) == 0)
            return m->vals[i];
    }
}

static int strmap_grow(strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    const char **keys = calloc(cap, sizeof *keys);
    int *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    for (size_t j = 0; j < m->cap; j++) {
        if (!m->keys[j])
            continue;
        size_t i = hash_str(m->keys[j]) & (cap - 1);
        while (keys[i])
            i = (i + 1) & (cap - 1);
        keys[i] = m->keys[j];
        vals[i] = m->vals[j];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

/* Inserts or replaces.  Kept at most half full so probes stay short. */
int strmap_put(strmap *m, const char *key, int val)
{
    if (2 * (m->n + 1) > m->cap && strmap_grow(m) < 0)
        return -1;
    size_t i = hash_str(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i])
        m->n++;
    m->keys[i] = key;
    m->vals[i] = val;
    return 0;
}

void strmap_free(strmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---- lists ---- */

typedef struct ipos {
    int x, i;
} ipos;

static int ipos_cmp(const void *pa, const void *pb)
{
    const ipos *a = pa, *b = pb;
    if (a->x != b->x)
        return (a->x > b->x) - (a->x < b->x);
    return (a->i > b->i) - (a->i < b->i);
}

int ld_unique(ld *L, int *xs, const yt_node **at, int n, const char *what)
{
    ipos *p = ld_calloc(L, (size_t)n, sizeof *p);
    char *drop = ld_calloc(L, (size_t)n, 1);
    int m = 0;
    if (!p || !drop)
        goto done;
    for (int i = 0; i < n; i++)
        p[i] = (ipos){xs[i], i};
    qsort(p, (size_t)n, sizeof *p, ipos_cmp);
    for (int j = 1; j < n; j++)
        if (p[j].x == p[j - 1].x) {
            drop[p[j].i] = 1;
            ld_err(L, at[p[j].i], "%s '%s' is listed twice", what, at[p[j].i]->str);
        }
    for (int i = 0; i < n; i++)
        if (!drop[i])
            xs[m++] = xs[i];
done:
    free(p);
    free(drop);
    return m;
}

int ld_quiet(const ld *L)
{
    size_t limit = L->diags->limit ? L->diags->limit : 1000;
    return L->diags->n >= limit;
}

/* ---- suggestions ---- */

/* Edit distance, stopping early beyond 3: only close words are suggested. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40 || (la > lb ? la - lb : lb - la) > 3)
        return 99;
    int row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *ld_closest(const char *word, const char *const *cands, int n)
{
    const char *best = NULL;
    int bd = 3;
    for (int i = 0; i < n; i++) {
        int d = edit_distance(word, cands[i]);
        int most = strlen(cands[i]) <= 4 ? 1 : 2;   /* short words: one slip */
        if (d < bd && d <= most) {
            bd = d;
            best = cands[i];
        }
    }
    return best;
}

/* ---- structure ---- */

static const char *kind_name(const yt_node *n)
{
    return n->kind == YT_SEQ ? "a list" : n->kind == YT_MAP ? "a mapping" : "a value";
}

int ld_is_map(ld *L, const yt_node *n, const char *key)
{
    if (n->kind == YT_MAP)
        return 0;
    if (n->kind != YT_BAD)
        ld_err(L, n, "%s must be a mapping (key: value), not %s", key,
               n->kind == YT_SCALAR ? (n->null ? "empty" : "a single value")
                                    : kind_name(n));
    return -1;
}

int ld_is_seq(ld *L, const yt_node *n, const char *key)
{
    if (n->kind == YT_SEQ)
        return 0;
    if (n->kind != YT_BAD)
        ld_err(L, n, "%s must be a list, not %s", key,
               n->kind == YT_SCALAR ? (n->null ? "empty" : "a single value")
                                    : kind_name(n));
    return -1;
}

int ld_keys(ld *L, const yt_node *map, const char *what,
            const char *const *known)
{
    if (map->kind != YT_MAP)
        return -1;
    int nk = 0;
    while (known[nk])
        nk++;
    for (int i = 0; i < map->n; i++) {
        const yt_node *k = yt_key(map, i);
        if (k->kind != YT_SCALAR)
            continue;
        int ok = 0;
        for (int j = 0; j < nk && !ok; j++)
            ok = strcmp(k->str, known[j]) == 0;
        if (ok)
            continue;
        const char *s = ld_closest(k->str, known, nk);
        if (s)
            ld_err(L, k, "unknown key '%s' %s; did you mean '%s'?", k->str, what, s);
        else
            ld_err(L, k, "unknown key '%s' %s", k->str, what);
    }
    return 0;
}

const yt_node *ld_need(ld *L, const yt_node *map, const char *key,
                       const char *what)
{
    const yt_node *v = yt_get(map, key);
    if (!v && map->kind == YT_MAP)
        ld_err(L, map, "missing key '%s' %s", key, what);
    return v;
}

/* ---- scalars ---- */

int ld_str(ld *L, const yt_node *n, const char *key, const char **out)
{
    if (n->kind == YT_BAD)
        return -1;
    if (n->kind != YT_SCALAR) {
        ld_err(L, n, "%s must be a single value, not %s", key, kind_name(n));
        return -1;
    }
    if (n->null || n->len == 0) {
        ld_err(L, n, "%s has no value", key);
        return -1;
    }
    *out = n->str;
    return 0;
}

int ld_id(ld *L, const yt_node *n, const char *key, const char **out)
{
    if (ld_str(L, n, key, out) < 0)
        return -1;
    for (const char *p = *out; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')) {
            ld_err(L, n, "bad %s '%s': ids may contain only letters, digits, "
                   "'_', '.' and '-'", key, *out);
            return -1;
        }
    }
    return 0;
}

int ld_word(ld *L, const yt_node *n, const char *key, const char **out)
{
    if (ld_str(L, n, key, out) < 0)
        return -1;
    for (const unsigned char *p = (const unsigned char *)*out; *p; p++) {
        if (*p <= ' ' || *p == 0x7f) {
            ld_err(L, n, "bad %s '%s': must be one word", key, *out);
            return -1;
        }
    }
    return 0;
}

/* A number must be written as one (plain): "3" in quotes is a string. */
static int plain_scalar(ld *L, const yt_node *n, const char *key,
                        const char *what)
{
    const char *s;
    if (ld_str(L, n, key, &s) < 0)
        return -1;
    if (n->quoted) {
        ld_err(L, n, "%s must be %s, not a quoted string", key, what);
        return -1;
    }
    return 0;
}

int ld_int(ld *L, const yt_node *n, const char *key, long lo, long hi, int *out)
{
    if (plain_scalar(L, n, key, "a whole number") < 0)
        return -1;
    const char *s = n->str;
    const char *p = s + (*s == '-' || *s == '+');
    long v = 0;
    int ok = *p != '\0';
    for (; *p && ok; p++) {
        ok = *p >= '0' && *p <= '9' && v < 100000000L;
        v = v * 10 + (*p - '0');
    }
    if (ok && *s == '-')
        v = -v;
    if (!ok || v < lo || v > hi) {
        if (hi >= INT_MAX / 2)
            ld_err(L, n, "%s must be a whole number of at least %ld (got '%s')",
                   key, lo, s);
        else
            ld_err(L, n, "%s must be a whole number from %ld to %ld (got '%s')",
                   key, lo, hi, s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* Decimal only: strtod alone would also take "0x1p3", "inf" and "nan". */
static int is_decimal(const char *s)
{
    const char *p = s + (*s == '-' || *s == '+');
    int digits = 0;
    while (*p >= '0' && *p <= '9')
        p++, digits++;
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    if (!digits)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        p += (*p == '-' || *p == '+');
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

int ld_num(ld *L, const yt_node *n, const char *key, double *out)
{
    if (plain_scalar(L, n, key, "a number") < 0)
        return -1;
    double v = is_decimal(n->str) ? strtod(n->str, NULL) : NAN;
    if (!isfinite(v)) {
        ld_err(L, n, "%s must be a number (got '%s')", key, n->str);
        return -1;
    }
    *out = v;
    return 0;
}

int ld_day(ld *L, const yt_node *n)
{
    const char *s;
    if (ld_str(L, n, "day", &s) < 0)
        return -1;
    int d = rota_day_from_name(s);
    if (d >= 0)
        return d;
    const char *near = ld_closest(s, rota_day_names, ROTA_DAYS);
    if (near)
        ld_err(L, n, "unknown day '%s'; did you mean '%s'?", s, near);
    else
        ld_err(L, n, "unknown day '%s' (days are mon, tue, wed, thu, fri, sat, sun)", s);
    return -1;
}

int ld_time(ld *L, const yt_node *n, const char *key)
{
    const char *s;
    if (ld_str(L, n, key, &s) < 0)
        return -1;
    int t = rota_parse_time(s);
    if (t < 0)
        ld_err(L, n, "bad time '%s' for %s: expected \"HH:MM\" from 00:00 to 24:00",
               s, key);
    return t;
}

/* ---- windows ---- */

static int window(ld *L, const yt_node *n, rota_spans *out)
{
    const char *s;
    if (ld_str(L, n, "window", &s) < 0)
        return -1;
    char a[6], b[6];
    int t0 = -1, t1 = -1;
    if (strlen(s) == 11 && s[5] == '-') {
        memcpy(a, s, 5), a[5] = '\0';
        memcpy(b, s + 6, 5), b[5] = '\0';
        t0 = rota_parse_time(a);
        t1 = rota_parse_time(b);
    }
    if (t0 < 0 || t1 < 0) {
        ld_err(L, n, "bad window '%s': expected \"HH:MM-HH:MM\"", s);
        return -1;
    }
    if (t1 <= t0) {
        ld_err(L, n, t1 < t0 ? "window '%s' ends before it starts"
                             : "window '%s' is empty", s);
        return -1;
    }
    if (spans_add(out, t0, t1) < 0) {
        L->oom = 1;
        return -1;
    }
    return 0;
}

int ld_windows(ld *L, const yt_node *n, rota_spans *out)
{
    int bad = 0;
    if (n->kind == YT_SCALAR)
        bad = window(L, n, out);
    else if (n->kind == YT_SEQ && n->n == 0) {
        ld_err(L, n, "empty list of windows");
        bad = -1;
    } else if (n->kind == YT_SEQ) {
        for (int i = 0; i < n->n; i++)
            bad |= window(L, n->kids[i], out);
    } else if (n->kind == YT_MAP) {
        ld_err(L, n, "expected a window \"HH:MM-HH:MM\" or a list of them");
        bad = -1;
    } else
        bad = -1;
    spans_sort(out);
    return bad ? -1 : 0;
}

int ld_daymap(ld *L, const yt_node *n, const char *key, rota_spans out[ROTA_DAYS])
{
    if (n->kind == YT_BAD)
        return -1;
    if (n->kind != YT_MAP) {
        ld_err(L, n, "%s must map days to windows, e.g. {mon: \"08:00-12:00\"}", key);
        return -1;
    }
    if (n->n == 0) {
        ld_err(L, n, "%s names no day", key);
        return -1;
    }
    int bad = 0;
    for (int i = 0; i < n->n; i++) {
        int d = ld_day(L, yt_key(n, i));
        if (d < 0) {
            bad = -1;
            continue;
        }
        bad |= ld_windows(L, yt_val(n, i), &out[d]);
    }
    return bad ? -1 : 0;
}

/* ---- word lists ---- */

static int word_index(ld *L, strmap *map, char ***list, int *n, int *cap,
                      const char *word)
{
    int i = strmap_get(map, word);
    if (i >= 0)
        return i;
    if (*n == *cap) {
        int c = *cap ? *cap * 2 : 8;
        char **l = realloc(*list, (size_t)c * sizeof *l);
        if (!l) {
            L->oom = 1;
            return -1;
        }
        *list = l;
        *cap = c;
    }
    char *w = ld_strdup(L, word);
    if (!w)
        return -1;
    (*list)[*n] = w;
    (*n)++;
    if (strmap_put(map, w, *n - 1) < 0) {
        L->oom = 1;
        return -1;
    }
    return *n - 1;
}

int ld_role(ld *L, const char *word)
{
    rota_instance *I = L->inst;
    return word_index(L, &L->roles, &I->roles, &I->n_roles, &L->roles_cap, word);
}

int ld_district(ld *L, const char *word)
{
    rota_instance *I = L->inst;
    return word_index(L, &L->districts, &I->districts, &I->n_districts,
                      &L->districts_cap, word);
}

/* ---- spans ---- */

/* Capacity is implicit: the next power of two at or above n. */
int spans_add(rota_spans *s, int start, int end)
{
    if (s->n == 0 || (s->n & (s->n - 1)) == 0) {
        int cap = s->n ? 2 * s->n : 1;
        rota_span *v = realloc(s->v, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        s->v = v;
    }
    s->v[s->n++] = (rota_span){start, end};
    return 0;
}

static int span_cmp(const void *pa, const void *pb)
{
    const rota_span *a = pa, *b = pb;
    if (a->start != b->start)
        return (a->start > b->start) - (a->start < b->start);
    return (a->end > b->end) - (a->end < b->end);
}

void spans_sort(rota_spans *s)
{
    if (s->n > 1)
        qsort(s->v, (size_t)s->n, sizeof *s->v, span_cmp);
}

void spans_merge(rota_spans *s)
{
    spans_sort(s);
    int m = 0;
    for (int i = 0; i < s->n; i++) {
        if (m > 0 && s->v[i].start <= s->v[m - 1].end) {
            if (s->v[i].end > s->v[m - 1].end)
                s->v[m - 1].end = s->v[i].end;
        } else {
            s->v[m++] = s->v[i];
        }
    }
    s->n = m;
}

int spans_copy(rota_spans *dst, const rota_spans *src)
{
    for (int i = 0; i < src->n; i++)
        if (spans_add(dst, src->v[i].start, src->v[i].end) < 0)
            return -1;
    return 0;
}

int spans_subtract(rota_spans *dst, const rota_spans *a, const rota_spans *b)
{
    rota_spans ua = {0}, ub = {0};
    int rc = -1;
    if (spans_copy(&ua, a) < 0 || spans_copy(&ub, b) < 0)
        goto done;
    spans_merge(&ua);
    spans_merge(&ub);
    for (int i = 0; i < ua.n; i++) {
        int lo = ua.v[i].start, hi = ua.v[i].end;
        for (int j = 0; j < ub.n && lo < hi; j++) {
            if (ub.v[j].end <= lo || ub.v[j].start >= hi)
                continue;
            if (ub.v[j].start > lo && spans_add(dst, lo, ub.v[j].start) < 0)
                goto done;
            lo = ub.v[j].end;
        }
        if (lo < hi && spans_add(dst, lo, hi) < 0)
            goto done;
    }
    rc = 0;
done:
    free(ua.v);
    free(ub.v);
    return rc;
}
