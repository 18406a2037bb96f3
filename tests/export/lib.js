// lib.js - what the export tests share: loading the pinned npm packages
// from tests/js/node_modules (installed by `npm ci`, see .ci/run), running
// rota, and failing loudly.
'use strict';
const path = require('path');
const fs = require('fs');
const { execFileSync } = require('child_process');

const MODULES = path.join(__dirname, '..', 'js', 'node_modules');

// A missing package fails the test; only a developer who says so with
// ROTA_ALLOW_SKIP=1 (and not CI) gets a skip (exit 77) instead.
function need(name) {
  const where = path.join(MODULES, name);
  if (!fs.existsSync(where)) {
    const msg = `${name} is not installed: run 'npm ci' in tests/js`;
    if (process.env.ROTA_ALLOW_SKIP === '1' && !process.env.CI) {
      console.log(`SKIP: ${msg}`);
      process.exit(77);
    }
    console.error(`FAIL: ${msg}`);
    process.exit(1);
  }
  return require(where);
}

function fail(msg) {
  console.error(`FAIL: ${msg}`);
  process.exit(1);
}

function check(cond, msg) {
  if (!cond) fail(msg);
}

// Runs rota; returns stdout (a Buffer); fails the test on a non-zero exit
// unless `expect` names the exit code wanted.
function rota(bin, args, expect = 0) {
  try {
    const out = execFileSync(bin, args, { maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    check(expect === 0, `rota ${args.join(' ')} exited 0, expected ${expect}`);
    return out;
  } catch (e) {
    if (e.status === undefined || e.status === null) throw e;
    if (e.status !== expect)
      fail(`rota ${args.join(' ')} exited ${e.status}, expected ${expect}\n${e.stderr}`);
    return e.stdout;
  }
}

// Solves an instance into dir (once per test run) and checks it.
function solve(bin, instance, dir, seconds = 2) {
  const out = path.join(dir, path.basename(instance, '.yaml') + '.roster.json');
  rota(bin, ['solve', instance, '--time-limit', String(seconds), '--quiet', '-o', out]);
  rota(bin, ['check', instance, out, '--quiet']);
  return out;
}

function tmpdir(tag) {
  return fs.mkdtempSync(path.join(require('os').tmpdir(), `rota-${tag}-`));
}

module.exports = { need, fail, check, rota, solve, tmpdir, MODULES };
