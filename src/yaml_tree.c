/* yaml_tree.c - YAML events to a small positioned tree (see yaml_tree.h).
 *
 * Why not yaml_parser_load(): it expands aliases (a billion-laughs file
 * grows without bound), keeps duplicate keys, and does not cap depth.  Here
 * every event is checked as it arrives and parsing stops at the first
 * problem that leaves the rest unreadable (a syntax error, nesting deeper
 * than YT_MAX_DEPTH, a second document).  Problems that leave the tree
 * usable (an alias, an anchor, a tag, a duplicate key) are reported and
 * parsing goes on, so that the loader can report the rest of the file too.
 */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "yaml_tree.h"

typedef struct yb {
    const char *data;
    size_t len;
    const char *path;
    rota_diags *diags;
    yaml_parser_t parser;
    yt_node *root;
    yt_node *stack[YT_MAX_DEPTH];
    int depth;
    int docs;
    int nerr;
    int oom;
} yb;

/* Length of the UTF-8 character that starts with byte c (1 for others). */
static size_t utf8_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

void yt_clean(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)in;
    while (*p) {
        char esc[8];
        size_t k;
        if (*p < 0x20 || *p == 0x7f) {
            if (*p == '\n' || *p == '\t' || *p == '\r')
                snprintf(esc, sizeof esc, "\\%c", *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r');
            else
                snprintf(esc, sizeof esc, "\\x%02x", *p);
            k = strlen(esc);
        } else {
            k = utf8_len(*p);
            if (strnlen((const char *)p, k) < k)
                break;   /* a character cut short by an earlier snprintf */
            memcpy(esc, p, k);
        }
        if (n + k + 1 > cap)
            break;
        memcpy(out + n, esc, k);
        n += k;
        p += (*p < 0x20 || *p == 0x7f) ? 1 : k;
    }
    out[n] = '\0';
}

static void yb_err(yb *b, int line, int col, const char *fmt, const char *arg)
{
    char msg[1024], clean[1024];
    snprintf(msg, sizeof msg, fmt, arg);
    yt_clean(msg, clean, sizeof clean);
    rota_diags_add(b->diags, b->path, line, col, "%s", clean);
    b->nerr++;
}

void yt_free(yt_node *n)
{
    if (!n)
        return;
    for (int i = 0; i < n->cap && n->kids; i++)
        yt_free(n->kids[i]);
    free(n->kids);
    free(n->str);
    free(n);
}

/* kids holds `cap` slots, zeroed, so yt_free needs no count of its own. */
static int node_push(yt_node *parent, yt_node *kid, int used)
{
    if (used == parent->cap) {
        int cap = parent->cap ? parent->cap * 2 : 4;
        yt_node **k = realloc(parent->kids, (size_t)cap * sizeof *k);
        if (!k)
            return -1;
        memset(k + parent->cap, 0, (size_t)(cap - parent->cap) * sizeof *k);
        parent->kids = k;
        parent->cap = cap;
    }
    parent->kids[used] = kid;
    return 0;
}

static int is_null_word(const char *s, size_t len)
{
    return len == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
           strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

static yt_node *node_new(yb *b, yt_kind kind, const yaml_mark_t *m)
{
    yt_node *n = calloc(1, sizeof *n);
    if (!n) {
        b->oom = 1;
        return NULL;
    }
    n->kind = kind;
    n->line = (int)m->line + 1;
    n->col = (int)m->column + 1;
    return n;
}

/* Hangs n under the open collection (or makes it the root).  A mapping's
 * kids alternate key, value; `n` counts items (seq) or complete pairs (map)
 * and is fixed up when the collection closes. */
static int yb_attach(yb *b, yt_node *n)
{
    if (b->depth == 0) {
        b->root = n;
        return 0;
    }
    yt_node *p = b->stack[b->depth - 1];
    if (node_push(p, n, p->n) < 0) {
        yt_free(n);
        b->oom = 1;
        return -1;
    }
    if (p->kind == YT_MAP && p->n % 2 == 0 && n->kind != YT_SCALAR &&
        n->kind != YT_BAD)
        yb_err(b, n->line, n->col, "%s", "a mapping key must be a plain word");
    p->n++;
    return 0;
}

/* Anchors and tags: rota's format needs neither; reporting them keeps a
 * file from meaning something else to another YAML reader. */
static void check_props(yb *b, const yaml_event_t *ev, const yaml_char_t *anchor,
                        const yaml_char_t *tag)
{
    int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
    if (anchor)
        yb_err(b, line, col, "anchors are not supported (&%s)", (const char *)anchor);
    if (tag)
        yb_err(b, line, col, "tags are not supported (%s)", (const char *)tag);
}

static int on_scalar(yb *b, const yaml_event_t *ev)
{
    const yaml_char_t *anchor = ev->data.scalar.anchor;
    check_props(b, ev, anchor, ev->data.scalar.tag);
    size_t len = ev->data.scalar.length;
    const char *v = (const char *)ev->data.scalar.value;
    yt_node *n = node_new(b, YT_SCALAR, &ev->start_mark);
    if (!n)
        return -1;
    if (len > YT_MAX_SCALAR) {
        yb_err(b, n->line, n->col, "%s", "scalar longer than 65536 bytes");
        n->kind = YT_BAD;
    } else if (memchr(v, '\0', len)) {
        yb_err(b, n->line, n->col, "%s", "a scalar may not contain a NUL character");
        n->kind = YT_BAD;
    } else {
        n->str = malloc(len + 1);
        if (!n->str) {
            free(n);
            b->oom = 1;
            return -1;
        }
        memcpy(n->str, v, len + 1);
        n->len = len;
        n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        n->null = !n->quoted && is_null_word(n->str, len);
    }
    return yb_attach(b, n);
}

static int on_start(yb *b, const yaml_event_t *ev, yt_kind kind)
{
    if (kind == YT_SEQ)
        check_props(b, ev, ev->data.sequence_start.anchor,
                    ev->data.sequence_start.tag);
    else
        check_props(b, ev, ev->data.mapping_start.anchor,
                    ev->data.mapping_start.tag);
    if (b->depth == YT_MAX_DEPTH) {
        yb_err(b, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
               "%s", "nesting deeper than 64 levels");
        return -1;
    }
    yt_node *n = node_new(b, kind, &ev->start_mark);
    if (!n || yb_attach(b, n) < 0)
        return -1;
    b->stack[b->depth++] = n;
    return 0;
}

typedef struct keyref {
    const char *s;
    int i;
} keyref;

static int keyref_cmp(const void *pa, const void *pb)
{
    const keyref *a = pa, *b = pb;
    int c = strcmp(a->s, b->s);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

/* Duplicate keys pass libyaml silently; sorting the keys finds them in
 * n log n even in a hostile file with a million keys. */
static int check_dup_keys(yb *b, yt_node *map)
{
    if (map->n < 2)
        return 0;
    keyref *k = malloc((size_t)map->n * sizeof *k);
    if (!k) {
        b->oom = 1;
        return -1;
    }
    int m = 0;
    for (int i = 0; i < map->n; i++) {
        const yt_node *key = map->kids[2 * i];
        if (key->kind == YT_SCALAR)
            k[m++] = (keyref){key->str, i};
    }
    qsort(k, (size_t)m, sizeof *k, keyref_cmp);
    int first = 0;   /* start of the run of equal keys that j is in */
    for (int j = 1; j < m; j++) {
        if (strcmp(k[j].s, k[j - 1].s) != 0) {
            first = j;
            continue;
        }
        const yt_node *dup = map->kids[2 * k[j].i];
        const yt_node *orig = map->kids[2 * k[first].i];
        rota_diags_add(b->diags, b->path, dup->line, dup->col,
                       "duplicate key '%s' (first at line %d)", dup->str, orig->line);
        b->nerr++;
    }
    free(k);
    return 0;
}

static int on_end(yb *b)
{
    yt_node *n = b->stack[--b->depth];
    if (n->kind == YT_MAP) {
        n->n /= 2;
        return check_dup_keys(b, n);
    }
    return 0;
}

static int on_alias(yb *b, const yaml_event_t *ev)
{
    yt_node *n = node_new(b, YT_BAD, &ev->start_mark);
    if (!n)
        return -1;
    yb_err(b, n->line, n->col, "%s", "aliases are not supported");
    return yb_attach(b, n);
}

/* One event.  Returns 0 to go on, 1 at the end of the stream, -1 to stop. */
static int on_event(yb *b, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_STREAM_END_EVENT:
        return 1;
    case YAML_DOCUMENT_START_EVENT:
        if (b->docs++ > 0) {
            yb_err(b, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
                   "%s", "only one YAML document is allowed");
            return -1;
        }
        return 0;
    case YAML_ALIAS_EVENT:
        return on_alias(b, ev);
    case YAML_SCALAR_EVENT:
        return on_scalar(b, ev);
    case YAML_SEQUENCE_START_EVENT:
        return on_start(b, ev, YT_SEQ);
    case YAML_MAPPING_START_EVENT:
        return on_start(b, ev, YT_MAP);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return on_end(b);
    default:
        return 0;
    }
}

void yt_offset_pos(const char *data, size_t len, size_t offset, int *line,
                   int *col)
{
    int l = 1, c = 1;
    if (offset > len)
        offset = len;
    for (size_t i = 0; i < offset; i++) {
        unsigned char ch = (unsigned char)data[i];
        if (ch == '\n' || (ch == '\r' && (i + 1 >= len || data[i + 1] != '\n'))) {
            l++;
            c = 1;
        } else if ((ch & 0xC0) != 0x80 && ch != '\r') {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* The byte at a libyaml mark (0-based line and character column), or -1. */
static int char_at_mark(const char *data, size_t len, const yaml_mark_t *m)
{
    size_t i = 0;
    for (size_t l = 0; l < m->line && i < len; i++)
        if (data[i] == '\n')
            l++;
    for (size_t c = 0; i < len; i++) {
        if (((unsigned char)data[i] & 0xC0) == 0x80)
            continue;
        if (c++ == m->column)
            return (unsigned char)data[i];
    }
    return -1;
}

/* libyaml reports bad bytes by offset only (its marks stay 0:0).  A bad
 * continuation byte is reported at the byte itself; point at the first
 * byte of the broken character instead, where a person would look. */
static void report_reader_error(yb *b)
{
    const yaml_parser_t *p = &b->parser;
    size_t off = p->problem_offset < b->len ? p->problem_offset : b->len;
    int line, col;
    if (strstr(p->problem, "UTF-8")) {
        size_t lead = off;
        while (strstr(p->problem, "trailing") && lead > 0 && off - lead < 3 &&
               ((unsigned char)b->data[lead] & 0xC0) != 0xC0)
            lead--;
        if (((unsigned char)b->data[lead] & 0xC0) == 0xC0)
            off = lead;
        yt_offset_pos(b->data, b->len, off, &line, &col);
        rota_diags_add(b->diags, b->path, line, col,
                       "not UTF-8 text: byte 0x%02x (%s)",
                       off < b->len ? (unsigned char)b->data[off] : 0u, p->problem);
    } else {
        yt_offset_pos(b->data, b->len, off, &line, &col);
        rota_diags_add(b->diags, b->path, line, col, "%s (byte 0x%02x)",
                       p->problem, (unsigned)p->problem_value & 0xFFu);
    }
}

static void report_parser_error(yb *b)
{
    yaml_parser_t *p = &b->parser;
    int line, col;
    if (p->error == YAML_MEMORY_ERROR) {
        b->oom = 1;
        return;
    }
    b->nerr++;
    if (p->error == YAML_READER_ERROR) {
        report_reader_error(b);
        return;
    }
    line = (int)p->problem_mark.line + 1;
    col = (int)p->problem_mark.column + 1;
    if (char_at_mark(b->data, b->len, &p->problem_mark) == '\t')
        rota_diags_add(b->diags, b->path, line, col,
                       "tab character: YAML indentation must use spaces");
    else if (p->context)
        rota_diags_add(b->diags, b->path, line, col,
                       "YAML syntax error: %s (%s at line %d)", p->problem,
                       p->context, (int)p->context_mark.line + 1);
    else
        rota_diags_add(b->diags, b->path, line, col, "YAML syntax error: %s",
                       p->problem ? p->problem : "unknown");
}

/* Runs the event loop; 0 when the stream was read to its end. */
static int yb_run(yb *b)
{
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&b->parser, &ev)) {
            report_parser_error(b);
            return -1;
        }
        int r = on_event(b, &ev);
        yaml_event_delete(&ev);
        if (r != 0)
            return r > 0 && !b->oom ? 0 : -1;
    }
}

rota_status yt_parse(const char *data, size_t len, const char *path,
                     rota_diags *diags, yt_node **root)
{
    yb b = {.data = data, .len = len, .path = path, .diags = diags};
    *root = NULL;
    if (len > YT_MAX_FILE) {
        rota_diags_add(diags, path, 0, 0, "file larger than 64 MiB");
        return ROTA_EINPUT;
    }
    if (!yaml_parser_initialize(&b.parser))
        return ROTA_ENOMEM;
    yaml_parser_set_input_string(&b.parser, (const unsigned char *)data, len);
    int r = yb_run(&b);
    yaml_parser_delete(&b.parser);
    if (b.oom || r < 0) {
        yt_free(b.root);
        return b.oom ? ROTA_ENOMEM : ROTA_EINPUT;
    }
    *root = b.root;
    return b.nerr ? ROTA_EINPUT : ROTA_OK;
}

const yt_node *yt_get(const yt_node *map, const char *key)
{
    if (!map || map->kind != YT_MAP)
        return NULL;
    for (int i = 0; i < map->n; i++) {
        const yt_node *k = map->kids[2 * i];
        if (k->kind == YT_SCALAR && strcmp(k->str, key) == 0)
            return map->kids[2 * i + 1];
    }
    return NULL;
}
