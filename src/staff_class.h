/* staff_class.h - interchangeable staff members (internal).
 *
 * Two staff members are interchangeable when swapping them maps every
 * roster to a roster of the same feasibility and objective: same role,
 * office, hours and consult share (so capacity), max_sites, districts,
 * availability and blocked intervals on every day, and no visit tells
 * them apart (staff_allowed names both or neither, no pin or current
 * names either).  Column generation prices one member per class and
 * shares the result (cg.c).
 */
#ifndef ROTA_STAFF_CLASS_H
#define ROTA_STAFF_CLASS_H

#include "rota/instance.h"

/* rep[k] = the least index of k's class, for every staff member k.
 * rep has n_staff entries, owned by the caller.  Returns the number of
 * classes, -1 when out of memory. */
int rota_staff_classes(const rota_instance *inst, int *rep);

#endif
