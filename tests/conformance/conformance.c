/* conformance.c - runs the YAML Test Suite through the instance loader and
 * JSONTestSuite through the roster reader (files written by export.mjs),
 * and checks the counts.
 *
 * usage: conformance yaml DIR [NAME=COUNT...]
 *        conformance json DIR INSTANCE.yaml [NAME=COUNT...]
 *
 * YAML: every case goes through yt_parse (the tree the loader reads) and
 * rota_instance_load_buffer.  A rejection must come with at least one
 * message, each with a line and a column.  Rejections of valid YAML are
 * split into rota's documented choices (aliases, anchors, tags, complex or
 * duplicate keys, several documents: yaml_tree.h) and libyaml's own.
 * JSON: every case goes through Jansson as the reader calls it (to tell
 * JSON syntax from roster shape), rota_check_buffer and rota_roster_read
 * against INSTANCE; no case is a roster, so each must be rejected with
 * positioned messages.
 *
 * Prints every count; exits 1 when a rejection lacks a position, a case
 * is accepted where it must not be, or a NAME=COUNT differs. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "rota/check.h"
#include "rota/instance.h"
#include "yaml_tree.h"

#define MAX_COUNTS 16

typedef struct counts {
    int n;
    const char *name[MAX_COUNTS];
    int val[MAX_COUNTS];
} counts;

static int failed;

static void bump(counts *c, const char *name)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->name[i], name) == 0) {
            c->val[i]++;
            return;
        }
    if (c->n < MAX_COUNTS) {
        c->name[c->n] = name;
        c->val[c->n++] = 1;
    }
}

static int get(const counts *c, const char *name)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->name[i], name) == 0)
            return c->val[i];
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    char *buf = NULL;
    if (!f || fstat(fileno(f), &st) < 0)
        goto fail;
    if (!(buf = malloc((size_t)st.st_size + 1)))
        goto fail;
    if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
        goto fail;
    buf[st.st_size] = '\0';
    *len = (size_t)st.st_size;
    fclose(f);
    return buf;
fail:
    perror(path);
    free(buf);
    if (f)
        fclose(f);
    return NULL;
}

/* Whether a rejection came with messages that all have a position; a
 * failure is reported and counted. */
static int positioned(const char *file, const rota_diags *d, counts *c)
{
    int ok = d->n > 0;
    for (size_t i = 0; i < d->n; i++)
        if (d->items[i].line < 1 || d->items[i].col < 1)
            ok = 0;
    if (!ok) {
        fprintf(stderr, "%s: rejected without a positioned message%s%s\n", file,
                d->n ? ": " : "", d->n ? d->items[0].msg : "");
        bump(c, "unpositioned");
        failed = 1;
    }
    return ok;
}

/* Whether the tree builder's message is one of rota's documented refusals. */
static int rota_choice(const rota_diags *d)
{
    static const char *const why[] = {
        "aliases are not", "anchors are not", "tags are not",
        "mapping key must be a plain word", "duplicate key",
        "only one YAML document", "nesting deeper", "NUL character", NULL};
    for (size_t i = 0; i < d->n; i++)
        for (int k = 0; why[k]; k++)
            if (strstr(d->items[i].msg, why[k]))
                return 1;
    return 0;
}

static void yaml_case(const char *dir, const char *name, counts *c)
{
    char path[4096], fail[4096];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(fail, sizeof fail, "%.*s.fail", (int)(strlen(path) - 5), path);
    struct stat st;
    int is_error = stat(fail, &st) == 0;
    char *data = slurp(path, &len);
    if (!data) {
        failed = 1;
        return;
    }
    rota_diags d;
    rota_diags_init(&d);
    yt_node *root = NULL;
    rota_status st_tree = yt_parse(data, len, name, &d, &root);
    yt_free(root);
    bump(c, is_error ? "error_cases" : "valid_cases");
    if (st_tree == ROTA_OK)
        bump(c, is_error ? "error_accepted_by_libyaml" : "valid_read");
    else if (positioned(name, &d, c))
        bump(c, is_error ? "error_rejected" :
                rota_choice(&d) ? "valid_refused_by_rota" : "valid_refused_by_libyaml");
    rota_diags_free(&d);

    rota_instance *inst = NULL;
    rota_diags_init(&d);
    if (rota_instance_load_buffer(data, len, name, &inst, &d) == ROTA_OK)
        bump(c, "loaded_as_instance");
    else
        positioned(name, &d, c);
    rota_instance_free(inst);
    rota_diags_free(&d);
    free(data);
}

static void json_case(const rota_instance *inst, const char *dir,
                      const char *name, counts *c)
{
    char path[4096];
    size_t len;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *data = slurp(path, &len);
    if (!data) {
        failed = 1;
        return;
    }
    json_error_t err;
    json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
    char key[32];
    snprintf(key, sizeof key, "%c_", name[0]);
    static const char *const names[3][2] = {
        {"y_accepted", "y_rejected"}, {"n_accepted", "n_rejected"},
        {"i_accepted", "i_rejected"}};
    int kind = name[0] == 'y' ? 0 : name[0] == 'n' ? 1 : 2;
    bump(c, names[kind][j == NULL]);
    json_decref(j);

    rota_check_report rep;
    rota_diags d;
    rota_check_report_init(&rep);
    rota_diags_init(&d);
    if (rota_check_buffer(inst, data, len, name, &rep, &d) == ROTA_EINPUT)
        positioned(name, &d, c);
    else {
        fprintf(stderr, "%s: judged as a roster\n", name);
        bump(c, "judged");
        failed = 1;
    }
    rota_check_report_free(&rep);
    rota_diags_free(&d);

    rota_roster *r = NULL;
    rota_diags_init(&d);
    if (rota_roster_read(inst, data, len, name, &r, &d) == ROTA_EINPUT)
        positioned(name, &d, c);
    else {
        fprintf(stderr, "%s: read as a roster\n", name);
        bump(c, "judged");
        failed = 1;
    }
    rota_roster_free(r);
    rota_diags_free(&d);
    free(data);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir ending in `ext`, sorted; NULL-terminated, malloc'd. */
static char **list_dir(const char *dir, const char *ext)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return NULL;
    }
    size_t n = 0, cap = 512;
    char **v = malloc(cap * sizeof *v);
    struct dirent *e;
    while (v && (e = readdir(d))) {
        size_t l = strlen(e->d_name), el = strlen(ext);
        if (l <= el || strcmp(e->d_name + l - el, ext) != 0)
            continue;
        if (n + 1 == cap) {
            char **nv = realloc(v, (cap *= 2) * sizeof *v);
            if (!nv)
                break;
            v = nv;
        }
        if (!(v[n] = strdup(e->d_name)))
            break;
        n++;
    }
    closedir(d);
    if (!v)
        return NULL;
    v[n] = NULL;
    qsort(v, n, sizeof *v, cmp_str);
    return v;
}

static void check_expect(const counts *c, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        char name[64];
        int want;
        if (sscanf(argv[i], "%63[^=]=%d", name, &want) != 2) {
            fprintf(stderr, "bad expectation '%s'\n", argv[i]);
            failed = 1;
        } else if (get(c, name) != want) {
            fprintf(stderr, "%s: %d, expected %d\n", name, get(c, name), want);
            failed = 1;
        }
    }
}

int main(int argc, char **argv)
{
    int is_json = argc >= 3 && strcmp(argv[1], "json") == 0;
    if (argc < 3 || (!is_json && strcmp(argv[1], "yaml") != 0) || (is_json && argc < 4)) {
        fprintf(stderr, "usage: conformance yaml DIR [NAME=COUNT...]\n"
                        "       conformance json DIR INSTANCE.yaml [NAME=COUNT...]\n");
        return 2;
    }
    rota_instance *inst = NULL;
    if (is_json) {
        rota_diags d;
        rota_diags_init(&d);
        if (rota_instance_load(argv[3], &inst, &d) != ROTA_OK) {
            fprintf(stderr, "cannot load %s\n", argv[3]);
            return 1;
        }
        rota_diags_free(&d);
    }
    char **files = list_dir(argv[2], is_json ? ".json" : ".yaml");
    if (!files)
        return 1;
    counts c = {0};
    for (char **f = files; *f; f++) {
        if (is_json)
            json_case(inst, argv[2], *f, &c);
        else
            yaml_case(argv[2], *f, &c);
        free(*f);
    }
    free(files);
    rota_instance_free(inst);
    for (int i = 0; i < c.n; i++)
        printf("%s=%d\n", c.name[i], c.val[i]);
    int first = is_json ? 4 : 3;
    check_expect(&c, argc - first, argv + first);
    return failed;
}
