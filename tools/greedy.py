#!/usr/bin/env python3
"""greedy.py - a plain greedy roster for an instance, with its figures.

Builds valid rosters to test `rota check` with (tests/check), independent of
rota's solver: visits in order of difficulty (pins, joint pairs, few
candidates first), each put where it adds least travel among the first
feasible start of every (staff member, phase, day).  Feasibility and every
figure come from refcheck.py (not from rota), so `rota check` on the result
compares two independent implementations.

usage: greedy.py INSTANCE.yaml [-o ROSTER.json]
"""
import json
import random
import sys

import refcheck as rc


class State:
    def __init__(self, I):
        self.I = I
        n = len(I.staff)
        self.sched = {}                     # (k, w, day) -> [(start, v)]
        self.dtravel = {}                   # (k, w, day) -> travel minutes
        self.load = [[0] * (I.W + 1) for _ in range(n)]
        self.sites = [set() for _ in range(n)]
        self.assign = {}


def may_take(I, k, v):
    s, x = I.staff[k], I.visits[v]
    if s["role"] != x["role"]:
        return False
    if x["allowed"] is not None and s["id"] not in x["allowed"]:
        return False
    if s["districts"] is not None and x["district"] is not None \
            and x["district"] not in s["districts"]:
        return False
    return x["pin"].get("staff", s["id"]) == s["id"]


def time_ok(I, k, v, day, start):
    x = I.visits[v]
    pin = x["pin"]
    if "day" in pin and pin["day"] != rc.DAYS[day]:
        return False
    if "start" in pin and rc.minutes(pin["start"]) != start:
        return False
    end = start + x["minutes"]
    return rc.inside(x["windows"].get(day, []), start, end) and \
        rc.inside(I.staff[k]["avail"].get(day, []), start, end)


def try_place(S, k, v, weeks, day, start):
    """Travel added by placing v, or None when infeasible."""
    I = S.I
    s = I.staff[k]
    site = I.visits[v]["site"]
    if s["max_sites"] is not None and site not in S.sites[k] and \
            len(S.sites[k]) + 1 > s["max_sites"]:
        return None
    added = 0
    for w in weeks:
        items = sorted(S.sched.get((k, w, day), []) + [(start, v)])
        broken = []
        tours = rc.walk_day(I, k, day, items, lambda r, m: broken.append(r))
        if broken:
            return None
        t = sum(l[4] for tour in tours for l in tour)
        delta = t - S.dtravel.get((k, w, day), 0)
        if S.load[k][w] + delta + I.visits[v]["minutes"] > s["cap"] + 1e-9:
            return None
        added += delta
    return added


def place(S, k, v, weeks, day, start):
    I = S.I
    for w in weeks:
        key = (k, w, day)
        items = sorted(S.sched.get(key, []) + [(start, v)])
        tours = rc.walk_day(I, k, day, items, lambda r, m: None)
        t = sum(l[4] for tour in tours for l in tour)
        S.load[k][w] += t - S.dtravel.get(key, 0) + I.visits[v]["minutes"]
        S.dtravel[key] = t
        S.sched[key] = items
    S.sites[k].add(I.visits[v]["site"])
    S.assign[v] = (k, day, start, set(weeks))


def unplace(S, v):
    """Takes visit v out of the state again."""
    I = S.I
    k, day, start, weeks = S.assign.pop(v)
    for w in weeks:
        key = (k, w, day)
        items = [it for it in S.sched[key] if it[1] != v]
        tours = rc.walk_day(I, k, day, items, lambda r, m: None) if items else []
        t = sum(l[4] for tour in tours for l in tour)
        S.load[k][w] += t - S.dtravel.get(key, 0) - I.visits[v]["minutes"]
        S.dtravel[key] = t
        S.sched[key] = items
    S.sites[k] = {I.visits[u]["site"] for u, a in S.assign.items() if a[0] == k}


def try_unit(S, unit):
    best = best_for(S, unit, True)
    if best is None:
        return False
    _, ks, weeks, day, start = best
    for k, v in ks:
        place(S, k, v, weeks, day, start)
    return True


def repair(S, unit):
    """Makes room for an unplaced unit by moving one placed unit (of the
    same staff members' role) elsewhere; True when both fit."""
    I = S.I
    roles = {I.visits[v]["role"] for v in unit}
    for other in S.units:
        if other[0] not in S.assign or I.visits[other[0]]["role"] not in roles:
            continue
        saved = {v: S.assign[v] for v in other}
        for v in other:
            unplace(S, v)
        if try_unit(S, unit):
            if try_unit(S, other):
                return True
            for v in unit:
                unplace(S, v)
        for v, (k, day, start, weeks) in saved.items():
            place(S, k, v, sorted(weeks), day, start)
    return False


def soft_cost(I, k, v, day, start):
    x = I.visits[v]
    cur, c = x["current"], 0
    if "staff" in cur and cur["staff"] != I.staff[k]["id"]:
        c += I.w["continuity"]
    if ("day" in cur and cur["day"] != rc.DAYS[day]) or \
            ("start" in cur and rc.minutes(cur["start"]) != start):
        c += I.w["slot_change"]
    if x["preferred"] is not None and not rc.inside(
            x["preferred"].get(day, []), start, start + x["minutes"]):
        c += I.w["preference"]
    return c


def best_for(S, unit, every_start=False):
    """The cheapest (cost, [(k, v)], weeks, day, start) for a unit (a visit
    or a joint pair) among the first feasible start of every staff member,
    phase and day (or every feasible start); None when there is none."""
    I = S.I
    v0 = unit[0]
    x = I.visits[v0]
    cands = [[k for k in range(len(I.staff)) if may_take(I, k, v)] for v in unit]
    best = None
    for p in range(1, x["every"] + 1):
        weeks = sorted(rc.phase_weeks(x["every"], p, I.W))
        for day in sorted(x["windows"]):
            for start in range(0, 24 * 60, I.slot):
                found = pick_staff(S, unit, cands, weeks, day, start)
                if found is None:
                    continue
                cost, ks = found
                if best is None or cost < best[0]:
                    best = (cost, ks, weeks, day, start)
                if not every_start:
                    break
    return best


def pick_staff(S, unit, cands, weeks, day, start):
    I = S.I
    total, ks = 0, []
    for v, cs in zip(unit, cands):
        choice = None
        for k in cs:
            if not time_ok(I, k, v, day, start):
                continue
            t = try_place(S, k, v, weeks, day, start)
            if t is None:
                continue
            util = sum(S.load[k][1:]) / I.W / I.staff[k]["cap"]
            c = t * I.w["travel"] / I.W + soft_cost(I, k, v, day, start) + \
                S.spread * util
            if choice is None or c < choice[0]:
                choice = (c, k)
        if choice is None:
            return None
        total += choice[0]
        ks.append((choice[1], v))
    return total, ks


def units(I):
    """Visits grouped into joint pairs, hardest first."""
    seen, out = set(), []
    for v, x in enumerate(I.visits):
        if v in seen:
            continue
        group = [v]
        for u, y in enumerate(I.visits):
            if u != v and y["site"] == x["site"] and \
                    (y["with"] == x["role"] or x["with"] == y["role"]):
                group.append(u)
        group.sort(key=lambda u: I.visits[u]["with"] is not None)
        seen.update(group)
        out.append(group)

    def hardness(g):
        x = I.visits[g[0]]
        ncand = min(sum(1 for k in range(len(I.staff)) if may_take(I, k, v)) for v in g)
        width = sum(b - a for spans in x["windows"].values() for a, b in spans)
        return (not x["pin"], ncand, -len(g), width, -x["minutes"])
    return sorted(out, key=hardness)


def build_once(I, spread, every_start, seed=None, repair_missing=True):
    S = State(I)
    S.spread = spread
    order = units(I)
    if seed is not None:
        rnd = random.Random(seed)
        # keep pinned units first; shuffle neighbours a little
        keyed = [(i + rnd.uniform(0, len(order) / 4), u) for i, u in enumerate(order)]
        order = [u for _, u in sorted(keyed, key=lambda t: t[0])]
    S.units = order
    missing = []
    for unit in order:
        best = best_for(S, unit, every_start)
        if best is None:
            missing.append(unit)
            continue
        _, ks, weeks, day, start = best
        for k, v in ks:
            place(S, k, v, weeks, day, start)
    for unit in missing if repair_missing else []:
        repair(S, unit)
    return S.assign


def build(I):
    """Tries a few variants until one covers every visit; else the one
    that covers most."""
    if I.soft:      # leaving visits uncovered is allowed: no retries
        return build_once(I, 50, False, repair_missing=False)
    best = None
    for every_start in (False, True):
        for spread in (50, 0, 200):
            assign = build_once(I, spread, every_start)
            if best is None or len(assign) > len(best):
                best = assign
            if len(best) == len(I.visits):
                return best
    for seed in range(40 if len(I.visits) <= 200 else 0):
        assign = build_once(I, 0, False, seed)
        if len(assign) > len(best):
            best = assign
        if len(best) == len(I.visits):
            break
    return best


def roster_doc(I, assign):
    """The roster JSON of spec section 4, figures from refcheck."""
    viol = []
    terms, obj, figs, tours = rc.evaluate(I, assign, {}, lambda r, m: viol.append(r))
    doc = {"format": "rota-roster/1", "instance": I.name,
           "status": "feasible", "objective": obj, "bound": None, "gap": None,
           "solve_seconds": 0.0, "terms": terms, "visits": [], "uncovered": [],
           "staff": []}
    for v, x in enumerate(I.visits):
        if v not in assign:
            doc["uncovered"].append({"site": x["site"], "role": x["role"]})
            continue
        k, day, start, weeks = assign[v]
        doc["visits"].append({"site": x["site"], "role": x["role"],
                              "staff": I.staff[k]["id"], "day": rc.DAYS[day],
                              "start": rc.hhmm(start),
                              "end": rc.hhmm(start + x["minutes"]),
                              "weeks": sorted(weeks)})
    for k, s in enumerate(I.staff):
        f = figs[k]
        doc["staff"].append({
            "id": s["id"], "visit_minutes": f["visit_minutes"],
            "travel_minutes": f["travel_minutes"],
            "capacity_minutes": f["capacity_minutes"],
            "utilisation": f["utilisation"],
            "tours": [{"week": w, "day": rc.DAYS[d],
                       "legs": [{"from": a, "to": b, "depart": rc.hhmm(dp),
                                 "arrive": rc.hhmm(ar), "minutes": m}
                                for a, b, dp, ar, m in legs]}
                      for w, d, legs in tours[k]]})
    return doc, sorted(set(viol))


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) > 1 else 2
    I = rc.load_instance(argv[1])
    doc, broken = roster_doc(I, build(I))
    text = json.dumps(doc, indent=1) + "\n"
    if "-o" in argv:
        with open(argv[argv.index("-o") + 1], "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    if broken:
        print("greedy: the roster breaks rules %s" % broken, file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
