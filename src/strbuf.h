/* strbuf.h - a growing string for the modules that write text (exports,
 * diffs, conflict reports, instance YAML).  Internal.
 *
 * Zero-initialise one (strbuf b = {0}); b.s is NUL-terminated once
 * anything was written; after a failed allocation b.oom is set, later
 * writes do nothing, and the caller reports ROTA_ENOMEM.  The caller frees
 * b.s.
 */
#ifndef ROTA_STRBUF_H
#define ROTA_STRBUF_H

#include <stddef.h>

typedef struct strbuf {
    char *s;
    size_t n, cap;
    int oom;
} strbuf;

void sb_put(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_printf(strbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
