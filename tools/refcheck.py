#!/usr/bin/env python3
"""refcheck.py - an independent referee for rota rosters.

Implements spec/format.md sections 1 (the parts needed), 2 (every rule) and
3 (the objective) from the text of the spec, in Python, without looking at
rota's C evaluator, and compares the figures a roster states (section 4)
with its own.  `rota check` and this script must agree; tests/check runs
both over corrupted rosters.

usage: refcheck.py INSTANCE.yaml ROSTER.json [--json]

Exit status as `rota check`: 0 feasible and every figure right, 3 a rule
broken or a figure wrong, 2 malformed roster.

Conventions shared with `rota check` (docs/roster-json.md): rule 0 is
coverage (a visit uncovered under hard coverage, listed twice, listed in
both lists or in neither); a week outside the cycle or listed twice is
rule 2.  Also usable as a module: load_instance(), judge().
"""
import csv
import json
import math
import os
import sys

import yaml

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
TOL = 1e-6
RULE_NAMES = {0: "coverage", 1: "role", 2: "fixed slot", 3: "time",
              4: "joint visit", 5: "tours", 6: "day limits",
              7: "week capacity", 8: "sites"}
STATUSES = ("optimal", "feasible", "infeasible", "no_solution", "error")
TERMS = ("travel", "continuity", "slot_change", "preference", "balance",
         "uncovered")


class Malformed(Exception):
    """The roster cannot be read as a roster of the instance."""


# ---- the instance (spec section 1) ---------------------------------------

def minutes(s):
    """"HH:MM" -> minutes after 00:00; None when malformed."""
    if not isinstance(s, str) or len(s) != 5 or s[2] != ":":
        return None
    h, m = s[:2], s[3:]
    if not (h.isdigit() and m.isdigit()):
        return None
    h, m = int(h), int(m)
    if m > 59 or h > 24 or (h == 24 and m):
        return None
    return h * 60 + m


def hhmm(t):
    return "%02d:%02d" % (t // 60, t % 60)


def windows(x):
    """"HH:MM-HH:MM" or a list of them -> sorted [(start, end)]."""
    if isinstance(x, str):
        x = [x]
    out = []
    for w in x:
        a, b = w.split("-")
        out.append((minutes(a), minutes(b)))
    return sorted(out)


def daymap(x, default):
    """{day: windows} -> {day index: [(start, end)]}; default when None."""
    if x is None:
        return dict(default)
    return {DAYS.index(d): windows(w) for d, w in x.items()}


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


class Instance:
    pass


def load_instance(path):
    with open(path, encoding="utf-8") as f:
        y = yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    I = Instance()
    I.path = path
    I.name = y["name"]
    wk = y.get("week") or {}
    I.days = [DAYS.index(d) for d in wk.get("days", DAYS[:5])]
    I.day_start = minutes(wk.get("start", "08:00"))
    I.day_end = minutes(wk.get("end", "16:00"))
    I.slot = wk.get("slot_minutes", 15)
    I.W = wk.get("cycle_weeks", 1)
    week_default = {d: [(I.day_start, I.day_end)] for d in I.days}
    tr = y.get("travel") or {}
    I.speed = tr.get("speed_kmh", 35)
    I.detour = tr.get("detour_factor", 1.3)
    I.buffer = tr.get("buffer_minutes", 5)
    ru = y.get("rules") or {}
    I.share = ru.get("consult_share", 0.6)
    I.max_visits = ru.get("max_visits_per_day", 4)
    I.max_travel = ru.get("max_travel_per_day", 120)
    I.blocked = [(DAYS.index(b["day"]), minutes(b["from"]), minutes(b["to"]))
                 for b in ru.get("blocked", []) or []]
    I.soft = ru.get("coverage", "hard") == "soft"
    ob = y.get("objective") or {}
    I.w = {"travel": ob.get("travel", 1), "continuity": ob.get("continuity", 60),
           "slot_change": ob.get("slot_change", 20),
           "preference": ob.get("preference", 10),
           "balance": ob.get("balance", 2), "uncovered": ob.get("uncovered", 1000)}
    I.loc = {}
    I.offices = [o["id"] for o in y["offices"]]
    for o in y["offices"]:
        if "location" in o:
            I.loc[o["id"]] = (o["location"]["lat"], o["location"]["lon"])
    load_staff(I, y["staff"], week_default)
    load_sites(I, y["sites"], week_default)
    I.matrix = {}
    if tr.get("matrix"):
        load_matrix(I, os.path.join(os.path.dirname(path), tr["matrix"]))
    return I


def load_staff(I, items, week_default):
    I.staff = []
    for s in items:
        k = {"id": s["id"], "role": s["role"], "hours": s["hours"],
             "office": s["office"],
             "share": s.get("consult_share", I.share),
             "avail": daymap(s.get("days"), week_default),
             "max_sites": s.get("max_sites"),
             "districts": s.get("districts")}
        own = [(DAYS.index(b["day"]), minutes(b["from"]), minutes(b["to"]))
               for b in s.get("blocked", []) or []]
        k["blocked"] = I.blocked + own
        k["cap"] = k["hours"] * 60 * k["share"]
        I.staff.append(k)
    I.staff_index = {k["id"]: i for i, k in enumerate(I.staff)}


def load_sites(I, items, week_default):
    I.sites, I.visits = [], []
    for s in items:
        site = {"id": s["id"], "district": s.get("district"),
                "need": s.get("need", 1)}
        if "location" in s:
            I.loc[s["id"]] = (s["location"]["lat"], s["location"]["lon"])
        I.sites.append(site)
        for v in s["visits"]:
            I.visits.append({
                "site": s["id"], "role": v["role"], "minutes": v["minutes"],
                "every": v.get("every_weeks", 1),
                "windows": daymap(v.get("windows"), week_default),
                "preferred": daymap(v["preferred"], {}) if "preferred" in v else None,
                "current": v.get("current") or {}, "pin": v.get("pin") or {},
                "allowed": v.get("staff_allowed"), "with": v.get("with"),
                "need": site["need"], "district": site["district"]})
    I.site_index = {s["id"]: i for i, s in enumerate(I.sites)}
    I.visit_index = {(v["site"], v["role"]): i for i, v in enumerate(I.visits)}
    I.roles = {v["role"] for v in I.visits} | {k["role"] for k in I.staff}


def load_matrix(I, path):
    given = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            given[(row["from"], row["to"])] = int(row["minutes"])
    for (a, b), m in given.items():
        I.matrix[(a, b)] = m
        if (b, a) not in given:
            I.matrix[(b, a)] = m


def travel(I, a, b):
    """travel(a, b) of spec section 2, without the buffer."""
    if (a, b) in I.matrix:
        return I.matrix[(a, b)]
    (la1, lo1), (la2, lo2) = I.loc[a], I.loc[b]
    d = haversine_km(la1, lo1, la2, lo2)
    return max(0, math.ceil(60.0 * d * I.detour / I.speed - 1e-9))


def leg(I, a, b):
    return 0 if a == b else travel(I, a, b) + I.buffer


def phase_weeks(e, p, W):
    return set(range(p, W + 1, e))


def inside(spans, a, b):
    return any(s <= a and b <= e for s, e in spans)


def segments(I, k, day):
    """Availability windows minus blocked intervals: the tours' spans."""
    segs = list(I.staff[k]["avail"].get(day, []))
    for d, a, b in I.staff[k]["blocked"]:
        if d != day:
            continue
        out = []
        for s, e in segs:
            if b <= s or e <= a:
                out.append((s, e))
                continue
            if s < a:
                out.append((s, a))
            if b < e:
                out.append((b, e))
        segs = out
    return sorted(segs)


# ---- reading a roster ----------------------------------------------------

def need(cond, msg):
    if not cond:
        raise Malformed(msg)


def read_roster(I, doc):
    """-> (assign {visit: (staff, day, start, weeks set)}, stated, findings)
    where findings are (rule, message) found while reading."""
    need(isinstance(doc, dict), "not an object")
    need(doc.get("format") == "rota-roster/1", "format")
    need(isinstance(doc.get("instance"), str), "instance")
    need(doc.get("status") in STATUSES, "status")
    for key in ("objective", "bound", "gap"):
        need(key in doc and (doc[key] is None or is_num(doc[key])), key)
    need(is_num(doc.get("solve_seconds")), "solve_seconds")
    need("terms" in doc, "terms")
    for key in ("visits", "uncovered", "staff"):
        need(isinstance(doc.get(key), list), key)
    found, assign, listed, unc = [], {}, {}, {}
    for i, x in enumerate(doc["visits"]):
        v = read_visit_ref(I, x)
        need(isinstance(x.get("staff"), str) and x["staff"] in I.staff_index, "staff")
        need(x.get("day") in DAYS, "day")
        # end is null when the visit would end after 24:00
        start, end = minutes(x.get("start")), minutes(x.get("end"))
        need(start is not None and (end is not None or x.get("end", 0) is None), "time")
        need(isinstance(x.get("weeks"), list), "weeks")
        weeks = set()
        for w in x["weeks"]:
            need(isinstance(w, int) and not isinstance(w, bool), "week")
            if not 1 <= w <= I.W:
                found.append((2, "week %d outside the cycle" % w))
            elif w in weeks:
                found.append((2, "week %d twice" % w))
            else:
                weeks.add(w)
        if v in assign:
            found.append((0, "visit %s/%s listed twice" % I_label(I, v)))
            continue
        assign[v] = (I.staff_index[x["staff"]], DAYS.index(x["day"]), start, weeks)
        listed[v] = (i, end)
    for i, x in enumerate(doc["uncovered"]):
        v = read_visit_ref(I, x)
        if "need" in x:
            need(x["need"] is None or is_num(x["need"]), "need")
        if v in unc:
            found.append((0, "visit %s/%s listed twice in uncovered" % I_label(I, v)))
            continue
        unc[v] = x
    for v in range(len(I.visits)):
        if v in assign and v in unc:
            found.append((0, "visit %s/%s in both lists" % I_label(I, v)))
        if v not in assign and v not in unc:
            found.append((0, "visit %s/%s listed nowhere" % I_label(I, v)))
    staff = read_staff(I, doc["staff"])
    return assign, listed, unc, staff, found


def is_num(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def I_label(I, v):
    return (I.visits[v]["site"], I.visits[v]["role"])


def read_visit_ref(I, x):
    need(isinstance(x, dict), "entry")
    site, role = x.get("site"), x.get("role")
    need(isinstance(site, str) and site in I.site_index, "site")
    need(isinstance(role, str) and role in I.roles, "role")
    need((site, role) in I.visit_index, "no such visit")
    return I.visit_index[(site, role)]


def read_staff(I, items):
    out = {}
    for x in items:
        need(isinstance(x, dict), "staff entry")
        need(x.get("id") in I.staff_index, "staff id")
        for key in ("visit_minutes", "travel_minutes", "capacity_minutes",
                    "utilisation"):
            need(key in x and (x[key] is None or is_num(x[key])), key)
        need(isinstance(x.get("tours"), list), "tours")
        for t in x["tours"]:
            need(isinstance(t, dict) and isinstance(t.get("week"), int), "tour")
            need(t.get("day") in DAYS and isinstance(t.get("legs"), list), "tour")
            for l in t["legs"]:
                need(isinstance(l, dict) and isinstance(l.get("from"), str)
                     and isinstance(l.get("to"), str)
                     and isinstance(l.get("minutes"), int), "leg")
                for key in ("depart", "arrive"):
                    need(l.get(key) is None or minutes(l.get(key)) is not None, key)
        k = I.staff_index[x["id"]]
        out.setdefault(k, []).append(x)
    return out


# ---- the rules (spec section 2) ------------------------------------------

def check_assignment(I, v, a, bad):
    k, day, start, weeks = a
    x, s = I.visits[v], I.staff[k]
    end = start + x["minutes"]
    if s["role"] != x["role"]:
        bad(1, "role")
    if x["allowed"] is not None and s["id"] not in x["allowed"]:
        bad(1, "staff_allowed")
    if s["districts"] is not None and x["district"] is not None \
            and x["district"] not in s["districts"]:
        bad(1, "districts")
    pin = x["pin"]
    if ("staff" in pin and pin["staff"] != s["id"]) or \
            ("day" in pin and pin["day"] != DAYS[day]) or \
            ("start" in pin and minutes(pin["start"]) != start):
        bad(1, "pin")
    e = x["every"]
    if not any(weeks == phase_weeks(e, p, I.W) for p in range(1, e + 1)):
        bad(2, "weeks")
    if start % I.slot != 0:
        bad(3, "slot")
    if not inside(x["windows"].get(day, []), start, end):
        bad(3, "window")
    if not inside(s["avail"].get(day, []), start, end):
        bad(3, "availability")


def check_joint(I, assign, bad):
    for v, x in enumerate(I.visits):
        if x["with"] is None:
            continue
        u = I.visit_index.get((x["site"], x["with"]))
        if u is None:
            continue
        if (v in assign) != (u in assign):
            bad(4, "joint half covered")
        elif v in assign:
            a, b = assign[v], assign[u]
            if a[1:] != b[1:]:
                bad(4, "joint differs")


def walk_day(I, k, day, items, bad):
    """items: [(start, visit)] sorted.  Returns the tours, each a list of
    legs (from, to, depart, arrive, minutes); reports rules 5 and 6."""
    s = I.staff[k]
    office = s["office"]
    segs = segments(I, k, day)
    groups = {}
    for start, v in items:
        g = next((i for i, (a, b) in enumerate(segs) if b > start), len(segs))
        groups.setdefault(g, []).append((start, v))
    tours = []
    for g in sorted(groups):
        lo, hi = segs[g] if g < len(segs) else (None, None)
        place, prev_end, legs = office, None, []
        for start, v in groups[g]:
            end = start + I.visits[v]["minutes"]
            to = I.visits[v]["site"]
            m = leg(I, place, to)
            # a visit outside every availability window is rule 3's; one
            # inside a window but not inside a span overlaps a blocked interval
            if (lo is None or start < lo or end > hi) and \
                    inside(s["avail"].get(day, []), start, end):
                bad(5, "visit overlaps a blocked interval")
            if prev_end is None:
                if lo is not None and start - m < lo:
                    bad(5, "early departure")
            elif start - m < prev_end:
                bad(5, "overlap")
            legs.append((place, to, start - m, start, m))
            place, prev_end = to, end
        m = leg(I, place, office)
        if hi is not None and prev_end + m > hi:
            bad(5, "late return")
        legs.append((place, office, prev_end, prev_end + m, m))
        tours.append(legs)
    if len(items) > I.max_visits:
        bad(6, "too many visits")
    if sum(l[4] for t in tours for l in t) > I.max_travel:
        bad(6, "too much travel")
    return tours


def evaluate(I, assign, unc, bad):
    """Rules and figures: -> (terms, objective, per staff figures, tours)."""
    for v, a in assign.items():
        check_assignment(I, v, a, bad)
    # a visit that occurs in no week is not covered (after its rule 2)
    assign = {v: a for v, a in assign.items() if a[3]}
    if not I.soft:
        for v in range(len(I.visits)):
            if v not in assign:
                bad(0, "uncovered under hard coverage")
    check_joint(I, assign, bad)
    days = {}
    for v, (k, day, start, weeks) in assign.items():
        for w in weeks:
            days.setdefault((k, w, day), []).append((start, v))
    n = len(I.staff)
    vis = [[0] * (I.W + 1) for _ in range(n)]
    trav = [[0] * (I.W + 1) for _ in range(n)]
    tours = {k: [] for k in range(n)}
    for (k, w, day) in sorted(days):
        items = sorted(days[(k, w, day)])
        for t in walk_day(I, k, day, items, bad):
            tours[k].append((w, day, t))
            trav[k][w] += sum(l[4] for l in t)
        vis[k][w] += sum(I.visits[v]["minutes"] for _, v in items)
    figs = []
    for k, s in enumerate(I.staff):
        for w in range(1, I.W + 1):
            if vis[k][w] + trav[k][w] > s["cap"] + 1e-9:
                bad(7, "week capacity")
        sites = {I.visits[v]["site"] for v, a in assign.items() if a[0] == k}
        if s["max_sites"] is not None and len(sites) > s["max_sites"]:
            bad(8, "max_sites")
        tv, tt = sum(vis[k][1:]), sum(trav[k][1:])
        figs.append({"visit_minutes": tv / I.W, "travel_minutes": tt / I.W,
                     "capacity_minutes": s["cap"],
                     "utilisation": (tv + tt) / I.W / s["cap"],
                     "sites": len(sites),
                     "visits": sum(1 for a in assign.values() if a[0] == k)})
    terms = objective_terms(I, assign, figs, tours)
    return terms, sum(terms[t] for t in TERMS), figs, tours


def objective_terms(I, assign, figs, tours):
    legs = sum(l[4] for k in tours for _, _, t in tours[k] for l in t)
    cont = slot = pref = 0
    for v, (k, day, start, weeks) in assign.items():
        x = I.visits[v]
        cur = x["current"]
        if "staff" in cur and cur["staff"] != I.staff[k]["id"]:
            cont += 1
        if ("day" in cur and cur["day"] != DAYS[day]) or \
                ("start" in cur and minutes(cur["start"]) != start):
            slot += 1
        if x["preferred"] is not None and not inside(
                x["preferred"].get(day, []), start, start + x["minutes"]):
            pref += 1
    need_sum = sum(I.visits[v]["need"] for v in range(len(I.visits))
                   if v not in assign)
    u = [f["utilisation"] for f in figs]
    return {"travel": I.w["travel"] * legs / I.W,
            "continuity": I.w["continuity"] * cont,
            "slot_change": I.w["slot_change"] * slot,
            "preference": I.w["preference"] * pref,
            "balance": I.w["balance"] * 100 * (max(u) - min(u)) if u else 0,
            "uncovered": I.w["uncovered"] * need_sum}


# ---- the figures (spec sections 3-4) -------------------------------------

def differ(stated, computed):
    if stated is None or computed is None or not math.isfinite(computed):
        return (stated is None) != (computed is None or not math.isfinite(computed))
    return abs(stated - computed) > TOL


def compare(I, doc, listed, unc, stated_staff, terms, obj, figs, tours, assign):
    """-> list of mismatch messages."""
    out = []
    if doc["instance"] != I.name:
        out.append("instance")
    if doc["status"] not in ("optimal", "feasible"):
        out.append("status")
    if differ(doc["objective"], obj):
        out.append("objective %r vs %r" % (doc["objective"], obj))
    t = doc["terms"]
    for name in TERMS:
        if not isinstance(t, dict) or not is_num(t.get(name)) or differ(t[name], terms[name]):
            out.append("terms.%s" % name)
    if doc["bound"] is None:
        if doc["gap"] is not None:
            out.append("gap without bound")
    else:
        if doc["bound"] > obj + TOL * max(1, abs(obj)):
            out.append("bound above objective")
        o = doc["objective"] if doc["objective"] is not None else obj
        if differ(doc["gap"], (o - doc["bound"]) / max(1, abs(o))):
            out.append("gap")
    if doc["solve_seconds"] < 0:
        out.append("solve_seconds")
    for v, (i, end) in listed.items():
        e = assign[v][2] + I.visits[v]["minutes"]
        if end != (e if e <= 1440 else None):
            out.append("visits[%d].end" % i)
    for v, x in unc.items():
        if "need" in x and differ(x["need"], I.visits[v]["need"]):
            out.append("need")
    for k, f in enumerate(figs):
        entries = stated_staff.get(k, [])
        if len(entries) != 1:
            out.append("staff %s listed %d times" % (I.staff[k]["id"], len(entries)))
        if not entries:
            continue
        x = entries[0]
        for key in ("visit_minutes", "travel_minutes", "capacity_minutes", "utilisation"):
            if differ(x[key], f[key]):
                out.append("staff %s %s" % (I.staff[k]["id"], key))
        for key in ("sites", "visits"):
            if key in x and x[key] != f[key]:
                out.append("staff %s %s" % (I.staff[k]["id"], key))
        out += compare_tours(I, k, x["tours"], tours[k])
    return out


def compare_tours(I, k, stated, computed):
    out = []
    if len(stated) != len(computed):
        out.append("staff %s: %d tours vs %d" % (I.staff[k]["id"], len(stated), len(computed)))
    for st, (w, day, legs) in zip(stated, computed):
        mine = [(a, b, hhmm(d) if 0 <= d <= 1440 else None,
                 hhmm(r) if 0 <= r <= 1440 else None, m)
                for a, b, d, r, m in legs]
        theirs = [(l["from"], l["to"], l["depart"], l["arrive"], l["minutes"])
                  for l in st["legs"]]
        if st["week"] != w or st["day"] != DAYS[day] or mine != theirs:
            out.append("staff %s tour week %d %s" % (I.staff[k]["id"], w, DAYS[day]))
    return out


# ---- the verdict ---------------------------------------------------------

def judge(I, doc):
    """-> verdict dict: verdict, feasible, figures_match, rules, objective,
    terms, violations, mismatches."""
    try:
        assign, listed, unc, stated_staff, found = read_roster(I, doc)
    except (Malformed, KeyError, TypeError, AttributeError) as e:
        return {"verdict": "malformed", "message": str(e)}
    if doc["status"] not in ("optimal", "feasible") and not doc["visits"] \
            and doc["objective"] is None:
        return {"verdict": "no_roster", "feasible": False, "figures_match": False,
                "rules": [], "objective": None}
    viol = [{"rule": r, "message": m} for r, m in found]
    terms, obj, figs, tours = evaluate(
        I, assign, unc, lambda r, m: viol.append({"rule": r, "message": m}))
    mism = compare(I, doc, listed, unc, stated_staff, terms, obj, figs, tours, assign)
    feasible = not viol
    ok = feasible and not mism
    return {"verdict": "ok" if ok else "infeasible" if viol else "figures",
            "feasible": feasible, "figures_match": not mism,
            "rules": sorted({x["rule"] for x in viol}),
            "objective": obj, "terms": terms, "violations": viol,
            "mismatches": mism}


def main(argv):
    if len(argv) < 3 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) > 1 else 2
    I = load_instance(argv[1])
    try:
        with open(argv[2], encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        print("%s: %s" % (argv[2], e), file=sys.stderr)
        return 2
    v = judge(I, doc)
    if "--json" in argv:
        print(json.dumps(v, indent=1))
    else:
        for x in v.get("violations", []):
            print("rule %d (%s): %s" % (x["rule"], RULE_NAMES[x["rule"]], x["message"]))
        for m in v.get("mismatches", []):
            print("figure: %s" % m)
        print(v["verdict"], "objective", v.get("objective"))
    return {"ok": 0, "malformed": 2}.get(v["verdict"], 3)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
