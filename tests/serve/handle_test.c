/* handle_test.c - rota_app_handle without sockets (serve.h).
 *
 * usage: handle_test INSTANCE.yaml PARENT_DIR
 *
 * Opens an app in a new directory under PARENT_DIR (with a tokens file), then checks the status
 * of fixed requests (routing, tokens, validation, 404s, 405s, OPTIONS) and
 * feeds a few thousand requests made of random pieces (methods, paths with
 * odd bytes, headers, bodies cut from the instance): every answer must be
 * a valid status with a body of the stated length.  Under ASan/UBSan and
 * valgrind this is the socket-free robustness test; fuzzers use the same
 * entry point.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rota/serve.h"

static int failures;

#define CHECK(cond, ...)                                              \
    do {                                                              \
        if (!(cond)) {                                                \
            failures++;                                               \
            fprintf(stderr, "FAIL line %d: ", __LINE__);              \
            fprintf(stderr, __VA_ARGS__);                             \
            fputc('\n', stderr);                                      \
        }                                                             \
    } while (0)

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 20);
    *len = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (buf)
        buf[*len] = '\0';
    return buf;
}

/* One request; returns the status (the response is checked and freed). */
static int ask(rota_app *app, const char *method, const char *path,
               const char *query, const char *auth, const char *body,
               size_t len)
{
    rota_request rq = {.method = method, .path = path, .query = query,
                       .authorization = auth, .body = body, .body_len = len,
                       .content_type = "application/yaml"};
    rota_response rs;
    rota_app_handle(app, &rq, &rs);
    int st = rs.status;
    CHECK(st >= 200 && st < 600, "%s %s: status %d", method, path, st);
    CHECK(rs.content_type != NULL, "%s %s: no content type", method, path);
    CHECK(!rs.body || strlen(rs.body) <= rs.body_len + 1, "%s %s: body length", method, path);
    CHECK(rs.body || rs.body_len == 0, "%s %s: NULL body with a length", method, path);
    rota_response_free(&rs);
    return st;
}

static void fixed(rota_app *app, const char *inst, size_t len)
{
    const char *tok = "Bearer t0ken";
    CHECK(ask(app, "GET", "/v1/health", NULL, NULL, NULL, 0) == 200, "health");
    CHECK(ask(app, "GET", "/v1/openapi.json", NULL, NULL, NULL, 0) == 200, "openapi");
    CHECK(ask(app, "POST", "/v1/plans", NULL, NULL, inst, len) == 401, "no token");
    CHECK(ask(app, "POST", "/v1/plans", NULL, "Bearer t0ke", inst, len) == 403, "prefix of a token");
    CHECK(ask(app, "POST", "/v1/plans", NULL, "Bearer t0kenX", inst, len) == 403, "longer token");
    CHECK(ask(app, "POST", "/v1/plans", "time_limit=0.5", tok, inst, len) == 202, "submit");
    CHECK(ask(app, "POST", "/v1/plans", "time_limit=", tok, inst, len) == 400, "empty value");
    CHECK(ask(app, "POST", "/v1/plans", NULL, tok, "a: [", 4) == 400, "syntax");
    CHECK(ask(app, "POST", "/v1/plans", NULL, tok, "a: 1", 4) == 422, "not an instance");
    CHECK(ask(app, "POST", "/v1/plans", NULL, tok, NULL, 0) == 422, "no body");
    CHECK(ask(app, "GET", "/v1/plans/0123456789abcdef", NULL, NULL, NULL, 0) == 404, "unknown");
    CHECK(ask(app, "GET", "/v1/plans/0123456789ABCDEF", NULL, NULL, NULL, 0) == 404, "upper hex");
    CHECK(ask(app, "GET", "/v1/plans/../../etc/passwd", NULL, NULL, NULL, 0) == 404, "dots");
    CHECK(ask(app, "GET", "", NULL, NULL, NULL, 0) == 404, "empty path");
    CHECK(ask(app, "GET", "v1/health", NULL, NULL, NULL, 0) == 404, "relative path");
    CHECK(ask(app, "PATCH", "/v1/plans", NULL, tok, NULL, 0) == 405, "PATCH");
    CHECK(ask(app, "OPTIONS", "/anything", NULL, NULL, NULL, 0) == 204, "OPTIONS");
    rota_request rq = {0};
    rota_response rs;
    rota_app_handle(app, &rq, &rs);
    CHECK(rs.status == 400, "NULL method and path");
    rota_response_free(&rs);
}

static const char *const methods[] = {"GET", "POST", "DELETE", "HEAD", "OPTIONS", "PUT", "", "G\x01T"};
static const char *const parts[] = {"", "/", "v1", "plans", "health", "openapi.json",
    "0123456789abcdef", "roster", "roster.ics", "roster.csv", "roster.json", "staff",
    "sites", "sw1.ics", "s1", ".ics", "..", "%2e", "\xff\xfe", "a b", "//"};

/* A path of random parts. */
static void random_path(char *buf, size_t n, unsigned *seed)
{
    int k = rand_r(seed) % 7;
    buf[0] = '\0';
    for (int i = 0; i < k; i++) {
        size_t l = strlen(buf);
        snprintf(buf + l, n - l, "/%s", parts[rand_r(seed) % (sizeof parts / sizeof parts[0])]);
    }
}

static void random_requests(rota_app *app, const char *inst, size_t len)
{
    unsigned seed = 7;
    char path[512];
    for (int i = 0; i < 3000; i++) {
        random_path(path, sizeof path, &seed);
        const char *m = methods[rand_r(&seed) % (sizeof methods / sizeof methods[0])];
        size_t cut = len ? (size_t)rand_r(&seed) % len : 0;
        const char *auth = rand_r(&seed) % 2 ? "Bearer t0ken" : "Bearer x";
        const char *q = rand_r(&seed) % 3 ? NULL : "seed=1&time_limit=0.1";
        /* POSTs with a whole instance start solves: keep them few */
        size_t blen = strcmp(m, "POST") == 0 && i % 50 ? cut % 200 : cut;
        ask(app, m, path[0] ? path : "/", q, auth, inst, blen);
    }
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: handle_test INSTANCE.yaml PARENT_DIR\n");
        return 2;
    }
    size_t len = 0;
    char *inst = slurp(argv[1], &len);
    char dir[4096], tokens[4200], data[4200], err[256];
    snprintf(dir, sizeof dir, "%s/handle-XXXXXX", argv[2]);
    if (!mkdtemp(dir)) {
        perror("handle_test: mkdtemp");
        return 1;
    }
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(tokens, sizeof tokens, "%s/tokens", dir);
    FILE *f = fopen(tokens, "w");
    if (!inst || !f) {
        fprintf(stderr, "handle_test: cannot read %s or write %s\n", argv[1], tokens);
        return 1;
    }
    fputs("# test\nt0ken\n", f);
    fclose(f);
    rota_app_params p;
    rota_app_params_init(&p);
    p.data_dir = data;
    p.tokens_file = tokens;
    p.time_limit = 0.5;
    p.max_queued = 8;
    rota_app *app = NULL;
    if (rota_app_open(&p, &app, err, sizeof err) != ROTA_OK) {
        fprintf(stderr, "handle_test: %s\n", err);
        return 1;
    }
    fixed(app, inst, len);
    random_requests(app, inst, len);
    rota_app_close(app);
    free(inst);
    printf("%s\n", failures ? "failures" : "ok");
    return failures ? 1 : 0;
}
