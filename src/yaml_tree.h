/* yaml_tree.h - a small YAML node tree with positions, for the loader.
 *
 * libyaml's document API keeps marks but accepts aliases, anchors, tags,
 * duplicate keys and any depth.  rota's format needs none of that, so this
 * builds its own tree from the event stream and rejects them with a
 * position.  Only what the instance loader needs: scalars (with their
 * style, to tell "3" from 3), sequences and mappings.
 *
 * Ownership: yt_parse() allocates the tree; yt_free() frees all of it.
 */
#ifndef ROTA_YAML_TREE_H
#define ROTA_YAML_TREE_H

#include <stddef.h>

#include "rota/diag.h"

#define YT_MAX_DEPTH 64                     /* nested sequences/mappings */
#define YT_MAX_SCALAR (64u * 1024u)          /* bytes in one scalar */
#define YT_MAX_FILE (64u * 1024u * 1024u)    /* bytes in one file */

typedef enum yt_kind {
    YT_SCALAR,
    YT_SEQ,
    YT_MAP,
    YT_BAD,    /* already reported (an alias, an oversized scalar): skip */
} yt_kind;

typedef struct yt_node yt_node;
struct yt_node {
    yt_kind kind;
    int line, col;      /* 1-based position of the node's first character */
    int quoted;         /* scalar written quoted or as a block (not plain) */
    int null;           /* plain scalar '', '~' or 'null': no value */
    char *str;          /* scalar text, NUL-terminated; NULL otherwise */
    size_t len;
    int n, cap;         /* seq: n items; map: n keys (kids holds 2n) */
    yt_node **kids;     /* seq: items; map: key 2i, value 2i+1 */
};

/* Parses `len` bytes of YAML into a tree.  Every problem found goes to
 * `diags` under `path`.  Returns ROTA_OK with *root set (NULL for a file
 * without a document), ROTA_EINPUT (*root NULL when the YAML could not be
 * read to its end, else the tree of what was read, whose problems are
 * reported already) or ROTA_ENOMEM. */
rota_status yt_parse(const char *data, size_t len, const char *path,
                     rota_diags *diags, yt_node **root);

void yt_free(yt_node *n);

/* Mapping access; NULL when absent or when `map` is not a mapping. */
const yt_node *yt_get(const yt_node *map, const char *key);
static inline const yt_node *yt_key(const yt_node *map, int i)
{
    return map->kids[2 * i];
}
static inline const yt_node *yt_val(const yt_node *map, int i)
{
    return map->kids[2 * i + 1];
}

/* 1-based line and column of byte `offset` in data (columns count UTF-8
 * characters, as libyaml's marks do). */
void yt_offset_pos(const char *data, size_t len, size_t offset,
                   int *line, int *col);

/* Copies a message for one output line: control characters become
 * escapes (\n, \t, \xHH), and a cut never splits a UTF-8 character. */
void yt_clean(const char *in, char *out, size_t cap);

#endif
