#!/usr/bin/env python3
"""corrupt.py - many broken copies of a valid roster, each labelled.

usage: corrupt.py INSTANCE.yaml ROSTER.json OUTDIR

Writes OUTDIR/NN-name.json for every corruption that applies to this
instance and roster, and OUTDIR/manifest.json: [{file, name, expect}] where
expect is the rule number (0-8) the corruption must break, "figure" when
only a stated figure is wrong, or "any" when the change may or may not
break a rule (only agreement between referees is asked).  Choices are
deterministic (the first suitable visit, staff member, tour).
"""
import copy
import json
import os
import random
import sys

import refcheck as rc


def visit_of(I, x):
    return I.visit_index[(x["site"], x["role"])]


def entries_of(doc, staff_id):
    return [i for i, x in enumerate(doc["visits"]) if x["staff"] == staff_id]


def set_start(I, x, start):
    v = visit_of(I, x)
    end = start + I.visits[v]["minutes"]
    x["start"] = rc.hhmm(start)
    x["end"] = rc.hhmm(end) if end <= 24 * 60 else None   # as rota writes it


# ---- rule corruptions ------------------------------------------------------

def wrong_day(I, doc):
    x = doc["visits"][0]
    v, k = visit_of(I, x), I.staff_index[x["staff"]]
    for d in range(7):
        if d not in I.visits[v]["windows"] or d not in I.staff[k]["avail"]:
            x["day"] = rc.DAYS[d]
            return 3
    return None


def shifted_start(I, doc):
    x = doc["visits"][0]
    set_start(I, x, rc.minutes(x["start"]) + 7)
    return 3


def after_midnight(I, doc):
    """A visit that would end after 24:00 ("end": null)."""
    set_start(I, doc["visits"][0], 23 * 60 + 45)
    return 3


def outside_window(I, doc):
    x = doc["visits"][-1]
    set_start(I, x, 5 * 60)
    return 3


def overlap(I, doc):
    """Two visits of one staff member in the same weeks at the same time."""
    for k in I.staff:
        idx = entries_of(doc, k["id"])
        for i in idx:
            for j in idx:
                a, b = doc["visits"][i], doc["visits"][j]
                if i != j and set(a["weeks"]) & set(b["weeks"]):
                    b["day"] = a["day"]
                    set_start(I, b, rc.minutes(a["start"]))
                    return 5
    return None


def other_staff(I, k, pred):
    for j, s in enumerate(I.staff):
        if j != k and pred(s):
            return s["id"]
    return None


def wrong_role(I, doc):
    for x in doc["visits"]:
        v, k = visit_of(I, x), I.staff_index[x["staff"]]
        vis = I.visits[v]
        sid = other_staff(I, k, lambda s: s["role"] != vis["role"])
        if sid is None and vis["allowed"] is not None:
            sid = other_staff(I, k, lambda s: s["id"] not in vis["allowed"])
        if sid is None and vis["district"] is not None:
            sid = other_staff(I, k, lambda s: s["districts"] is not None and
                              vis["district"] not in s["districts"])
        if sid is not None:
            x["staff"] = sid
            return 1
    return None


def pin_broken(I, doc):
    for x in doc["visits"]:
        v = visit_of(I, x)
        pin = I.visits[v]["pin"]
        if "start" in pin:
            set_start(I, x, rc.minutes(pin["start"]) + I.slot)
            return 1
        if "day" in pin:
            x["day"] = "sun" if pin["day"] != "sun" else "sat"
            return 1
    return None


def too_many_visits(I, doc):
    """max_visits_per_day + 1 visits of one staff member on one day."""
    for s in I.staff:
        groups = {}
        for i in entries_of(doc, s["id"]):
            groups.setdefault(tuple(doc["visits"][i]["weeks"]), []).append(i)
        for idx in groups.values():
            if len(idx) > I.max_visits:
                day = doc["visits"][idx[0]]["day"]
                for i in idx[:I.max_visits + 1]:
                    doc["visits"][i]["day"] = day
                return 6
    return None


def over_capacity(I, doc):
    """Every visit of one role to one staff member, when that overflows a
    week by the visit minutes alone."""
    k = I.staff[0]
    load = {}
    for x in doc["visits"]:
        if I.visits[visit_of(I, x)]["role"] == k["role"]:
            for w in x["weeks"]:
                load[w] = load.get(w, 0) + I.visits[visit_of(I, x)]["minutes"]
    if not load or max(load.values()) <= k["cap"]:
        return None
    for x in doc["visits"]:
        if I.visits[visit_of(I, x)]["role"] == k["role"]:
            x["staff"] = k["id"]
    return 7


def max_sites(I, doc):
    for k in I.staff:
        if k["max_sites"] is None:
            continue
        same = [x for x in doc["visits"]
                if I.visits[visit_of(I, x)]["role"] == k["role"]]
        sites = {x["site"] for x in same if x["staff"] == k["id"]}
        for x in same:
            if len(sites) > k["max_sites"]:
                return 8
            if x["site"] not in sites:
                x["staff"] = k["id"]
                sites.add(x["site"])
        if len(sites) > k["max_sites"]:
            return 8
    return None


def missing_visit(I, doc):
    del doc["visits"][0]
    return 0


def duplicated_visit(I, doc):
    doc["visits"].append(copy.deepcopy(doc["visits"][0]))
    return 0


def in_both_lists(I, doc):
    x = doc["visits"][0]
    doc["uncovered"].append({"site": x["site"], "role": x["role"]})
    return 0


def uncover(I, doc):
    x = doc["visits"].pop(0)
    doc["uncovered"].append({"site": x["site"], "role": x["role"]})
    return "figure" if I.soft else 0


def wrong_weeks(I, doc):
    for x in doc["visits"]:
        e = I.visits[visit_of(I, x)]["every"]
        if I.W > 1 and e == 1:
            x["weeks"] = [1]
            return 2
        if I.W > 1 and e > 1:
            x["weeks"] = list(range(1, I.W + 1))
            return 2
    doc["visits"][0]["weeks"] = [1, 2]
    return 2


def no_weeks(I, doc):
    doc["visits"][-1]["weeks"] = []
    return 2


def week_out_of_cycle(I, doc):
    doc["visits"][0]["weeks"].append(I.W + 1)
    return 2


def joint_pair(I, doc):
    by = {(x["site"], x["role"]): x for x in doc["visits"]}
    for x in doc["visits"]:
        w = I.visits[visit_of(I, x)]["with"]
        if w and (x["site"], w) in by:
            return x, by[(x["site"], w)]
    return None, None


def joint_split(I, doc):
    x, _ = joint_pair(I, doc)
    if x is None:
        return None
    set_start(I, x, rc.minutes(x["start"]) + I.slot)
    return 4


def joint_half_uncovered(I, doc):
    x, _ = joint_pair(I, doc)
    if x is None:
        return None
    doc["visits"].remove(x)
    doc["uncovered"].append({"site": x["site"], "role": x["role"]})
    return 4


def into_blocked(I, doc):
    for x in doc["visits"]:
        k = I.staff_index[x["staff"]]
        for d, a, b in I.staff[k]["blocked"]:
            if d in I.staff[k]["avail"]:
                x["day"] = rc.DAYS[d]
                set_start(I, x, a)
                return 5
    return None


def tours_of(doc):
    for s in doc["staff"]:
        for t in s["tours"]:
            yield s, t


def first_visit_entry(I, doc, staff_id, t, pos):
    """The visits[] entry of the visit leg `pos` of tour t arrives at."""
    site = t["legs"][pos]["to" if pos == 0 else "from"]
    for x in doc["visits"]:
        if x["staff"] == staff_id and x["site"] == site and x["day"] == t["day"] \
                and t["week"] in x["weeks"]:
            return x
    return None


def early_departure(I, doc):
    for s, t in tours_of(doc):
        x = first_visit_entry(I, doc, s["id"], t, 0)
        k = I.staff_index[s["id"]]
        start = rc.minutes(x["start"]) if x else None
        for a, b in rc.segments(I, k, rc.DAYS.index(t["day"])):
            if x and a <= start < b and t["legs"][0]["minutes"] > 0 and a % I.slot == 0:
                set_start(I, x, a)
                return 5
    return None


def late_return(I, doc):
    for s, t in tours_of(doc):
        x = first_visit_entry(I, doc, s["id"], t, len(t["legs"]) - 1)
        k = I.staff_index[s["id"]]
        if not x:
            continue
        start, mins = rc.minutes(x["start"]), I.visits[visit_of(I, x)]["minutes"]
        for a, b in rc.segments(I, k, rc.DAYS.index(t["day"])):
            late = (b - mins) // I.slot * I.slot
            if a <= start < b and late >= start and b - (late + mins) < t["legs"][-1]["minutes"]:
                set_start(I, x, late)
                return 5
    return None


# ---- figure corruptions ----------------------------------------------------

def fig(f):
    def run(I, doc):
        return "figure" if f(I, doc) is not False else None
    run.__name__ = f.__name__
    return run


@fig
def objective_plus_one(I, doc):
    doc["objective"] += 1


@fig
def objective_tiny(I, doc):
    doc["objective"] += 1e-4


@fig
def travel_term(I, doc):
    doc["terms"]["travel"] += 0.5


@fig
def balance_term(I, doc):
    doc["terms"]["balance"] = doc["terms"]["balance"] * 1.01 + 0.01


@fig
def utilisation(I, doc):
    doc["staff"][0]["utilisation"] += 0.01


@fig
def visit_minutes(I, doc):
    doc["staff"][-1]["visit_minutes"] += 1


@fig
def travel_minutes(I, doc):
    doc["staff"][0]["travel_minutes"] -= 1


@fig
def capacity(I, doc):
    doc["staff"][0]["capacity_minutes"] += 1


@fig
def leg_minutes(I, doc):
    for _, t in tours_of(doc):
        t["legs"][0]["minutes"] += 1
        return
    return False


@fig
def leg_depart(I, doc):
    for _, t in tours_of(doc):
        d = rc.minutes(t["legs"][-1]["depart"])
        t["legs"][-1]["depart"] = rc.hhmm(d + 1)
        return
    return False


@fig
def tour_dropped(I, doc):
    for s in doc["staff"]:
        if s["tours"]:
            s["tours"].pop()
            return
    return False


@fig
def staff_dropped(I, doc):
    doc["staff"].pop()


@fig
def visit_end(I, doc):
    x = doc["visits"][0]
    x["end"] = rc.hhmm(rc.minutes(x["end"]) + 15)


@fig
def status_infeasible(I, doc):
    doc["status"] = "infeasible"


@fig
def gap_without_bound(I, doc):
    doc["bound"], doc["gap"] = None, 0.0


@fig
def bound_above(I, doc):
    doc["bound"] = doc["objective"] + 10
    doc["gap"] = (doc["objective"] - doc["bound"]) / max(1, abs(doc["objective"]))


@fig
def wrong_gap(I, doc):
    doc["bound"] = doc["objective"] - 10
    doc["gap"] = 0.5


@fig
def instance_name(I, doc):
    doc["instance"] += " (copy)"


@fig
def negative_seconds(I, doc):
    doc["solve_seconds"] = -1.0


# ---- corruptions that may or may not break a rule ------------------------

def swap_staff(I, doc):
    """Two visits of the same role trade staff members."""
    for a in doc["visits"]:
        for b in doc["visits"]:
            if a["staff"] != b["staff"] and a["role"] == b["role"]:
                a["staff"], b["staff"] = b["staff"], a["staff"]
                return "any"
    return None


def random_moves(seed):
    def run(I, doc):
        rnd = random.Random(seed)
        for _ in range(rnd.randint(1, 3)):
            x = rnd.choice(doc["visits"])
            what = rnd.randrange(3)
            if what == 0:
                x["day"] = rnd.choice(rc.DAYS[:5])
            elif what == 1:
                set_start(I, x, rnd.randrange(7 * 60, 17 * 60, I.slot))
            else:
                x["staff"] = rnd.choice(I.staff)["id"]
        return "any"
    run.__name__ = "random_moves_%d" % seed
    return run


CORRUPTIONS = [
    wrong_day, shifted_start, after_midnight, outside_window, overlap, wrong_role, pin_broken,
    too_many_visits, over_capacity, max_sites, missing_visit,
    duplicated_visit, in_both_lists, uncover, wrong_weeks, no_weeks,
    week_out_of_cycle,
    joint_split, joint_half_uncovered, into_blocked, early_departure,
    late_return, objective_plus_one, objective_tiny, travel_term,
    balance_term, utilisation, visit_minutes, travel_minutes, capacity,
    leg_minutes, leg_depart, tour_dropped, staff_dropped, visit_end,
    status_infeasible, gap_without_bound, bound_above, wrong_gap,
    instance_name, negative_seconds, swap_staff,
] + [random_moves(s) for s in range(8)]


def corruptions(I, doc):
    """-> [(name, expect, corrupted doc)] for every one that applies."""
    out = []
    for f in CORRUPTIONS:
        d = copy.deepcopy(doc)
        expect = f(I, d)
        if expect is not None:
            out.append((f.__name__, expect, d))
    return out


def main(argv):
    if len(argv) != 4:
        print(__doc__)
        return 2
    I = rc.load_instance(argv[1])
    with open(argv[2], encoding="utf-8") as f:
        doc = json.load(f)
    os.makedirs(argv[3], exist_ok=True)
    manifest = []
    for n, (name, expect, d) in enumerate(corruptions(I, doc)):
        fn = "%02d-%s.json" % (n, name)
        with open(os.path.join(argv[3], fn), "w", encoding="utf-8") as f:
            json.dump(d, f, indent=1)
        manifest.append({"file": fn, "name": name, "expect": expect})
    with open(os.path.join(argv[3], "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
    print("%d corruptions in %s" % (len(manifest), argv[3]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
