/* tour_bound.h - a lower bound of hard coverage's travel from tours that
 * start and end at an office (internal, used by presolve.c).
 */
#ifndef ROTA_TOUR_BOUND_H
#define ROTA_TOUR_BOUND_H

#include "rota/instance.h"

/* A lower bound of the leg minutes over the whole cycle of any roster
 * that covers every visit; in[v] and out[v] are the shortest legs into
 * and out of visit v from where a tour through it can come from or go to
 * (presolve.c).  Returns -1 when out of memory or when some visit has
 * nobody who may take it (no bound then). */
double rota_tour_travel_bound(const rota_instance *inst, const int *in,
                              const int *out);

#endif
