/* json_pos.h - JSON text helpers: where each value of a text starts
 * (line, column), and Jansson's allocation failures made visible.
 *
 * Jansson reports positions for syntax errors only.  To point at a wrong
 * value in a well-formed document, jpos_build() makes one light pass over
 * the text and records a node per value (line and column of its first
 * character, its key in the parent object, its first child and next
 * sibling).  Lookups then walk the tree by key or array index.
 *
 * Columns count characters (UTF-8 sequences), as Jansson's do.  The text
 * is expected to be valid JSON (Jansson parsed it first); on anything else
 * the pass stops early and lookups simply find less.
 */
#ifndef ROTA_JSON_POS_H
#define ROTA_JSON_POS_H

#include <stddef.h>

#include <jansson.h>

typedef struct jpos_node {
    int line, col;        /* 1-based */
    int first_kid, next;  /* node indices, -1: none */
    int last_kid;         /* used while building */
    const char *key;      /* member name in the raw text (no quotes), or NULL */
    int key_len;
} jpos_node;

typedef struct jpos {
    jpos_node *v;         /* node 0 is the root value */
    int n, cap;
} jpos;

/* Builds the tree; 0, or -1 when out of memory (t is then empty). */
int jpos_build(jpos *t, const char *text, size_t len);
void jpos_free(jpos *t);

/* The member `key` of object node `node`; -1 when absent (or node < 0). */
int jpos_key(const jpos *t, int node, const char *key);
/* The element i of array node `node`; -1 when absent (or node < 0). */
int jpos_index(const jpos *t, int node, size_t i);

/* The next element or member after node (its next sibling); -1 at the end
 * or for node < 0.  Walking an array with jpos_index(t, a, 0) and then
 * jpos_next keeps a long array linear. */
int jpos_next(const jpos *t, int node);

/* Line and column of node (0, 0 for node < 0). */
void jpos_where(const jpos *t, int node, int *line, int *col);

/* Jansson 2.14 hides some allocation failures: json_loadb reports them as
 * syntax errors (or with an empty message), and json_dumps ignores a failed
 * write of an object key and returns a corrupt text.  rota_json_guard()
 * installs (once, chaining to the allocator in place) Jansson allocation
 * functions that raise a per-thread flag on failure; reset it with
 * rota_json_oom_reset() before a Jansson call and read it after. */
void rota_json_guard(void);
void rota_json_oom_reset(void);
int rota_json_oom(void);

/* json_dumps with a trailing newline, NULL on any allocation failure. */
char *rota_json_dump(const json_t *doc, size_t flags);

#endif
