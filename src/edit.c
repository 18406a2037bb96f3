/* edit.c - changed copies of an instance (see rota/edit.h).
 *
 * The copy is field by field, mirroring rota_instance_free(): whatever that
 * frees is duplicated here, and nothing else is owned.
 */
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "rota/edit.h"

static char *dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int dup_ok(const char *src, const char *copy)
{
    return !src || copy;
}

/* Copies n day lists of spans; on failure the copies made stay in dst for
 * the caller's free. */
static int spans_dup(rota_spans *dst, const rota_spans *src, int n)
{
    for (int i = 0; i < n; i++) {
        dst[i].n = 0;
        dst[i].v = NULL;
    }
    for (int i = 0; i < n; i++) {
        if (!src[i].n)
            continue;
        dst[i].v = malloc((size_t)src[i].n * sizeof *dst[i].v);
        if (!dst[i].v)
            return -1;
        memcpy(dst[i].v, src[i].v, (size_t)src[i].n * sizeof *dst[i].v);
        dst[i].n = src[i].n;
    }
    return 0;
}

static void *mem_dup(const void *src, size_t size)
{
    if (!src)
        return NULL;
    void *p = malloc(size ? size : 1);
    if (p)
        memcpy(p, src, size);
    return p;
}

/* Staff member copy: its own strings, spans and districts. */
static int staff_dup(rota_staff *dst, const rota_staff *src)
{
    *dst = *src;
    dst->id = dup(src->id);
    dst->name = dup(src->name);
    dst->districts = src->n_districts > 0 ?
        mem_dup(src->districts, (size_t)src->n_districts * sizeof(int)) : NULL;
    int a = spans_dup(dst->avail, src->avail, ROTA_DAYS);
    int b = spans_dup(dst->blocked, src->blocked, ROTA_DAYS);
    int c = spans_dup(dst->seg, src->seg, ROTA_DAYS);
    return (!dst->id || !dup_ok(src->name, dst->name) || a || b || c ||
            (src->n_districts > 0 && !dst->districts)) ? -1 : 0;
}

static int visit_dup(rota_visit *dst, const rota_visit *src)
{
    *dst = *src;
    dst->allowed = src->n_allowed > 0 ?
        mem_dup(src->allowed, (size_t)src->n_allowed * sizeof(int)) : NULL;
    int a = spans_dup(dst->windows, src->windows, ROTA_DAYS);
    int b = spans_dup(dst->preferred, src->preferred, ROTA_DAYS);
    return (a || b || (src->n_allowed > 0 && !dst->allowed)) ? -1 : 0;
}

static char **words_dup(char *const *w, int n)
{
    char **out = calloc((size_t)n + 1, sizeof *out);
    for (int i = 0; out && i < n; i++)
        if (!(out[i] = strdup(w[i]))) {
            for (int j = 0; j < i; j++)
                free(out[j]);
            free(out);
            return NULL;
        }
    return out;
}

/* Zeroes every owned pointer of the copy, so that a failure half way can
 * be freed by rota_instance_free. */
static rota_instance *shell(const rota_instance *src)
{
    rota_instance *c = malloc(sizeof *c);
    if (!c)
        return NULL;
    *c = *src;
    c->path = c->name = c->matrix_path = NULL;
    memset(c->blocked, 0, sizeof c->blocked);
    c->n_offices = c->n_staff = c->n_sites = c->n_visits = 0;
    c->n_roles = c->n_districts = 0;
    c->offices = NULL;
    c->staff = NULL;
    c->sites = NULL;
    c->visits = NULL;
    c->roles = c->districts = NULL;
    c->travel = NULL;
    return c;
}

static int copy_lists(rota_instance *c, const rota_instance *src)
{
    c->offices = calloc((size_t)src->n_offices + 1, sizeof *c->offices);
    c->staff = calloc((size_t)src->n_staff + 1, sizeof *c->staff);
    c->sites = calloc((size_t)src->n_sites + 1, sizeof *c->sites);
    c->visits = calloc((size_t)src->n_visits + 1, sizeof *c->visits);
    if (!c->offices || !c->staff || !c->sites || !c->visits)
        return -1;
    for (; c->n_offices < src->n_offices; c->n_offices++) {
        rota_office *o = &c->offices[c->n_offices];
        *o = src->offices[c->n_offices];
        o->id = dup(o->id);
        o->name = dup(o->name);
        if (!o->id || !dup_ok(src->offices[c->n_offices].name, o->name))
            return (c->n_offices++, -1);
    }
    for (; c->n_staff < src->n_staff; c->n_staff++)
        if (staff_dup(&c->staff[c->n_staff], &src->staff[c->n_staff]) < 0)
            return (c->n_staff++, -1);
    for (; c->n_sites < src->n_sites; c->n_sites++) {
        rota_site *s = &c->sites[c->n_sites];
        *s = src->sites[c->n_sites];
        s->id = dup(s->id);
        s->name = dup(s->name);
        if (!s->id || !dup_ok(src->sites[c->n_sites].name, s->name))
            return (c->n_sites++, -1);
    }
    for (; c->n_visits < src->n_visits; c->n_visits++)
        if (visit_dup(&c->visits[c->n_visits], &src->visits[c->n_visits]) < 0)
            return (c->n_visits++, -1);
    return 0;
}

rota_instance *rota_instance_clone(const rota_instance *src)
{
    rota_instance *c = shell(src);
    if (!c)
        return NULL;
    c->path = dup(src->path);
    c->name = dup(src->name);
    c->matrix_path = dup(src->matrix_path);
    size_t np = (size_t)src->n_places * (size_t)src->n_places;
    c->travel = mem_dup(src->travel, np * sizeof *c->travel);
    if (!dup_ok(src->path, c->path) || !dup_ok(src->name, c->name) ||
        !dup_ok(src->matrix_path, c->matrix_path) ||
        (src->travel && !c->travel) ||
        spans_dup(c->blocked, src->blocked, ROTA_DAYS) < 0 ||
        copy_lists(c, src) < 0)
        goto fail;
    if (!(c->roles = words_dup(src->roles, src->n_roles)))
        goto fail;
    c->n_roles = src->n_roles;
    if (!(c->districts = words_dup(src->districts, src->n_districts)))
        goto fail;
    c->n_districts = src->n_districts;
    return c;
fail:
    rota_instance_free(c);
    return NULL;
}

rota_status rota_instance_keep_visits(rota_instance *inst,
                                      const unsigned char *keep)
{
    int *map = malloc(((size_t)inst->n_visits + 1) * sizeof *map);
    if (!map)
        return ROTA_ENOMEM;
    int m = 0;
    for (int v = 0; v < inst->n_visits; v++)
        map[v] = keep[v] ? m++ : -1;
    for (int v = 0; v < inst->n_visits; v++) {
        rota_visit *x = &inst->visits[v];
        if (map[v] < 0) {
            for (int d = 0; d < ROTA_DAYS; d++) {
                free(x->windows[d].v);
                free(x->preferred[d].v);
            }
            free(x->allowed);
            continue;
        }
        x->with = x->with >= 0 ? map[x->with] : -1;
        x->partner = x->partner >= 0 ? map[x->partner] : -1;
        inst->visits[map[v]] = *x;
    }
    inst->n_visits = m;
    for (int s = 0; s < inst->n_sites; s++)
        inst->sites[s].n_visits = 0;
    for (int v = m - 1; v >= 0; v--) {
        rota_site *s = &inst->sites[inst->visits[v].site];
        s->first_visit = v;
        s->n_visits++;
    }
    free(map);
    return ROTA_OK;
}

int rota_staff_referenced(const rota_instance *inst, int k)
{
    for (int v = 0; v < inst->n_visits; v++) {
        const rota_visit *x = &inst->visits[v];
        if (x->pin.staff == k)
            return 1;
        for (int i = 0; i < x->n_allowed; i++)
            if (x->allowed[i] == k)
                return 1;
    }
    return 0;
}

rota_status rota_instance_remove_staff(rota_instance *inst, int k)
{
    for (int v = 0; v < inst->n_visits; v++)
        if (inst->visits[v].pin.staff == k)
            return ROTA_EINPUT;
    for (int v = 0; v < inst->n_visits; v++) {
        rota_visit *x = &inst->visits[v];
        int n = 0;
        for (int i = 0; i < x->n_allowed; i++)
            if (x->allowed[i] != k)
                x->allowed[n++] = x->allowed[i] - (x->allowed[i] > k);
        if (x->n_allowed >= 0)
            x->n_allowed = n;
        if (x->current.staff == k)
            x->current.staff = -1;
        else if (x->current.staff > k)
            x->current.staff--;
        if (x->pin.staff > k)
            x->pin.staff--;
    }
    rota_staff *s = &inst->staff[k];
    free(s->id);
    free(s->name);
    free(s->districts);
    for (int d = 0; d < ROTA_DAYS; d++) {
        free(s->avail[d].v);
        free(s->blocked[d].v);
        free(s->seg[d].v);
    }
    memmove(s, s + 1, (size_t)(inst->n_staff - k - 1) * sizeof *s);
    inst->n_staff--;
    return ROTA_OK;
}

int rota_instance_add_staff(rota_instance *inst, int tmpl, const char *id,
                            const char *name)
{
    rota_staff *st = realloc(inst->staff, ((size_t)inst->n_staff + 1) *
                                          sizeof *st);
    if (!st)
        return -1;
    inst->staff = st;
    rota_staff copy;
    if (staff_dup(&copy, &st[tmpl]) < 0)
        goto fail;
    free(copy.id);
    free(copy.name);
    copy.id = strdup(id);
    copy.name = dup(name);
    if (!copy.id || !dup_ok(name, copy.name))
        goto fail;
    copy.pos = (rota_pos){0, 0};
    st[inst->n_staff] = copy;
    return inst->n_staff++;
fail:
    free(copy.id);
    free(copy.name);
    free(copy.districts);
    for (int d = 0; d < ROTA_DAYS; d++) {
        free(copy.avail[d].v);
        free(copy.blocked[d].v);
        free(copy.seg[d].v);
    }
    return -1;
}

rota_status rota_instance_reseg(rota_instance *inst, int k)
{
    rota_staff *s = &inst->staff[k];
    for (int d = 0; d < ROTA_DAYS; d++) {
        rota_spans seg = {0, NULL};
        if (spans_subtract(&seg, &s->avail[d], &s->blocked[d]) < 0) {
            free(seg.v);
            return ROTA_ENOMEM;
        }
        free(s->seg[d].v);
        s->seg[d] = seg;
    }
    return ROTA_OK;
}
