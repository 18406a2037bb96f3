/* cli.h - the rota command line: one function per subcommand, and the few
 * helpers they share.  The CLI is thin: it parses options, calls the
 * library, prints data on stdout and messages for people on stderr. */
#ifndef ROTA_CLI_H
#define ROTA_CLI_H

#include <stdio.h>

#include "rota/diag.h"
#include "rota/instance.h"

/* Exit codes of spec section 5. */
enum {
    EXIT_ROTA_OK = 0,
    EXIT_ROTA_INTERNAL = 1,
    EXIT_ROTA_INPUT = 2,
    EXIT_ROTA_INFEASIBLE = 3,
    EXIT_ROTA_NO_SOLUTION = 4,
};

int cmd_validate(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_solve(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_size(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_pin(int argc, char **argv);

/* Prints every diagnostic as FILE:LINE:COLUMN: message (LINE and COLUMN
 * left out when 0), then a count of dropped ones, on `out`. */
void cli_print_diags(FILE *out, const rota_diags *d);

/* Loads the instance at path for command cmd ("solve", ...): its
 * diagnostics (or, when there are none, what went wrong) on stderr.
 * Returns EXIT_ROTA_OK with *out (the caller frees it), else the exit code:
 * EXIT_ROTA_INTERNAL when out of memory, EXIT_ROTA_INPUT. */
int cli_load_instance(const char *cmd, const char *path, rota_instance **out);

/* Writes `len` bytes to `path` atomically: a temporary file in the same
 * directory, fsync, rename.  Returns 0, or -1 with errno set (the target
 * is then untouched).  path "-" writes to stdout. */
int cli_write_atomic(const char *path, const char *data, size_t len);

#endif
