/* opt.h - option parsing shared by the commands. */
#ifndef ROTA_CLI_OPT_H
#define ROTA_CLI_OPT_H

/* The value of option argv[*i] ("--opt V" or "--opt=V"), advancing *i past
 * a separate value; NULL when there is none. */
const char *opt_value(int argc, char **argv, int *i, const char *name);
/* Whether arg is --name or --name=... */
int opt_is(const char *arg, const char *name);
/* A finite number / a non-negative integer; 0, or -1 when malformed. */
int opt_double(const char *s, double *out);
int opt_long(const char *s, long *out);

/* Says "rota CMD: bad value for OPT: 'V'" on stderr; returns -1. */
int opt_bad(const char *cmd, const char *opt, const char *v);

/* The search options of the commands that solve: --time-limit S (> 0),
 * --seed N (32 bits), --iterations N.  Returns 1 when argv[*i] is one of
 * them (its value stored), 0 when it is none, -1 on a bad value (said). */
int opt_search(const char *cmd, int argc, char **argv, int *i,
               double *time_limit, unsigned *seed, long *iterations);

/* Any other argument a: an unknown option, the instance (the first
 * positional one) or one too many.  Returns 0, or -1 (said). */
int opt_instance(const char *cmd, const char *a, const char **instance);

#endif
