/* diag.h - status codes and positioned diagnostics.
 *
 * The library never prints. Every function that can fail on input returns a
 * rota_status and appends what it found to a rota_diags list; the caller
 * decides how to show them (the CLI prints FILE:LINE:COLUMN: message).
 * Lines and columns are 1-based; 0 means "no position" (a whole-file error).
 */
#ifndef ROTA_DIAG_H
#define ROTA_DIAG_H

#include <stddef.h>

typedef enum rota_status {
    ROTA_OK = 0,
    ROTA_EINPUT,     /* the input is malformed; diagnostics say where */
    ROTA_ENOMEM,     /* out of memory */
    ROTA_EIO,        /* a file could not be read or written */
    ROTA_EINTERNAL,  /* a bug, or a library (GLPK) failed unexpectedly */
} rota_status;

const char *rota_status_str(rota_status st);

typedef struct rota_diag {
    char *file;   /* owned; may be NULL */
    int line;     /* 1-based, 0 = none */
    int col;      /* 1-based, 0 = none */
    char *msg;    /* owned */
} rota_diag;

typedef struct rota_diags {
    rota_diag *items;
    size_t n, cap;
    size_t limit;   /* stop recording after this many (0 = 1000); n_dropped counts the rest */
    size_t n_dropped;
} rota_diags;

/* Zero-initialise with rota_diags_init (or `rota_diags d = {0};`). */
void rota_diags_init(rota_diags *d);
/* Appends one diagnostic; on allocation failure the message is counted in
 * n_dropped instead.  Never fails visibly. */
void rota_diags_add(rota_diags *d, const char *file, int line, int col,
                    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;
/* Sorts by (file, line, col) keeping insertion order for ties. */
void rota_diags_sort(rota_diags *d);
/* Frees every message; the struct is left empty and reusable. */
void rota_diags_free(rota_diags *d);

#endif
