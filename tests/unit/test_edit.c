/* test_edit.c - edit.c and instance_yaml.c: a clone and a written-back
 * instance load to the same model (travel minutes, capacities, tour
 * segments, windows, weights); removing and adding staff keeps indices
 * consistent.  Arguments: instance files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rota/edit.h"

#include "unit.h"

static int spans_eq(const rota_spans *a, const rota_spans *b)
{
    for (int d = 0; d < ROTA_DAYS; d++) {
        if (a[d].n != b[d].n)
            return 0;
        for (int i = 0; i < a[d].n; i++)
            if (a[d].v[i].start != b[d].v[i].start || a[d].v[i].end != b[d].v[i].end)
                return 0;
    }
    return 1;
}

static void same_model(const char *what, const rota_instance *a,
                       const rota_instance *b)
{
    CHECKF(a->n_staff == b->n_staff && a->n_visits == b->n_visits &&
          a->n_sites == b->n_sites && a->n_places == b->n_places,
          "%s: sizes differ", what);
    if (failures)
        return;
    for (int i = 0; i < a->n_places * a->n_places; i++)
        if (a->travel[i] != b->travel[i] && a->travel[i] >= 0) {
            CHECKF(0, "%s: travel[%d] %d vs %d", what, i, a->travel[i], b->travel[i]);
            break;
        }
    for (int k = 0; k < a->n_staff; k++) {
        const rota_staff *x = &a->staff[k], *y = &b->staff[k];
        CHECKF(strcmp(x->id, y->id) == 0 && x->capacity == y->capacity &&
              x->office == y->office && x->max_sites == y->max_sites &&
              x->n_districts == y->n_districts && spans_eq(x->seg, y->seg) &&
              spans_eq(x->avail, y->avail), "%s: staff %s differs", what, x->id);
    }
    for (int v = 0; v < a->n_visits; v++) {
        const rota_visit *x = &a->visits[v], *y = &b->visits[v];
        CHECKF(x->site == y->site && x->minutes == y->minutes &&
              x->every_weeks == y->every_weeks && x->with == y->with &&
              x->partner == y->partner && x->n_allowed == y->n_allowed &&
              x->pin.staff == y->pin.staff && x->current.start == y->current.start &&
              spans_eq(x->windows, y->windows), "%s: visit %d differs", what, v);
    }
    CHECKF(a->w_travel == b->w_travel && a->w_uncovered == b->w_uncovered &&
          a->w_balance == b->w_balance && a->coverage_soft == b->coverage_soft &&
          a->max_travel_per_day == b->max_travel_per_day,
          "%s: rules or weights differ", what);
    for (int s = 0; s < a->n_sites; s++)
        CHECKF(a->sites[s].need == b->sites[s].need, "%s: need differs", what);
}

static rota_instance *reload(const rota_instance *inst)
{
    char *text = rota_instance_to_yaml(inst);
    rota_instance *out = NULL;
    rota_diags d;
    rota_diags_init(&d);
    if (text && rota_instance_load_buffer(text, strlen(text), "written.yaml",
                                          &out, &d) != ROTA_OK) {
        for (size_t i = 0; i < d.n; i++)
            fprintf(stderr, "%d:%d: %s\n", d.items[i].line, d.items[i].col,
                    d.items[i].msg);
        CHECKF(0, "the written instance does not load");
    }
    rota_diags_free(&d);
    free(text);
    return out;
}

static void one(const char *path)
{
    rota_instance *inst = NULL;
    rota_diags d;
    rota_diags_init(&d);
    if (rota_instance_load(path, &inst, &d) != ROTA_OK) {
        CHECKF(0, "%s does not load", path);
        rota_diags_free(&d);
        return;
    }
    rota_diags_free(&d);
    rota_instance *c = rota_instance_clone(inst);
    CHECKF(c, "clone");
    same_model("clone", inst, c);
    rota_instance *w = reload(inst);
    if (w)
        same_model(path, inst, w);
    /* add a copy of the first staff member, then remove it again */
    int k = rota_instance_add_staff(c, 0, "zz-new", "New");
    CHECKF(k == inst->n_staff, "add_staff index");
    CHECKF(c->staff[k].capacity == inst->staff[0].capacity, "copy's capacity");
    rota_instance *w2 = reload(c);
    CHECKF(w2 && w2->n_staff == inst->n_staff + 1, "written with the new staff");
    CHECKF(rota_instance_remove_staff(c, k) == ROTA_OK, "remove the new one");
    same_model("added and removed", inst, c);
    /* remove an unreferenced member: later indices shift down (an
     * instance keeps at least one staff member) */
    for (int x = 0; c->n_staff > 1 && x < c->n_staff; x++)
        if (!rota_staff_referenced(c, x)) {
            int n = c->n_staff;
            char *last = strdup(c->staff[n - 1].id);
            CHECKF(rota_instance_remove_staff(c, x) == ROTA_OK, "remove");
            CHECKF(c->n_staff == n - 1 && (x == n - 1 ||
                  strcmp(c->staff[n - 2].id, last) == 0), "renumbered");
            free(last);
            rota_instance *w3 = reload(c);
            CHECKF(w3 != NULL, "written after a removal");
            rota_instance_free(w3);
            break;
        }
    /* keep every other visit */
    unsigned char *keep = calloc((size_t)c->n_visits + 1, 1);
    for (int v = 0; v < c->n_visits; v += 2)
        keep[v] = 1;
    int before = c->n_visits;
    CHECKF(rota_instance_keep_visits(c, keep) == ROTA_OK &&
          c->n_visits == (before + 1) / 2, "keep_visits");
    for (int v = 0; v < c->n_visits; v++)
        CHECKF(c->visits[v].partner < 0 ||
              c->visits[c->visits[v].partner].partner == v, "partners");
    free(keep);
    rota_instance_free(w2);
    rota_instance_free(w);
    rota_instance_free(c);
    rota_instance_free(inst);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        one(argv[i]);
    if (failures)
        fprintf(stderr, "%d failure(s)\n", failures);
    else
        printf("ok: %d instances\n", argc - 1);
    return failures ? 1 : 0;
}
