/* travel.h - travel minutes between places (spec section 2).
 *
 * travel(a, b) is the matrix entry when given (either direction), otherwise
 * ceil(60 * d * detour_factor / speed_kmh - 1e-9) with d the haversine
 * distance in km on a sphere of radius 6371.0 km.  A leg between two
 * different places takes travel + buffer; a leg between the same place 0.
 */
#ifndef ROTA_TRAVEL_H
#define ROTA_TRAVEL_H

#include "rota/instance.h"

#define ROTA_EARTH_RADIUS_KM 6371.0

/* Great-circle distance in km between two points given in degrees. */
double rota_haversine_km(double lat1, double lon1, double lat2, double lon2);

/* The estimate of spec section 2 for a distance in km. */
int rota_travel_estimate(double km, double detour_factor, double speed_kmh);

/* Shortest-path minutes from place src to every place (forward = 1) or
 * from every place to src (forward = 0), each leg between different
 * places costing travel + buffer: a lower bound of any walk between them,
 * also when a matrix breaks the triangle inequality.  dist has n_places
 * entries (INFINITY: unreachable).  Dense Dijkstra, O(places^2).  Returns
 * 0, or -1 when out of memory. */
int rota_shortest_minutes(const rota_instance *inst, int src, int forward,
                          int buffer, double *dist);

/* Minutes of the leg from place a to place b, buffer included; 0 if a == b. */
static inline int rota_leg_minutes(const rota_instance *inst, int a, int b)
{
    if (a == b)
        return 0;
    return inst->travel[a * inst->n_places + b] + inst->buffer_minutes;
}

#endif
