/* diff.c - what changed between two rosters (see rota/diff.h).
 *
 * Each roster file is read on its own (Jansson, duplicate keys refused,
 * positions of wrong values from json_pos.h), into (site, role) -> slot
 * entries; the old roster's entries are then matched by a hash-free
 * sort-and-merge on (site, role).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json_pos.h"
#include "rota/diff.h"
#include "rota/instance.h"
#include "strbuf.h"

#define MAX_BYTES (16 << 20)

typedef struct entry {
    char *site, *role;
    rota_diff_slot slot;
    int order;
} entry;

typedef struct side {
    const char *path;
    entry *e;
    int n;
    jpos pos;
    rota_diags *diags;
    int bad;
} side;

static void bad_at(side *s, int node, const char *what, const char *msg)
{
    int line, col;
    jpos_where(&s->pos, node, &line, &col);
    rota_diags_add(s->diags, s->path, line, col, "%s: %s", what, msg);
    s->bad = 1;
}

static char *read_file(const char *path, size_t *len, rota_diags *d,
                       rota_status *st)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    *st = ROTA_EIO;
    if (!f) {
        rota_diags_add(d, path, 0, 0, "cannot read: %s", strerror(errno));
        return NULL;
    }
    if (!(buf = malloc(MAX_BYTES + 1))) {
        *st = ROTA_ENOMEM;
        goto done;
    }
    *len = fread(buf, 1, MAX_BYTES + 1, f);
    if (ferror(f)) {
        rota_diags_add(d, path, 0, 0, "cannot read: %s", strerror(errno));
        goto fail;
    }
    if (*len > MAX_BYTES) {
        *st = ROTA_EINPUT;
        rota_diags_add(d, path, 0, 0, "larger than %d bytes", MAX_BYTES);
        goto fail;
    }
    *st = ROTA_OK;
    goto done;
fail:
    free(buf);
    buf = NULL;
done:
    fclose(f);
    return buf;
}

/* A string member; NULL (and a message) when absent or not a string. */
static const char *str_at(side *s, json_t *o, int node, const char *key,
                          const char *where)
{
    json_t *v = json_object_get(o, key);
    char what[96];
    snprintf(what, sizeof what, "%s.%s", where, key);
    if (!v) {
        bad_at(s, node, what, "missing");
        return NULL;
    }
    if (!json_is_string(v)) {
        bad_at(s, jpos_key(&s->pos, node, key), what, "expected a string");
        return NULL;
    }
    return json_string_value(v);
}

static int read_time(side *s, json_t *o, int node, const char *key,
                     const char *where, int nullable)
{
    json_t *v = json_object_get(o, key);
    if (nullable && (!v || json_is_null(v)))
        return -1;
    const char *t = str_at(s, o, node, key, where);
    int m = t ? rota_parse_time(t) : -1;
    if (t && m < 0) {
        char what[96];
        snprintf(what, sizeof what, "%s.%s", where, key);
        bad_at(s, jpos_key(&s->pos, node, key), what, "expected a time \"HH:MM\"");
    }
    return m;
}

static unsigned read_weeks(side *s, json_t *o, int node, const char *where)
{
    json_t *w = json_object_get(o, "weeks");
    int wn = jpos_key(&s->pos, node, "weeks");
    char what[96];
    snprintf(what, sizeof what, "%s.weeks", where);
    if (!json_is_array(w)) {
        bad_at(s, w ? wn : node, what, w ? "expected an array" : "missing");
        return 0;
    }
    unsigned mask = 0;
    for (size_t i = 0; i < json_array_size(w); i++) {
        json_t *x = json_array_get(w, i);
        json_int_t k = json_is_integer(x) ? json_integer_value(x) : 0;
        if (k < 1 || k > ROTA_MAX_WEEKS)
            bad_at(s, jpos_index(&s->pos, wn, i), what, "expected a week 1..4");
        else
            mask |= 1u << (k - 1);
    }
    return mask;
}

static int push(side *s, const char *site, const char *role,
                const rota_diff_slot *slot)
{
    entry *e = realloc(s->e, ((size_t)s->n + 1) * sizeof *e);
    if (!e)
        return -1;
    s->e = e;
    e = &s->e[s->n];
    e->site = strdup(site);
    e->role = strdup(role);
    e->slot = *slot;
    e->slot.staff = slot->staff ? strdup(slot->staff) : NULL;
    e->order = s->n++;
    if (!e->site || !e->role || (slot->staff && !e->slot.staff))
        return -1;
    return 0;
}

/* One element of visits[] (covered) or uncovered[]. */
static int read_item(side *s, json_t *o, int node, const char *list,
                     size_t i, int covered)
{
    char where[64];
    snprintf(where, sizeof where, "%s[%zu]", list, i);
    if (!json_is_object(o)) {
        bad_at(s, node, where, "expected an object");
        return 0;
    }
    const char *site = str_at(s, o, node, "site", where);
    const char *role = str_at(s, o, node, "role", where);
    rota_diff_slot slot = {1, covered, NULL, -1, -1, -1, 0};
    if (covered) {
        slot.staff = (char *)str_at(s, o, node, "staff", where);
        const char *day = str_at(s, o, node, "day", where);
        slot.day = day ? rota_day_from_name(day) : -1;
        if (day && slot.day < 0)
            bad_at(s, jpos_key(&s->pos, node, "day"), where, "day: expected mon..sun");
        slot.start = read_time(s, o, node, "start", where, 0);
        slot.end = read_time(s, o, node, "end", where, 1);
        slot.weeks = read_weeks(s, o, node, where);
    }
    if (!site || !role || s->bad)
        return 0;
    return push(s, site, role, &slot);
}

static int read_list(side *s, json_t *doc, const char *key, int covered)
{
    json_t *a = json_object_get(doc, key);
    int node = jpos_key(&s->pos, 0, key);
    if (!json_is_array(a)) {
        bad_at(s, a ? node : 0, key, a ? "expected an array" : "missing");
        return 0;
    }
    int kid = jpos_index(&s->pos, node, 0);
    for (size_t i = 0; i < json_array_size(a); i++, kid = jpos_next(&s->pos, kid))
        if (read_item(s, json_array_get(a, i), kid, key, i, covered) < 0)
            return -1;
    return 0;
}

static rota_status read_side(side *s)
{
    size_t len = 0;
    rota_status st;
    char *text = read_file(s->path, &len, s->diags, &st);
    json_t *doc = NULL;
    if (!text)
        return st;
    json_error_t err;
    doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    st = ROTA_EINPUT;
    if (!doc) {
        rota_diags_add(s->diags, s->path, err.line, err.column, "%s", err.text);
        goto done;
    }
    st = ROTA_ENOMEM;
    if (jpos_build(&s->pos, text, len) < 0)
        goto done;
    st = ROTA_EINPUT;
    if (!json_is_object(doc)) {
        bad_at(s, 0, "document", "expected an object (a roster)");
        goto done;
    }
    st = ROTA_ENOMEM;
    if (read_list(s, doc, "visits", 1) < 0 || read_list(s, doc, "uncovered", 0) < 0)
        goto done;
    st = s->bad ? ROTA_EINPUT : ROTA_OK;
done:
    json_decref(doc);
    free(text);
    return st;
}

static int entry_cmp(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->site, y->site);
    if (!c)
        c = strcmp(x->role, y->role);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* Drops repeats of a (site, role): the first entry counts, as in check. */
static void dedupe(side *s)
{
    qsort(s->e, (size_t)s->n, sizeof *s->e, entry_cmp);
    int m = 0;
    for (int i = 0; i < s->n; i++) {
        if (m && strcmp(s->e[m - 1].site, s->e[i].site) == 0 &&
            strcmp(s->e[m - 1].role, s->e[i].role) == 0) {
            free(s->e[i].site);
            free(s->e[i].role);
            free(s->e[i].slot.staff);
            continue;
        }
        s->e[m++] = s->e[i];
    }
    s->n = m;
}

static rota_diff_staff *staff_of(rota_diff *d, const char *id)
{
    for (int i = 0; i < d->n_staff; i++)
        if (strcmp(d->staff[i].id, id) == 0)
            return &d->staff[i];
    rota_diff_staff *st = realloc(d->staff, ((size_t)d->n_staff + 1) * sizeof *st);
    if (!st)
        return NULL;
    d->staff = st;
    st = &d->staff[d->n_staff];
    memset(st, 0, sizeof *st);
    if (!(st->id = strdup(id)))
        return NULL;
    d->n_staff++;
    return st;
}

static unsigned compare(const rota_diff_slot *a, const rota_diff_slot *b)
{
    if (!a->present)
        return ROTA_DIFF_ADDED;
    if (!b->present)
        return ROTA_DIFF_REMOVED;
    if (a->covered != b->covered)
        return a->covered ? ROTA_DIFF_UNCOVERED : ROTA_DIFF_COVERED;
    if (!a->covered)
        return 0;
    return (strcmp(a->staff, b->staff) ? ROTA_DIFF_STAFF : 0) |
           (a->day != b->day ? ROTA_DIFF_DAY : 0) |
           (a->start != b->start ? ROTA_DIFF_START : 0) |
           (a->weeks != b->weeks ? ROTA_DIFF_WEEKS : 0);
}

static char *dup_or_null(const char *x)
{
    return x ? strdup(x) : NULL;
}

/* Adds the pair (o, n) (either may be NULL) with copies of its strings,
 * and counts it per staff member. */
static int add_item(rota_diff *d, const entry *o, const entry *n)
{
    rota_diff_item *it = &d->items[d->n_items++];
    memset(it, 0, sizeof *it);
    const entry *any = o ? o : n;
    it->site = strdup(any->site);
    it->role = strdup(any->role);
    if (o) {
        it->old = o->slot;
        it->old.staff = dup_or_null(o->slot.staff);
    }
    if (n) {
        it->now = n->slot;
        it->now.staff = dup_or_null(n->slot.staff);
    }
    if (!it->site || !it->role || (o && o->slot.staff && !it->old.staff) ||
        (n && n->slot.staff && !it->now.staff))
        return -1;
    it->changes = compare(&it->old, &it->now);
    d->unchanged += it->changes == 0;
    if (it->old.covered && it->now.covered) {
        d->both_covered++;
        d->kept += it->changes == 0;
    }
    /* staff_of may move d->staff: look both up before holding either */
    if ((it->old.staff && !staff_of(d, it->old.staff)) ||
        (it->now.staff && !staff_of(d, it->now.staff)))
        return -1;
    rota_diff_staff *a = it->old.staff ? staff_of(d, it->old.staff) : NULL;
    rota_diff_staff *b = it->now.staff ? staff_of(d, it->now.staff) : NULL;
    if (a)
        a->before++;
    if (b)
        b->after++;
    if (a != b) {
        if (a)
            a->lost++;
        if (b)
            b->gained++;
    }
    return 0;
}

/* A matched pair and where it is reported: the old roster's order, then
 * the new-only visits in the new roster's order. */
typedef struct pairing {
    const entry *o, *n;
    long key;
} pairing;

static int pairing_cmp(const void *a, const void *b)
{
    const pairing *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static rota_status merge(rota_diff *d, side *o, side *n)
{
    dedupe(o);
    dedupe(n);
    size_t cap = (size_t)o->n + (size_t)n->n + 1;
    pairing *p = malloc(cap * sizeof *p);
    d->items = calloc(cap, sizeof *d->items);
    if (!p || !d->items) {
        free(p);
        return ROTA_ENOMEM;
    }
    int m = 0, i = 0, j = 0;
    while (i < o->n || j < n->n) {
        int c = i >= o->n ? 1 : j >= n->n ? -1 :
                strcmp(o->e[i].site, n->e[j].site) ?
                strcmp(o->e[i].site, n->e[j].site) :
                strcmp(o->e[i].role, n->e[j].role);
        if (c == 0)
            p[m++] = (pairing){&o->e[i], &n->e[j], o->e[i].order}, i++, j++;
        else if (c < 0)
            p[m++] = (pairing){&o->e[i], NULL, o->e[i].order}, i++;
        else
            p[m++] = (pairing){NULL, &n->e[j], (long)o->n + n->e[j].order}, j++;
    }
    qsort(p, (size_t)m, sizeof *p, pairing_cmp);
    rota_status st = ROTA_OK;
    for (int k = 0; k < m && st == ROTA_OK; k++)
        if (add_item(d, p[k].o, p[k].n) < 0)
            st = ROTA_ENOMEM;
    free(p);
    return st;
}

void rota_diff_free(rota_diff *d)
{
    for (int i = 0; i < d->n_items; i++) {
        free(d->items[i].site);
        free(d->items[i].role);
        free(d->items[i].old.staff);
        free(d->items[i].now.staff);
    }
    free(d->items);
    for (int i = 0; i < d->n_staff; i++)
        free(d->staff[i].id);
    free(d->staff);
    memset(d, 0, sizeof *d);
}

static void free_side(side *s)
{
    for (int i = 0; i < s->n; i++) {
        free(s->e[i].site);
        free(s->e[i].role);
        free(s->e[i].slot.staff);
    }
    free(s->e);
    jpos_free(&s->pos);
}

rota_status rota_diff_files(const char *old_path, const char *new_path,
                            rota_diff *out, rota_diags *diags)
{
    memset(out, 0, sizeof *out);
    side o = {.path = old_path, .diags = diags};
    side n = {.path = new_path, .diags = diags};
    rota_status a = read_side(&o), b = read_side(&n);
    rota_status st = a != ROTA_OK ? a : b;
    if (a == ROTA_ENOMEM || b == ROTA_ENOMEM)
        st = ROTA_ENOMEM;
    if (st == ROTA_OK && (st = merge(out, &o, &n)) != ROTA_OK)
        rota_diff_free(out);
    free_side(&o);
    free_side(&n);
    return st;
}

/* ---- rendering ---------------------------------------------------------- */

static const char *const change_words[] = {
    "staff", "day", "start", "weeks", "now covered", "now uncovered",
    "added", "removed",
};

const char *rota_diff_changes_str(unsigned changes, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = 0;
    for (int b = 0; b < 8; b++)
        if (changes & (1u << b))
            len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s",
                                    len ? ", " : "", change_words[b]);
    return buf;
}

static void sb_slot(strbuf *b, const rota_diff_slot *s)
{
    char t[6];
    if (!s->present) {
        sb_printf(b, "(not listed)");
        return;
    }
    if (!s->covered) {
        sb_printf(b, "uncovered");
        return;
    }
    sb_printf(b, "%s %s %s weeks", s->staff, rota_day_names[s->day],
       rota_fmt_time(s->start, t));
    for (int w = 0, k = 0; w < ROTA_MAX_WEEKS; w++)
        if (s->weeks & (1u << w))
            sb_printf(b, "%s%d", k++ ? "," : " ", w + 1);
}

static double share(const rota_diff *d)
{
    return d->both_covered ? (double)d->kept / d->both_covered : 1.0;
}

char *rota_diff_text(const rota_diff *d, int all)
{
    strbuf b = {0};
    char w[160];
    sb_printf(&b, "%d visits: %d unchanged; of the %d covered in both, %d kept "
       "their staff member, day, start and weeks (%.1f%%)\n", d->n_items,
       d->unchanged, d->both_covered, d->kept, 100 * share(d));
    sb_printf(&b, "\nby site:\n");
    int any = 0;
    for (int i = 0; i < d->n_items; i++) {
        const rota_diff_item *it = &d->items[i];
        if (!it->changes && !all)
            continue;
        any = 1;
        sb_printf(&b, "  %s/%s: ", it->site, it->role);
        sb_slot(&b, &it->old);
        if (it->changes) {
            sb_printf(&b, " -> ");
            sb_slot(&b, &it->now);
            sb_printf(&b, "  (%s)\n", rota_diff_changes_str(it->changes, w, sizeof w));
        } else {
            sb_printf(&b, "  (unchanged)\n");
        }
    }
    if (!any)
        sb_printf(&b, "  no changes\n");
    sb_printf(&b, "\nby staff member:\n");
    for (int k = 0; k < d->n_staff; k++) {
        const rota_diff_staff *s = &d->staff[k];
        sb_printf(&b, "  %s: %d -> %d visits", s->id, s->before, s->after);
        if (s->lost || s->gained)
            sb_printf(&b, " (lost %d, gained %d)", s->lost, s->gained);
        int n = 0;
        for (int i = 0; i < d->n_items; i++) {
            const rota_diff_item *it = &d->items[i];
            int was = it->old.staff && !strcmp(it->old.staff, s->id);
            int is = it->now.staff && !strcmp(it->now.staff, s->id);
            if (!it->changes || (!was && !is))
                continue;
            sb_printf(&b, "%s%s%s/%s", n++ ? ", " : ": ", was && !is ? "-" :
               !was && is ? "+" : "~", it->site, it->role);
        }
        sb_printf(&b, "\n");
    }
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

static json_t *slot_json(const rota_diff_slot *s)
{
    if (!s->present)
        return json_null();
    json_t *o = json_object(), *weeks = json_array();
    char t[6];
    if (!o || !weeks)
        goto fail;
    if (json_object_set_new(o, "covered", json_boolean(s->covered)) < 0)
        goto fail;
    if (!s->covered) {
        json_decref(weeks);
        return o;
    }
    for (int w = 0; w < ROTA_MAX_WEEKS; w++)
        if ((s->weeks & (1u << w)) && json_array_append_new(weeks, json_integer(w + 1)) < 0)
            goto fail;
    if (json_object_set_new(o, "staff", json_string(s->staff)) < 0 ||
        json_object_set_new(o, "day", json_string(rota_day_names[s->day])) < 0 ||
        json_object_set_new(o, "start", json_string(rota_fmt_time(s->start, t))) < 0 ||
        json_object_set_new(o, "end", s->end >= 0 ?
                            json_string(rota_fmt_time(s->end, t)) : json_null()) < 0)
        goto fail;
    int rc = json_object_set_new(o, "weeks", weeks);
    weeks = NULL;
    if (rc < 0)
        goto fail;
    return o;
fail:
    json_decref(weeks);
    json_decref(o);
    return NULL;
}

static json_t *item_json(const rota_diff_item *it)
{
    json_t *o = json_object(), *ch = json_array();
    if (!o || !ch)
        goto fail;
    for (int b = 0; b < 8; b++)
        if ((it->changes & (1u << b)) &&
            json_array_append_new(ch, json_string(change_words[b])) < 0)
            goto fail;
    int rc = json_object_set_new(o, "site", json_string(it->site)) |
             json_object_set_new(o, "role", json_string(it->role)) |
             json_object_set_new(o, "changes", ch);
    ch = NULL;
    if (rc < 0 || json_object_set_new(o, "old", slot_json(&it->old)) < 0 ||
        json_object_set_new(o, "new", slot_json(&it->now)) < 0)
        goto fail;
    return o;
fail:
    json_decref(ch);
    json_decref(o);
    return NULL;
}

char *rota_diff_json(const rota_diff *d, const char *old_path,
                     const char *new_path)
{
    json_t *doc = json_object(), *items = json_array(), *staff = json_array();
    char *text = NULL;
    if (!doc || !items || !staff)
        goto done;
    for (int i = 0; i < d->n_items; i++)
        if (d->items[i].changes &&
            json_array_append_new(items, item_json(&d->items[i])) < 0)
            goto done;
    for (int k = 0; k < d->n_staff; k++) {
        const rota_diff_staff *s = &d->staff[k];
        json_t *o = json_object();
        if (json_array_append_new(staff, o) < 0 ||
            json_object_set_new(o, "id", json_string(s->id)) < 0 ||
            json_object_set_new(o, "before", json_integer(s->before)) < 0 ||
            json_object_set_new(o, "after", json_integer(s->after)) < 0 ||
            json_object_set_new(o, "lost", json_integer(s->lost)) < 0 ||
            json_object_set_new(o, "gained", json_integer(s->gained)) < 0)
            goto done;
    }
    int rc = json_object_set_new(doc, "format", json_string("rota-diff/1")) |
        json_object_set_new(doc, "old", json_string(old_path)) |
        json_object_set_new(doc, "new", json_string(new_path)) |
        json_object_set_new(doc, "visits", json_integer(d->n_items)) |
        json_object_set_new(doc, "unchanged", json_integer(d->unchanged)) |
        json_object_set_new(doc, "covered_both", json_integer(d->both_covered)) |
        json_object_set_new(doc, "kept", json_integer(d->kept)) |
        json_object_set_new(doc, "kept_share", json_real(share(d))) |
        json_object_set_new(doc, "changes", items) |
        json_object_set_new(doc, "staff", staff);
    items = staff = NULL;
    if (rc == 0)
        text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                          JSON_REAL_PRECISION(15));
done:
    json_decref(items);
    json_decref(staff);
    json_decref(doc);
    return text;
}
