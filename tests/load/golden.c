/* golden.c - one golden test of `rota validate`.
 *
 * usage: golden ROTA DIR MODE FILE
 *   Runs `ROTA validate FILE` in DIR, so that FILE (relative to DIR) is
 *   written in messages exactly as in the .expected files.
 *   MODE bad:  exit code 2 and stderr byte for byte equal to FILE's
 *              .expected (FILE without .yaml, plus .expected)
 *   MODE good: exit code 0
 *
 * A C program rather than a shell script so that the 'valgrind' test setup
 * has nothing to report about the runner itself; under valgrind the runner
 * runs rota under valgrind too (valgrind does not follow children).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static int buf_put(buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 4096) + n;
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return 0;
}

static int read_fd(int fd, buf *b)
{
    char chunk[4096];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return (int)r;
        if (buf_put(b, chunk, (size_t)r) < 0)
            return -1;
    }
}

static int under_valgrind(void)
{
    const char *pre = getenv("LD_PRELOAD");
    return pre && strstr(pre, "vgpreload") != NULL;
}

static void child(const char *rota, const char *file, int errfd)
{
    dup2(errfd, 2);
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0)
        dup2(null, 1);
    if (under_valgrind()) {
        unsetenv("LD_PRELOAD");
        execlp("valgrind", "valgrind", "--error-exitcode=99", "--leak-check=full",
               "--errors-for-leak-kinds=definite", "--quiet", rota, "validate",
               file, (char *)NULL);
    } else {
        execl(rota, "rota", "validate", file, (char *)NULL);
    }
    fprintf(stderr, "cannot run %s: %s\n", rota, strerror(errno));
    _exit(127);
}

/* Runs rota; its exit code, or -1. */
static int run(const char *rota, const char *file, buf *err)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(fds[0]);
        child(rota, file, fds[1]);
    }
    close(fds[1]);
    int rc = read_fd(fds[0], err);
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (rc < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int read_file(const char *path, buf *b)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[4096];
    size_t r;
    int rc = 0;
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (buf_put(b, chunk, r) < 0)
            rc = -1;
    if (ferror(f))
        rc = -1;
    fclose(f);
    if (rc == 0 && !b->p)
        rc = buf_put(b, "", 0);
    return rc;
}

/* FILE.yaml -> FILE.expected */
static char *expected_path(const char *file)
{
    size_t n = strlen(file);
    if (n > 5 && strcmp(file + n - 5, ".yaml") == 0)
        n -= 5;
    char *p = malloc(n + sizeof ".expected");
    if (p) {
        memcpy(p, file, n);
        strcpy(p + n, ".expected");
    }
    return p;
}

static int check_bad(const char *file, int rc, const buf *err)
{
    int status = 0;
    buf want = {0};
    char *exp = expected_path(file);
    if (rc != 2) {
        printf("rota validate %s: exit %d, expected 2\n", file, rc);
        status = 1;
    }
    if (!exp || read_file(exp, &want) < 0) {
        printf("cannot read %s\n", exp ? exp : "the expected file");
        status = 1;
    } else if (want.n != err->n || memcmp(want.p, err->p, err->n) != 0) {
        printf("rota validate %s: stderr differs from %s\n--- expected\n%s"
               "--- got\n%s", file, exp, want.p, err->p ? err->p : "");
        status = 1;
    }
    free(want.p);
    free(exp);
    return status;
}

int main(int argc, char **argv)
{
    if (argc != 5 || (strcmp(argv[3], "bad") && strcmp(argv[3], "good"))) {
        fprintf(stderr, "usage: golden ROTA DIR bad|good FILE\n");
        return 2;
    }
    char rota[PATH_MAX];
    if (!realpath(argv[1], rota) || chdir(argv[2]) < 0) {
        perror("golden");
        return 1;
    }
    buf err = {0};
    int rc = run(rota, argv[4], &err);
    int status;
    if (rc < 0) {
        perror("golden");
        status = 1;
    } else if (strcmp(argv[3], "good") == 0) {
        status = rc != 0;
        if (status)
            printf("rota validate %s: exit %d, expected 0\n%s", argv[4], rc,
                   err.p ? err.p : "");
    } else {
        status = check_bad(argv[4], rc, &err);
    }
    free(err.p);
    return status;
}
