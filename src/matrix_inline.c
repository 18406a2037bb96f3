/* matrix_inline.c - travel.matrix given inline (rota's extension of spec
 * section 1): a list of [from, to, minutes] rows instead of a CSV file.
 *
 *     travel:
 *       matrix: [[raadhus, s1, 12], [s1, s2, 7]]
 *
 * The rules are the CSV's (matrix_csv.c): one row per direction, a pair
 * given in one direction holds both ways, the same direction twice must
 * agree, a place to itself is 0, minutes 0..1440, an unknown id is
 * reported once.  Why it exists: an instance sent to `rota serve` must be
 * one self-contained text (the server reads no file named by a client).
 * Messages point at the YAML node, so they read FILE:LINE:COLUMN as usual.
 */
#include <stdlib.h>
#include <string.h>

#include "load.h"

typedef struct inl {
    ld *L;
    int *t;
    int np;
    strmap unknown;     /* unknown ids reported already (keys borrowed) */
} inl;

/* An office or site id to its place index; -1 after a message. */
static int inline_place(inl *c, const yt_node *n, const char *what)
{
    ld *L = c->L;
    const char *id;
    if (ld_str(L, n, what, &id) < 0)
        return -1;
    int i = strmap_get(&L->office_ids, id);
    if (i >= 0)
        return i;
    i = strmap_get(&L->site_ids, id);
    if (i >= 0)
        return L->inst->n_offices + i;
    if (strmap_get(&c->unknown, id) >= 0)
        return -1;
    ld_err(L, n, "unknown place '%s' (not an office or a site id; reported "
           "on its first row only)", id);
    if (strmap_put(&c->unknown, id, 1) < 0)
        L->oom = 1;
    return -1;
}

/* One row [from, to, minutes] into the table (one direction). */
static void inline_row(inl *c, const yt_node *row)
{
    ld *L = c->L;
    if (row->kind == YT_BAD)
        return;
    if (row->kind != YT_SEQ || row->n != 3) {
        ld_err(L, row, "a matrix row must be a list [from, to, minutes]");
        return;
    }
    int a = inline_place(c, row->kids[0], "from");
    int b = inline_place(c, row->kids[1], "to");
    int m;
    if (ld_int(L, row->kids[2], "minutes", 0, 1440, &m) < 0 || a < 0 || b < 0)
        return;
    if (a == b) {
        if (m != 0)
            ld_err(L, row->kids[2], "'%s' to itself must be 0 minutes (got %d)",
                   rota_place_id(L->inst, a), m);
        return;
    }
    int *cell = &c->t[a * c->np + b];
    if (*cell != LD_TRAVEL_UNSET && *cell != m) {
        ld_err(L, row->kids[2], "%s,%s was given before with %d minutes, now %d",
               rota_place_id(L->inst, a), rota_place_id(L->inst, b), *cell, m);
        return;
    }
    *cell = m;
}

void ld_matrix_inline(ld *L, int *t, int np)
{
    const yt_node *list = L->matrix_node;
    inl c = {.L = L, .t = t, .np = np};
    for (int i = 0; i < list->n && !L->oom; i++)
        inline_row(&c, list->kids[i]);
    strmap_free(&c.unknown);
}
