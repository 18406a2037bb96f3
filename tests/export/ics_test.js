// ics_test.js - `rota export --format ics` read back by a real iCalendar
// library (ical.js): every event expanded over 8 weeks must give exactly
// the occurrences the roster states (date, local time, UTC instant through
// the VTIMEZONE, across the change to summer time), with stable unique
// UIDs, the site's name in LOCATION and the file's octets as RFC 5545
// wants them (CRLF, lines of at most 75 octets, UTF-8 intact).
//
// usage: node ics_test.js ROTA INSTANCES_DIR
'use strict';
const fs = require('fs');
const path = require('path');
const { need, check, fail, rota, solve, tmpdir } = require('./lib.js');
const ICAL = need('ical.js/dist/ical.es5.cjs');
const yaml = need('js-yaml');

const [bin, instDir] = process.argv.slice(2);
const dir = tmpdir('ics');
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const WEEKS = 8;

function ymd(d) { return d.toISOString().slice(0, 10); }

// The local wall time of a UTC instant in Europe/Copenhagen by node's own
// time zone data (ICU): an independent judge of the VTIMEZONE rota writes.
function copenhagen(instant) {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(instant).map(x => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

function checkOctets(buf, label) {
  const text = buf.toString('utf8');
  check(Buffer.from(text, 'utf8').equals(buf), `${label}: not valid UTF-8`);
  check(!/[^\r]\n/.test(text) && text.endsWith('\r\n'), `${label}: a line does not end in CRLF`);
  for (const line of text.split('\r\n'))
    check(Buffer.byteLength(line, 'utf8') <= 75, `${label}: line longer than 75 octets: ${line}`);
}

// Expected occurrences "YYYY-MM-DD HH:MM-HH:MM site" of the roster's
// visits kept by `keep`, over WEEKS weeks from the Monday `monday`.
function expected(roster, W, monday, keep) {
  const out = [];
  for (const v of roster.visits) {
    if (!keep(v)) continue;
    for (let w = 0; w < WEEKS; w++) {
      if (!v.weeks.includes((w % W) + 1)) continue;
      const d = new Date(monday.getTime() + (7 * w + DAYS.indexOf(v.day)) * 86400e3);
      out.push(`${ymd(d)} ${v.start}-${v.end} ${v.site}`);
    }
  }
  return out.sort();
}

function occurrences(text, inst, label) {
  const comp = new ICAL.Component(ICAL.parse(text));
  const tzc = comp.getFirstSubcomponent('vtimezone');
  check(tzc && tzc.getFirstPropertyValue('tzid') === 'Europe/Copenhagen', `${label}: no VTIMEZONE`);
  const tz = new ICAL.Timezone(tzc);
  ICAL.TimezoneService.register(tz, 'Europe/Copenhagen');
  const siteById = new Map(inst.sites.map(s => [s.name, s.id]));
  const uids = new Set();
  const got = [];
  const events = comp.getAllSubcomponents('vevent');
  for (const ve of events) {
    const ev = new ICAL.Event(ve);
    check(!uids.has(ev.uid), `${label}: UID ${ev.uid} twice`);
    uids.add(ev.uid);
    check(ev.isRecurring(), `${label}: event ${ev.uid} does not recur`);
    check(ev.startDate.zone && ev.startDate.zone.tzid === 'Europe/Copenhagen', `${label}: DTSTART not in Europe/Copenhagen`);
    const site = siteById.get(ev.location);
    check(site, `${label}: LOCATION '${ev.location}' is no site's name`);
    const end = new Date(label.monday.getTime() + WEEKS * 7 * 86400e3);
    const it = ev.iterator();
    for (let t = it.next(); t; t = it.next()) {
      const js = t.toJSDate();   // the UTC instant through the VTIMEZONE
      if (js >= end) break;
      const occ = ev.getOccurrenceDetails(t);
      const local = copenhagen(js);
      const localEnd = copenhagen(occ.endDate.toJSDate());
      check(local.slice(11) === `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`,
            `${label}: ${ev.uid} at ${t} is ${local} in Copenhagen`);
      got.push(`${local} -${localEnd.slice(11)} ${site}`.replace(' -', '-'));
    }
  }
  return { got: got.sort(), n: events.length, uids };
}

function compare(exp, got, label) {
  if (exp.length !== got.length || exp.some((x, i) => x !== got[i])) {
    const e = new Set(exp), g = new Set(got);
    fail(`${label}: occurrences differ\n  missing: ${exp.filter(x => !g.has(x)).slice(0, 5)}\n  extra: ${got.filter(x => !e.has(x)).slice(0, 5)}`);
  }
}

// The instance as data, by a real YAML parser (js-yaml).
function loadInstance(file) {
  return yaml.load(fs.readFileSync(file, 'utf8'));
}

function run(instanceFile, staff, from, monday) {
  const roster = JSON.parse(fs.readFileSync(solve(bin, instanceFile, dir), 'utf8'));
  const inst = loadInstance(instanceFile);
  const W = roster.cycle_weeks;
  check(W >= 1, 'roster without cycle_weeks');
  const args = ['export', instanceFile, '-', '--format', 'ics', '--from', from];
  const label = `${path.basename(instanceFile)} ${staff || 'all'}`;
  const rosterPath = path.join(dir, path.basename(instanceFile) + '.json');
  fs.writeFileSync(rosterPath, JSON.stringify(roster));
  args[2] = rosterPath;
  if (staff) args.push('--staff', staff);
  const buf = rota(bin, args);
  checkOctets(buf, label);
  const lab = Object.assign(new String(label), { monday });
  const { got, n, uids } = occurrences(buf.toString('utf8'), inst, lab);
  const exp = expected(roster, W, monday, v => !staff || v.staff === staff);
  check(exp.length > 0, `${label}: the roster gives this counsellor no visit`);
  compare(exp, got, label);
  // the same roster exported again has the same UIDs (a re-import updates)
  const again = occurrences(rota(bin, args).toString('utf8'), inst, lab);
  check([...uids].every(u => again.uids.has(u)), `${label}: UIDs are not stable`);
  console.log(`ok ${label}: ${n} events, ${got.length} occurrences in ${WEEKS} weeks`);
  return buf.toString('utf8');
}

// Rudersdal, one counsellor, from a Wednesday: week 1 begins on Monday
// 2025-03-17, and summer time begins on 2025-03-30 inside the 8 weeks.
const rud = path.join(instDir, 'rudersdal-1.yaml');
const one = run(rud, 'sw2', '2025-03-12', new Date('2025-03-17T00:00:00Z'));
check(/SUMMARY:.*[æøå]/.test(one) || /LOCATION:.*[æøåÆØÅ]/.test(one) || /DESCRIPTION:.*å/.test(one),
      'no Danish letter survived in the calendar');
// every event of a weekly plan recurs weekly
check(!/INTERVAL=[^1]/.test(one), 'rudersdal-1 is a weekly plan: INTERVAL must be 1');
// The 2-week cycle: one counsellor and the whole plan (phases 1 and 2).
const cyc = path.join(instDir, 'rudersdal-cycle2-1.yaml');
const c2 = run(cyc, null, '2025-10-13', new Date('2025-10-13T00:00:00Z'));
check(/INTERVAL=2/.test(c2), 'rudersdal-cycle2-1: no event every 2 weeks');
run(cyc, 'ft4', '2025-10-13', new Date('2025-10-13T00:00:00Z'));

// Names with ; , " \ and Danish letters, a long name folded inside a
// multibyte character, visits every 1, 2 and 4 weeks of a 4-week cycle.
const dk = path.join(__dirname, 'danish.yaml');
const d4 = run(dk, null, '2025-06-02', new Date('2025-06-02T00:00:00Z'));
for (const iv of ['INTERVAL=1', 'INTERVAL=2', 'INTERVAL=4'])
  check(d4.includes(iv), `danish.yaml: no event with ${iv}`);
{
  const comp = new ICAL.Component(ICAL.parse(d4));
  // ical.js keeps an X- property raw: it must be escaped as TEXT
  check(comp.getFirstPropertyValue('x-wr-calname') === 'Ærø\\; Søby\\, "Åbenrå" 4 uger',
        `calendar name mangled: ${comp.getFirstPropertyValue('x-wr-calname')}`);
  const sums = comp.getAllSubcomponents('vevent').map(e => e.getFirstPropertyValue('summary'));
  check(sums.includes('Børnehuset "Østergården"; Ærøskøbing: Åse "Æble" Brøndum'),
        `summaries mangled: ${sums}`);
  check(sums.some(x => x.startsWith('Dagplejen Marstal \\ Ærø Kommune')), 'backslash mangled');
}
run(dk, 'aase', '2025-06-02', new Date('2025-06-02T00:00:00Z'));

// an unknown counsellor is a usage error naming it
const bad = rota(bin, ['export', rud, path.join(dir, 'rudersdal-1.yaml.json'), '--format', 'ics', '--staff', 'nobody'], 2);
check(bad.length === 0, 'output written for an unknown staff member');
fs.rmSync(dir, { recursive: true, force: true });
console.log('ics: all passed');
