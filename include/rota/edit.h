/* edit.h - changed copies of an instance, for what-if questions.
 *
 * `rota size` asks "what if the team had K social workers", the
 * infeasibility explainer "is it still infeasible without these visits, or
 * with this rule relaxed".  Both work on a deep copy that they change with
 * the functions below; the loaded instance stays read-only.  Every change
 * keeps the model's invariants: indices stay consistent (staff and visits
 * are renumbered where removed), tour segments are recomputed from
 * availability and blocked intervals.
 *
 * Ownership: rota_instance_clone() allocates a copy freed by
 * rota_instance_free(); the other functions change it in place.
 */
#ifndef ROTA_EDIT_H
#define ROTA_EDIT_H

#include "rota/diag.h"
#include "rota/instance.h"

/* A deep copy; NULL when out of memory. */
rota_instance *rota_instance_clone(const rota_instance *inst);

/* Keeps the visits with keep[v] != 0 (in order), renumbering the rest; a
 * joint visit whose partner goes becomes a plain visit.  Sites stay (a
 * site may be left without visits). */
rota_status rota_instance_keep_visits(rota_instance *inst,
                                      const unsigned char *keep);

/* Removes staff member k.  Refused (ROTA_EINPUT) when a pin names k; a
 * staff_allowed list loses k, a current.staff of k is forgotten. */
rota_status rota_instance_remove_staff(rota_instance *inst, int k);

/* Appends a copy of staff member `tmpl` (an index) under a new id and
 * name (copied); returns the new index, or -1 when out of memory. */
int rota_instance_add_staff(rota_instance *inst, int tmpl, const char *id,
                            const char *name);

/* Recomputes staff member k's tour segments (availability minus blocked
 * intervals) after its avail or blocked spans changed. */
rota_status rota_instance_reseg(rota_instance *inst, int k);

/* The instance as rota/1 YAML text with every default written out (the
 * travel matrix by its absolute path), such that loading it gives the same
 * model; malloc'd, NULL when out of memory. */
char *rota_instance_to_yaml(const rota_instance *inst);

/* Whether a pin or a staff_allowed list names staff member k. */
int rota_staff_referenced(const rota_instance *inst, int k);

#endif
