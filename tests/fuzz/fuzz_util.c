/* fuzz_util.c - invariants shared by the fuzz targets. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

void fuzz_require_positions(const rota_diags *d, const char *what)
{
    if (d->n == 0 && d->n_dropped == 0) {
        fprintf(stderr, "fuzz: %s rejected the input without a message\n", what);
        abort();
    }
    for (size_t i = 0; i < d->n; i++) {
        const rota_diag *g = &d->items[i];
        if (g->line < 1 || g->col < 1) {
            fprintf(stderr, "fuzz: %s: message without a position: %s:%d:%d: %s\n",
                    what, g->file ? g->file : "(null)", g->line, g->col, g->msg);
            abort();
        }
    }
}
