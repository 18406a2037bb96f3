/* diag.c - positioned diagnostics (see rota/diag.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rota/diag.h"

const char *rota_status_str(rota_status st)
{
    switch (st) {
    case ROTA_OK: return "ok";
    case ROTA_EINPUT: return "bad input";
    case ROTA_ENOMEM: return "out of memory";
    case ROTA_EIO: return "input/output error";
    case ROTA_EINTERNAL: return "internal error";
    }
    return "unknown status";
}

void rota_diags_init(rota_diags *d)
{
    memset(d, 0, sizeof *d);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

void rota_diags_add(rota_diags *d, const char *file, int line, int col,
                    const char *fmt, ...)
{
    size_t limit = d->limit ? d->limit : 1000;
    if (d->n >= limit) {
        d->n_dropped++;
        return;
    }
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        rota_diag *items = realloc(d->items, cap * sizeof *items);
        if (!items) {
            d->n_dropped++;
            return;
        }
        d->items = items;
        d->cap = cap;
    }
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    rota_diag *it = &d->items[d->n];
    it->file = dup_or_null(file);
    it->msg = strdup(buf);
    it->line = line;
    it->col = col;
    if (!it->msg || (file && !it->file)) {
        free(it->file);
        free(it->msg);
        d->n_dropped++;
        return;
    }
    d->n++;
}

/* Stable insertion sort: diagnostic lists are short and mostly in order. */
void rota_diags_sort(rota_diags *d)
{
    for (size_t i = 1; i < d->n; i++) {
        rota_diag x = d->items[i];
        size_t j = i;
        while (j > 0) {
            const rota_diag *p = &d->items[j - 1];
            int c = strcmp(p->file ? p->file : "", x.file ? x.file : "");
            if (c < 0 || (c == 0 && (p->line < x.line ||
                                     (p->line == x.line && p->col <= x.col))))
                break;
            d->items[j] = *p;
            j--;
        }
        d->items[j] = x;
    }
}

void rota_diags_free(rota_diags *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->items[i].file);
        free(d->items[i].msg);
    }
    free(d->items);
    size_t limit = d->limit;
    memset(d, 0, sizeof *d);
    d->limit = limit;
}
