// html_test.js - `rota export --format html` rendered by headless chromium
// (Debian's package, driven by playwright-core): the page loads with no
// network request and no console error, shows one visit element per visit
// occurrence of the roster (and every visit of it), one map site per site
// served, offices, tours, bars per counsellor, the uncovered visits, and
// Danish letters intact; a screenshot is written for people to look at.
//
// usage: node html_test.js ROTA INSTANCE.yaml SCREENSHOT.png
'use strict';
const fs = require('fs');
const path = require('path');
const { need, check, rota, solve, tmpdir } = require('./lib.js');
const { chromium } = need('playwright-core');

const [bin, instanceFile, shot] = process.argv.slice(2);
const CHROMIUM = process.env.ROTA_CHROMIUM || '/usr/bin/chromium';

(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`FAIL: ${CHROMIUM} is missing (apt-get install chromium)`);
    process.exit(1);
  }
  const dir = tmpdir('html');
  const rosterPath = solve(bin, instanceFile, dir);
  const roster = JSON.parse(fs.readFileSync(rosterPath, 'utf8'));
  const page = path.join(dir, 'report.html');
  rota(bin, ['export', instanceFile, rosterPath, '--format', 'html', '--from', '2025-06-02', '-o', page]);
  const html = fs.readFileSync(page, 'utf8');
  check(!/\b(src|href)\s*=\s*["']?(https?:)?\/\//i.test(html), 'the page refers to something on a network');

  // playwright gives every launch a fresh temporary profile of its own
  // (it refuses --user-data-dir here)
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const pg = await ctx.newPage();
    const requests = [], errors = [];
    pg.on('request', r => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
    pg.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
    pg.on('pageerror', e => errors.push(String(e)));
    await pg.goto('file://' + page);
    check(requests.length === 0, `network requests: ${requests}`);

    const dom = await pg.evaluate(() => {
      const q = s => [...document.querySelectorAll(s)];
      return {
        visits: q('.visit[data-visit]').map(e => [e.dataset.visit, e.dataset.staff, e.dataset.week, e.dataset.day, e.dataset.start]),
        visible: q('.visit').filter(e => e.getBoundingClientRect().height > 0).length,
        sites: q('svg.map circle.site[data-site]').map(e => e.dataset.site),
        uncoveredSites: q('svg.map circle.site.uncovered').length,
        offices: q('svg.map rect.office').length,
        tours: q('svg.map path[data-staff]').length,
        bars: q('#bars tr[data-staff]').map(e => e.dataset.staff),
        grids: q('#grids .staff').map(e => e.dataset.staff),
        uncovered: q('tr.uncovered').map(e => e.dataset.uncovered),
        title: document.querySelector('h1').textContent,
        text: document.body.innerText,
      };
    });
    check(errors.length === 0, `console errors: ${errors}`);
    const expected = [];
    for (const v of roster.visits)
      for (const w of v.weeks) expected.push([`${v.site}/${v.role}`, v.staff, String(w), v.day, v.start].join(' '));
    const shown = dom.visits.map(x => x.join(' '));
    expected.sort(); shown.sort();
    check(shown.length === expected.length, `${shown.length} visit elements, ${expected.length} visit occurrences in the roster`);
    check(shown.every((x, i) => x === expected[i]), 'visit elements differ from the roster');
    const distinct = new Set(dom.visits.map(x => x[0]));
    check(distinct.size === roster.visits.length, `${distinct.size} distinct visits shown, ${roster.visits.length} in the roster`);
    check(dom.visible === shown.length, `${dom.visible} of ${shown.length} visit elements have a size`);
    const served = new Set(roster.visits.map(v => v.site));
    const uncoveredOnly = new Set(roster.uncovered.map(u => u.site));
    check(dom.sites.length === new Set([...served, ...uncoveredOnly]).size, `${dom.sites.length} sites on the map`);
    check(dom.uncoveredSites === uncoveredOnly.size, 'uncovered sites on the map');
    check(dom.uncovered.length === roster.uncovered.length, 'uncovered rows');
    check(dom.offices >= 1, 'no office on the map');
    const nTours = roster.staff.reduce((n, s) => n + s.tours.length, 0);
    check(dom.tours === nTours, `${dom.tours} tours drawn, ${nTours} in the roster`);
    check(dom.bars.length === roster.staff.length && dom.grids.length === roster.staff.length, 'a bar and a grid per staff member');
    check(/[æøåÆØÅ]/.test(dom.text), 'no Danish letter on the page');
    const inst = need('js-yaml').load(fs.readFileSync(instanceFile, 'utf8'));
    check(dom.title === inst.name, `title '${dom.title}' is not the instance's name`);
    for (const s of inst.staff) check(dom.text.includes(s.name), `${s.name} is not on the page`);

    // the legend shows one counsellor's tours only
    const first = roster.staff[0].id;
    await pg.click(`.legend button[data-staff="${first}"]`);
    const dimmed = await pg.evaluate(k => [...document.querySelectorAll('svg.map path.dim')].every(e => e.dataset.staff !== k) &&
      document.querySelectorAll('svg.map path.dim').length > 0, first);
    check(dimmed || roster.staff.length === 1, 'clicking a name does not single out its tours');
    await pg.click(`.legend button[data-staff="${first}"]`);

    if (shot) {
      await pg.screenshot({ path: shot, fullPage: false });
      await pg.locator('#grids .staff').first().screenshot({ path: shot.replace(/\.png$/, '') + '-grid.png' });
    }
    console.log(`html: ok (${shown.length} visit elements = ${distinct.size} visits x weeks, ${dom.sites.length} sites, ${dom.tours} tours${shot ? ', screenshot ' + shot : ''})`);
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
})().catch(e => { console.error('FAIL:', e); process.exit(1); });
