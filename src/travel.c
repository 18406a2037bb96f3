/* travel.c - the travel estimate of spec section 2. */
#include <math.h>
#include <stdlib.h>

#include "rota/travel.h"

double rota_haversine_km(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = M_PI / 180.0;
    double dlat = (lat2 - lat1) * rad;
    double dlon = (lon2 - lon1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    if (a > 1.0)
        a = 1.0;
    return 2.0 * ROTA_EARTH_RADIUS_KM * atan2(sqrt(a), sqrt(1.0 - a));
}

/* ceil(60 d detour / speed - 1e-9): the 1e-9 keeps an exact integer (a
 * matrix-like estimate of, say, 12.000000000001 minutes) from rounding up. */
int rota_travel_estimate(double km, double detour_factor, double speed_kmh)
{
    double m = ceil(60.0 * km * detour_factor / speed_kmh - 1e-9);
    return m < 0 ? 0 : (int)m;
}

int rota_shortest_minutes(const rota_instance *inst, int src, int forward,
                          int buffer, double *dist)
{
    int n = inst->n_places;
    unsigned char *done = calloc((size_t)n + 1, 1);
    if (!done)
        return -1;
    for (int i = 0; i < n; i++)
        dist[i] = INFINITY;
    dist[src] = 0;
    for (int it = 0; it < n; it++) {
        int u = -1;
        for (int i = 0; i < n; i++)
            if (!done[i] && (u < 0 || dist[i] < dist[u]))
                u = i;
        if (u < 0 || isinf(dist[u]))
            break;
        done[u] = 1;
        for (int i = 0; i < n; i++) {
            if (done[i])
                continue;
            int t = forward ? inst->travel[u * n + i] : inst->travel[i * n + u];
            if (dist[u] + t + buffer < dist[i])
                dist[i] = dist[u] + t + buffer;
        }
    }
    free(done);
    return 0;
}
