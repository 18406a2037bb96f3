/* opt.c - option parsing shared by the commands. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opt.h"

const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (strcmp(argv[*i], name) == 0 && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

int opt_is(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == 0 || arg[n] == '=');
}

int opt_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(x))
        return -1;
    *out = x;
    return 0;
}

int opt_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long x = strtol(s, &end, 10);
    if (errno || end == s || *end || x < 0)
        return -1;
    *out = x;
    return 0;
}

int opt_bad(const char *cmd, const char *opt, const char *v)
{
    fprintf(stderr, "rota %s: bad value for %s: '%s'\n", cmd, opt, v ? v : "");
    return -1;
}

int opt_search(const char *cmd, int argc, char **argv, int *i,
               double *time_limit, unsigned *seed, long *iterations)
{
    const char *a = argv[*i], *v;
    long n;
    if (opt_is(a, "--time-limit")) {
        v = opt_value(argc, argv, i, "--time-limit");
        if (!v || opt_double(v, time_limit) < 0 || !(*time_limit > 0))
            return opt_bad(cmd, "--time-limit", v);
    } else if (opt_is(a, "--seed")) {
        v = opt_value(argc, argv, i, "--seed");
        if (!v || opt_long(v, &n) < 0 || n > 0xffffffffL)
            return opt_bad(cmd, "--seed", v);
        *seed = (unsigned)n;
    } else if (opt_is(a, "--iterations")) {
        v = opt_value(argc, argv, i, "--iterations");
        if (!v || opt_long(v, iterations) < 0)
            return opt_bad(cmd, "--iterations", v);
    } else {
        return 0;
    }
    return 1;
}

int opt_instance(const char *cmd, const char *a, const char **instance)
{
    if (a[0] == '-' && a[1]) {
        fprintf(stderr, "rota %s: unknown option '%s'\n", cmd, a);
        return -1;
    }
    if (*instance) {
        fprintf(stderr, "rota %s: more than one instance given\n", cmd);
        return -1;
    }
    *instance = a;
    return 0;
}
