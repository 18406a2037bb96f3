/* driver.c - replays inputs through a fuzz target without libFuzzer, so
 * that the regression corpus runs as a plain meson test with any compiler.
 *
 * usage: driver FILE|DIR...   (a directory: every regular file in it)
 * Exit 0 when every input went through (a crash or an abort fails the
 * test); 1 when a file cannot be read or no input was found. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int n_inputs;

/* Reads a whole file; NULL (and a message) when it cannot. */
static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    struct stat st;
    if (!f || fstat(fileno(f), &st) < 0)
        goto fail;
    buf = malloc((size_t)st.st_size + 1);
    if (!buf || fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
        goto fail;
    fclose(f);
    *len = (size_t)st.st_size;
    return buf;
fail:
    perror(path);
    free(buf);
    if (f)
        fclose(f);
    return NULL;
}

static int run_file(const char *path)
{
    size_t len;
    uint8_t *buf = slurp(path, &len);
    if (!buf)
        return -1;
    /* an exact-size copy, so that ASan sees a read past the end */
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy) {
        free(buf);
        return -1;
    }
    memcpy(copy, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(copy, len);
    free(copy);
    n_inputs++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of a directory, in name order. */
static int run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                rc = -1;
                break;
            }
            names = nn;
        }
        size_t sz = strlen(dir) + strlen(e->d_name) + 2;
        if (!(names[n] = malloc(sz))) {
            rc = -1;
            break;
        }
        snprintf(names[n++], sz, "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (rc == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            rc = run_file(names[i]);
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) < 0) {
            perror(argv[i]);
            return 1;
        }
        if ((S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i])) < 0)
            return 1;
    }
    if (n_inputs == 0) {
        fprintf(stderr, "driver: no input\n");
        return 1;
    }
    printf("%d inputs\n", n_inputs);
    return 0;
}
