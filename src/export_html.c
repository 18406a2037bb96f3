/* export_html.c - a roster as one self-contained HTML page (inline CSS,
 * SVG and a few lines of JavaScript; nothing is fetched from a network):
 * a header with the figures, bars of utilisation and travel per
 * counsellor, a map of the tours drawn from the coordinates (sites
 * coloured by counsellor, offices as squares, uncovered sites in red), a
 * week grid per counsellor and cycle week, and the uncovered visits.
 *
 * Elements carry data attributes for tests and scripts: every visit
 * occurrence is an element of class "visit" with data-visit="SITE/ROLE",
 * data-staff, data-week and data-day; map sites have data-site, offices
 * data-office, tours data-staff; uncovered rows data-uncovered. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_int.h"
#include "rota_config.h"

#define MAP_W 900
#define MAP_H 620
#define PX_PER_MIN 1.1

/* Text with & < > " ' escaped, for element content and attributes. */
static void esc(strbuf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': sb_puts(b, "&amp;"); break;
        case '<': sb_puts(b, "&lt;"); break;
        case '>': sb_puts(b, "&gt;"); break;
        case '"': sb_puts(b, "&quot;"); break;
        case '\'': sb_puts(b, "&#39;"); break;
        default: sb_put(b, s, 1);
        }
    }
}

/* Hues spread evenly over the staff, so neighbours in the list differ. */
static int hue(const export_ctx *c, int k)
{
    return (200 + k * 360 / (c->inst->n_staff > 0 ? c->inst->n_staff : 1)) % 360;
}

static const char css[] =
    "body{font:14px/1.35 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "margin:0 auto;max-width:1200px;padding:16px;color:#222}"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:24px 0 8px;"
    "border-bottom:1px solid #ccc}h3{font-size:15px;margin:16px 0 4px}"
    ".meta{color:#555;margin:2px 0}.warn{color:#b00;font-weight:bold}"
    "table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left}"
    ".bars td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".bar{background:#eee;width:260px;height:12px;position:relative}"
    ".bar span{position:absolute;left:0;top:0;bottom:0}"
    ".bar i{position:absolute;left:100%;top:-2px;bottom:-2px;border-left:2px solid #b00}"
    ".legend button{border:0;border-radius:3px;color:#fff;margin:2px;padding:2px 6px;"
    "cursor:pointer;font:inherit}.legend button.off{opacity:.3}"
    "svg.map{width:100%;height:auto;border:1px solid #ccc;background:#f8f8f4}"
    "svg.map path{fill:none;stroke-width:2;stroke-opacity:.7}"
    "svg.map .dim{opacity:.08}.site.uncovered{fill:#fff;stroke:#d00;stroke-width:3}"
    ".week{display:flex;gap:4px;margin:0 0 8px}.day{flex:1;min-width:0}"
    ".day>b{display:block;text-align:center;font-size:12px;color:#555}"
    ".col{position:relative;background:repeating-linear-gradient(#fff 0,#fff 65px,#eee 65px,#eee 66px);"
    "border:1px solid #ddd}"
    ".visit{position:absolute;left:2px;right:2px;border-radius:3px;color:#fff;"
    "font-size:11px;line-height:12px;overflow:hidden;padding:1px 3px;box-sizing:border-box}"
    ".leg{position:absolute;left:40%;width:4px;background:#999}"
    ".blocked{position:absolute;left:0;right:0;background:repeating-linear-gradient(45deg,#eee 0,#eee 4px,#ddd 4px,#ddd 8px)}"
    "tr.uncovered td{color:#b00}"
    "@media print{.legend{display:none}h2{break-after:avoid}.staff{break-inside:avoid}}";

/* Shows one counsellor's elements only (click again: everybody). */
static const char script[] =
    "document.querySelectorAll('.legend button').forEach(function(b){"
    "b.addEventListener('click',function(){"
    "var k=b.dataset.staff,on=b.classList.contains('solo');"
    "document.querySelectorAll('.legend button').forEach(function(x){"
    "x.classList.remove('solo');x.classList.toggle('off',!on&&x!==b)});"
    "if(!on)b.classList.add('solo');"
    "document.querySelectorAll('svg.map [data-staff]').forEach(function(e){"
    "e.classList.toggle('dim',!on&&e.dataset.staff!==k)})})});";

/* Whether staff k appears (grid, bar, tours) under the filters. */
static int staff_shown(const export_ctx *c, int k)
{
    if (c->staff >= 0)
        return k == c->staff;
    for (int v = 0; v < c->inst->n_visits; v++)
        if (c->r->a[v].staff == k && export_keep(c, v))
            return 1;
    return c->site < 0;
}

static void head(export_ctx *c)
{
    const rota_instance *inst = c->inst;
    const rota_terms *t = &c->e->terms;
    strbuf *b = &c->out;
    int y, m, d;
    export_civil_from_days(c->monday, &y, &m, &d);
    sb_puts(b, "<!DOCTYPE html>\n<html lang=\"da\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width\">"
               "<meta name=\"generator\" content=\"rota " ROTA_VERSION "\"><title>");
    esc(b, inst->name);
    sb_printf(b, " – rota</title><style>%s</style></head>\n<body>\n<header><h1>",
              css);
    esc(b, inst->name);
    sb_printf(b, "</h1><p class=\"meta\" id=\"figures\" data-objective=\"%.6f\">"
              "status %s · objective %.2f · travel %.2f · continuity %.0f · "
              "slot change %.0f · preference %.0f · balance %.2f · "
              "uncovered %.0f</p>", c->e->objective, rota_result_str(c->status),
              c->e->objective, t->travel, t->continuity, t->slot_change,
              t->preference, t->balance, t->uncovered);
    sb_printf(b, "<p class=\"meta\">%d visits covered, %d uncovered · a %d-week "
              "cycle from Monday %04d-%02d-%02d · times Europe/Copenhagen</p>",
              c->e->n_covered, c->e->n_uncovered, inst->cycle_weeks, y, m, d);
    if (c->n_violations)
        sb_printf(b, "<p class=\"warn\">This roster breaks %d rule%s "
                  "(<code>rota check</code> lists them).</p>",
                  c->n_violations, c->n_violations == 1 ? "" : "s");
    sb_puts(b, "</header>\n");
}

static void legend(export_ctx *c)
{
    strbuf *b = &c->out;
    sb_puts(b, "<div class=\"legend\">");
    for (int k = 0; k < c->inst->n_staff; k++) {
        if (!staff_shown(c, k))
            continue;
        sb_printf(b, "<button data-staff=\"");
        esc(b, c->inst->staff[k].id);
        sb_printf(b, "\" style=\"background:hsl(%d,60%%,42%%)\">", hue(c, k));
        esc(b, c->inst->staff[k].name);
        sb_puts(b, "</button>");
    }
    sb_puts(b, "</div>\n");
}

static void bars(export_ctx *c)
{
    const rota_instance *inst = c->inst;
    strbuf *b = &c->out;
    double tmax = 1;
    for (int k = 0; k < inst->n_staff; k++)
        tmax = fmax(tmax, c->e->staff[k].travel_minutes);
    sb_puts(b, "<section id=\"bars\"><h2>Utilisation and travel</h2>"
               "<table class=\"bars\"><tr><th>staff</th><th>utilisation "
               "(visits + travel of capacity)</th><th></th><th>travel per week"
               "</th><th></th><th>visits</th><th>sites</th></tr>\n");
    for (int k = 0; k < inst->n_staff; k++) {
        if (!staff_shown(c, k))
            continue;
        const rota_staff_figures *f = &c->e->staff[k];
        double u = isfinite(f->utilisation) ? f->utilisation : 0;
        sb_puts(b, "<tr data-staff=\"");
        esc(b, inst->staff[k].id);
        sb_puts(b, "\"><td>");
        esc(b, inst->staff[k].name);
        sb_printf(b, "</td><td><div class=\"bar\"><span class=\"util\" "
                  "style=\"width:%.1f%%;background:hsl(%d,60%%,42%%)\"></span>"
                  "%s</div></td><td class=\"n\">%.1f%%</td>",
                  fmin(100, 100 * u), hue(c, k), u > 1 ? "<i></i>" : "",
                  100 * u);
        sb_printf(b, "<td><div class=\"bar\"><span class=\"travel\" "
                  "style=\"width:%.1f%%;background:#888\"></span></div></td>"
                  "<td class=\"n\">%.0f min</td><td class=\"n\">%d</td>"
                  "<td class=\"n\">%d</td></tr>\n",
                  100 * f->travel_minutes / tmax, f->travel_minutes,
                  f->n_visits, f->n_sites);
    }
    sb_puts(b, "</table></section>\n");
}

/* ---- the map ---------------------------------------------------------- */

typedef struct proj {
    double lat0, lon0, kx, scale, ox, oy;
    int ok;
} proj;

static int place_loc(const rota_instance *inst, int place, double *lat,
                     double *lon)
{
    if (place < inst->n_offices) {
        *lat = inst->offices[place].lat;
        *lon = inst->offices[place].lon;
        return inst->offices[place].has_loc;
    }
    const rota_site *s = &inst->sites[place - inst->n_offices];
    *lat = s->lat;
    *lon = s->lon;
    return s->has_loc;
}

/* Why equirectangular with cos(latitude): over a municipality the error
 * is far below a pixel, and it needs no map data. */
static void proj_init(const export_ctx *c, proj *p)
{
    const rota_instance *inst = c->inst;
    double la0 = 1e9, la1 = -1e9, lo0 = 1e9, lo1 = -1e9, lat, lon;
    memset(p, 0, sizeof *p);
    for (int pl = 0; pl < inst->n_places; pl++) {
        if (!place_loc(inst, pl, &lat, &lon))
            continue;
        la0 = fmin(la0, lat), la1 = fmax(la1, lat);
        lo0 = fmin(lo0, lon), lo1 = fmax(lo1, lon);
        p->ok = 1;
    }
    if (!p->ok)
        return;
    p->kx = cos((la0 + la1) / 2 * M_PI / 180);
    double w = fmax((lo1 - lo0) * p->kx, 1e-6), h = fmax(la1 - la0, 1e-6);
    p->scale = fmin((MAP_W - 40) / w, (MAP_H - 40) / h);
    p->lat0 = la1;
    p->lon0 = lo0;
    p->ox = (MAP_W - w * p->scale) / 2;
    p->oy = (MAP_H - h * p->scale) / 2;
}

static void xy(const proj *p, double lat, double lon, double *x, double *y)
{
    *x = p->ox + (lon - p->lon0) * p->kx * p->scale;
    *y = p->oy + (p->lat0 - lat) * p->scale;
}

static void map_tours(export_ctx *c, const proj *p)
{
    const rota_instance *inst = c->inst;
    const rota_eval *e = c->e;
    strbuf *b = &c->out;
    double lat, lon, x, y;
    for (int t = 0; t < e->n_tours; t++) {
        const rota_tour *tr = &e->tours[t];
        if (!staff_shown(c, tr->staff) || tr->n_legs == 0 || c->site >= 0)
            continue;
        sb_puts(b, "<path data-staff=\"");
        esc(b, inst->staff[tr->staff].id);
        sb_printf(b, "\" data-week=\"%d\" data-day=\"%s\" stroke=\"hsl(%d,60%%,42%%)\" d=\"",
                  tr->week, rota_day_names[tr->day], hue(c, tr->staff));
        int pen = 0;
        for (int l = tr->first_leg; l < tr->first_leg + tr->n_legs; l++) {
            const rota_leg *g = &e->legs[l];
            int pts[2] = {g->from, g->to};
            for (int i = pen ? 1 : 0; i < 2; i++) {
                if (!place_loc(inst, pts[i], &lat, &lon)) {
                    pen = 0;
                    continue;
                }
                xy(p, lat, lon, &x, &y);
                sb_printf(b, "%s%.1f %.1f", pen ? " L" : "M", x, y);
                pen = 1;
            }
        }
        sb_puts(b, "\"/>\n");
    }
}

/* The staff member of the first kept visit at site s; -1 when none; -2
 * when a visit there that passes the filters is uncovered. */
static int site_staff(const export_ctx *c, int s)
{
    const rota_site *site = &c->inst->sites[s];
    int who = -1;
    for (int v = site->first_visit; v < site->first_visit + site->n_visits; v++) {
        if (export_keep(c, v) && who < 0)
            who = c->r->a[v].staff;
        else if (c->staff < 0 && export_match(c, v) &&
                 (c->r->a[v].staff < 0 || !c->r->a[v].weeks))
            return -2;
    }
    return who;
}

static void map_places(export_ctx *c, const proj *p)
{
    const rota_instance *inst = c->inst;
    strbuf *b = &c->out;
    double x, y;
    for (int s = 0; s < inst->n_sites; s++) {
        const rota_site *site = &inst->sites[s];
        int k = site_staff(c, s);
        if (!site->has_loc || k == -1)
            continue;
        xy(p, site->lat, site->lon, &x, &y);
        sb_puts(b, "<circle class=\"site");
        sb_puts(b, k == -2 ? " uncovered\"" : "\" data-staff=\"");
        if (k >= 0) {
            esc(b, inst->staff[k].id);
            sb_printf(b, "\" fill=\"hsl(%d,60%%,42%%)\"", hue(c, k));
        }
        sb_puts(b, " data-site=\"");
        esc(b, site->id);
        sb_printf(b, "\" cx=\"%.1f\" cy=\"%.1f\" r=\"%d\"><title>", x, y,
                  k == -2 ? 7 : 5);
        esc(b, site->name);
        sb_puts(b, k == -2 ? " (uncovered)" : "");
        sb_puts(b, "</title></circle>\n");
    }
    for (int o = 0; o < inst->n_offices; o++) {
        if (!inst->offices[o].has_loc)
            continue;
        xy(p, inst->offices[o].lat, inst->offices[o].lon, &x, &y);
        sb_puts(b, "<rect class=\"office\" data-office=\"");
        esc(b, inst->offices[o].id);
        sb_printf(b, "\" x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"14\" "
                  "fill=\"#111\" stroke=\"#fff\" stroke-width=\"2\"><title>",
                  x - 7, y - 7);
        esc(b, inst->offices[o].name);
        sb_puts(b, " (office)</title></rect>\n");
    }
}

static void map(export_ctx *c)
{
    proj p;
    strbuf *b = &c->out;
    proj_init(c, &p);
    sb_puts(b, "<section id=\"map\"><h2>Tours</h2>");
    legend(c);
    if (!p.ok) {
        sb_puts(b, "<p>No coordinates in the instance: no map.</p></section>\n");
        return;
    }
    int missing = 0;
    for (int s = 0; s < c->inst->n_sites; s++)
        missing += !c->inst->sites[s].has_loc;
    sb_printf(b, "<svg class=\"map\" viewBox=\"0 0 %d %d\" "
              "xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
              "aria-label=\"map of the tours\">\n", MAP_W, MAP_H);
    map_tours(c, &p);
    map_places(c, &p);
    sb_puts(b, "</svg>");
    sb_puts(b, "<p class=\"meta\">Squares: offices; circles: sites in the colour "
               "of their (first) counsellor; red rings: uncovered sites; lines: "
               "tours of every cycle week.  Click a name to show one counsellor.");
    if (missing)
        sb_printf(b, "  %d site%s without coordinates %s not on the map.",
                  missing, missing == 1 ? "" : "s", missing == 1 ? "is" : "are");
    sb_puts(b, "</p></section>\n");
}

/* ---- the week grids --------------------------------------------------- */

typedef struct span_px {
    int t0, t1;   /* minutes shown: [t0, t1] */
} span_px;

static span_px time_range(const export_ctx *c)
{
    const rota_instance *inst = c->inst;
    span_px s = {inst->day_start, inst->day_end};
    for (int k = 0; k < inst->n_staff; k++)
        for (int d = 0; d < ROTA_DAYS; d++)
            for (int i = 0; i < inst->staff[k].avail[d].n; i++) {
                s.t0 = s.t0 < inst->staff[k].avail[d].v[i].start ? s.t0
                       : inst->staff[k].avail[d].v[i].start;
                s.t1 = s.t1 > inst->staff[k].avail[d].v[i].end ? s.t1
                       : inst->staff[k].avail[d].v[i].end;
            }
    s.t0 -= s.t0 % 60;
    return s;
}

static void visit_el(export_ctx *c, int v, int w, span_px s)
{
    const rota_instance *inst = c->inst;
    const rota_visit *x = &inst->visits[v];
    const rota_assign *a = &c->r->a[v];
    strbuf *b = &c->out;
    char t0[6], t1[6];
    sb_puts(b, "<div class=\"visit\" data-visit=\"");
    esc(b, inst->sites[x->site].id);
    sb_puts(b, "/");
    esc(b, inst->roles[x->role]);
    sb_puts(b, "\" data-staff=\"");
    esc(b, inst->staff[a->staff].id);
    sb_printf(b, "\" data-week=\"%d\" data-day=\"%s\" data-start=\"%s\" "
              "style=\"top:%.0fpx;height:%.0fpx;background:hsl(%d,60%%,42%%)\" title=\"",
              w, rota_day_names[a->day], rota_fmt_time(a->start, t0),
              (a->start - s.t0) * PX_PER_MIN, x->minutes * PX_PER_MIN,
              hue(c, a->staff));
    esc(b, inst->sites[x->site].name);
    sb_printf(b, " · %s · %s-%s\"><b>%s</b> ", inst->roles[x->role], t0,
              rota_fmt_time(a->start + x->minutes, t1), t0);
    esc(b, inst->sites[x->site].name);
    sb_puts(b, "</div>");
}

static void day_col(export_ctx *c, int k, int w, int d, span_px s)
{
    const rota_instance *inst = c->inst;
    const rota_eval *e = c->e;
    strbuf *b = &c->out;
    sb_printf(b, "<div class=\"day\"><b>%s</b><div class=\"col\" style=\"height:%.0fpx\">",
              rota_day_names[d], (s.t1 - s.t0) * PX_PER_MIN);
    const rota_spans *bl = &inst->staff[k].blocked[d];
    for (int i = 0; i < bl->n; i++)
        sb_printf(b, "<div class=\"blocked\" style=\"top:%.0fpx;height:%.0fpx\"></div>",
                  (bl->v[i].start - s.t0) * PX_PER_MIN,
                  (bl->v[i].end - bl->v[i].start) * PX_PER_MIN);
    for (int t = 0; t < e->n_tours && c->site < 0; t++) {
        const rota_tour *tr = &e->tours[t];
        if (tr->staff != k || tr->week != w || tr->day != d)
            continue;
        for (int l = tr->first_leg; l < tr->first_leg + tr->n_legs; l++)
            if (e->legs[l].minutes > 0)
                sb_printf(b, "<div class=\"leg\" title=\"%d min\" style=\"top:%.0fpx;height:%.0fpx\"></div>",
                          e->legs[l].minutes,
                          (e->legs[l].depart - s.t0) * PX_PER_MIN,
                          (e->legs[l].arrive - e->legs[l].depart) * PX_PER_MIN);
    }
    for (int v = 0; v < inst->n_visits; v++) {
        const rota_assign *a = &c->r->a[v];
        if (a->staff == k && a->day == d && (a->weeks >> (w - 1) & 1) &&
            export_keep(c, v))
            visit_el(c, v, w, s);
    }
    sb_puts(b, "</div></div>");
}

static void grids(export_ctx *c)
{
    const rota_instance *inst = c->inst;
    strbuf *b = &c->out;
    span_px s = time_range(c);
    sb_puts(b, "<section id=\"grids\"><h2>Week grids</h2>\n");
    for (int k = 0; k < inst->n_staff; k++) {
        if (!staff_shown(c, k))
            continue;
        const rota_staff *st = &inst->staff[k];
        sb_puts(b, "<div class=\"staff\" data-staff=\"");
        esc(b, st->id);
        sb_puts(b, "\"><h3>");
        esc(b, st->name);
        sb_puts(b, " <small>(");
        esc(b, inst->roles[st->role]);
        sb_printf(b, ")</small></h3>\n");
        for (int w = 1; w <= inst->cycle_weeks; w++) {
            if (inst->cycle_weeks > 1)
                sb_printf(b, "<div class=\"meta\">week %d of %d</div>", w,
                          inst->cycle_weeks);
            sb_printf(b, "<div class=\"week\" data-week=\"%d\">", w);
            for (int d = 0; d < ROTA_DAYS; d++)
                if (inst->days_mask >> d & 1)
                    day_col(c, k, w, d, s);
            sb_puts(b, "</div>\n");
        }
        sb_puts(b, "</div>\n");
    }
    sb_puts(b, "</section>\n");
}

static void uncovered(export_ctx *c)
{
    const rota_instance *inst = c->inst;
    strbuf *b = &c->out;
    int n = 0;
    for (int v = 0; v < inst->n_visits; v++) {
        const rota_visit *x = &inst->visits[v];
        if ((c->r->a[v].staff >= 0 && c->r->a[v].weeks) || c->staff >= 0 ||
            !export_match(c, v))
            continue;
        if (n++ == 0)
            sb_puts(b, "<section id=\"uncovered\"><h2>Uncovered visits</h2>"
                       "<table><tr><th>site</th><th>role</th><th>minutes</th>"
                       "<th>need</th></tr>\n");
        sb_puts(b, "<tr class=\"uncovered\" data-uncovered=\"");
        esc(b, inst->sites[x->site].id);
        sb_puts(b, "/");
        esc(b, inst->roles[x->role]);
        sb_puts(b, "\"><td>");
        esc(b, inst->sites[x->site].name);
        sb_puts(b, "</td><td>");
        esc(b, inst->roles[x->role]);
        sb_printf(b, "</td><td>%d</td><td>%g</td></tr>\n", x->minutes,
                  inst->sites[x->site].need);
    }
    if (n)
        sb_puts(b, "</table></section>\n");
}

void export_html(export_ctx *c)
{
    head(c);
    bars(c);
    map(c);
    grids(c);
    uncovered(c);
    sb_printf(&c->out, "<script>%s</script>\n</body></html>\n", script);
}
