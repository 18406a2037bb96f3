/* pin.h - a roster's assignments written into the instance as pins or as
 * current assignments (`rota pin`), for freezing parts of a roster and
 * for re-planning with least change.
 *
 * The spec has pins and current assignments inside each visit (section 1:
 * `pin` is hard, `current` costs `continuity` and `slot_change` when not
 * kept) and no include mechanism, so the result is a whole instance
 * (rota_instance_to_yaml) or, for merging by hand, a `sites:` fragment
 * with only the visits touched.  Weeks are not part of either: a visit
 * every 2 weeks may change its phase.
 */
#ifndef ROTA_PIN_H
#define ROTA_PIN_H

#include "rota/diag.h"
#include "rota/instance.h"
#include "rota/roster.h"

enum { ROTA_PIN_STAFF = 1, ROTA_PIN_DAY = 2, ROTA_PIN_START = 4 };

typedef struct rota_pin_params {
    int as_current;             /* 0: pin (hard), 1: current (soft) */
    unsigned parts;             /* ROTA_PIN_* bits; default all three */
    const char *const *sites;   /* only visits at these sites; NULL: all */
    int n_sites;
    const char *const *staff;   /* only visits of these staff; NULL: all */
    int n_staff;
    const char *const *without; /* staff members who leave the team */
    int n_without;
} rota_pin_params;

void rota_pin_params_init(rota_pin_params *p);

/* Writes r's assignments into inst (changed in place; r must be indexed
 * like inst) and removes the `without` staff.  A visit of a leaving staff
 * member gets no pin; as current it keeps its day and start (its staff
 * part is forgotten with the person).  Returns ROTA_OK, ROTA_EINPUT
 * (unknown ids, a leaving member a pin of the instance names: all said in
 * diags) or ROTA_ENOMEM.  *n_set receives the number of visits written. */
rota_status rota_pin_apply(rota_instance *inst, const rota_roster *r,
                           const rota_pin_params *p, int *n_set,
                           rota_diags *diags);

/* The `sites:` fragment of the visits rota_pin_apply would set (call it on
 * the instance before applying); malloc'd, NULL when out of memory. */
char *rota_pin_fragment(const rota_instance *inst, const rota_roster *r,
                        const rota_pin_params *p);

#endif
