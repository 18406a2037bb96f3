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

#endif
