#!/usr/bin/env python3
"""serve_test.py - tests of `rota serve` over real sockets (stdlib only).

usage: serve_test.py ROTA SOURCE_DIR SCENARIO

Every scenario starts its own server on a free loopback port (--listen
127.0.0.1:0; the port is read from stderr) with a fresh data directory, and
checks every JSON response against docs/openapi.json (status code, content
type and body schema of the operation).  Scenarios:

  flow      submit koebenhavn-1 (5 s), poll to done, fetch the roster in every
            format, rota check it, fetch a site's slots, restart the server
            (SIGTERM) and fetch everything again, byte for byte
  kill      SIGTERM during a solve keeps the best roster (interrupted); kill -9
            during a solve: after a restart the plan is interrupted and the
            finished ones are intact; DELETE cancels and keeps the roster
  security  tokens (401, 403), 413 (declared and chunked), malformed bodies
            (400/422 with request:LINE:COLUMN), traversal, unknown plans,
            405, 415, bad query, CORS, read tokens
  many      10,000 GETs of a site's slots and calendar on 8 keep-alive
            connections while a solve runs: no error, the server's RSS bounded
"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROTA, SRC, SCENARIO = sys.argv[1], sys.argv[2], sys.argv[3]
OPENAPI = json.load(open(os.path.join(SRC, 'docs', 'openapi.json')))
KOEBENHAVN = os.path.join(SRC, 'instances', 'koebenhavn-1.yaml')
TINY = os.path.join(SRC, 'instances', 'tiny-1.yaml')
RUDERSDAL = os.path.join(SRC, 'instances', 'rudersdal-1.yaml')
TOKEN = 'test-token-0123456789'
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL:', what, flush=True)
    return cond


# ---- a server ----

class Server:
    def __init__(self, data, *extra):
        self.data, self.extra = data, extra
        self.start()

    def start(self):
        os.makedirs(self.data, exist_ok=True)
        self.errpath = os.path.join(self.data, 'stderr-%d.txt' % time.monotonic_ns())
        self.err = open(self.errpath, 'w+')
        # AddressSanitizer keeps up to 256 MiB of freed memory in quarantine by
        # default, which the RSS bound of scenario 'many' would count as growth.
        env = dict(os.environ)
        env['ASAN_OPTIONS'] = env.get('ASAN_OPTIONS', '') + ':quarantine_size_mb=16'
        self.proc = subprocess.Popen(
            [ROTA, 'serve', '--listen', '127.0.0.1:0', '--data', self.data] + list(self.extra),
            stderr=self.err, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            m = re.search(r'listening on http://127\.0\.0\.1:(\d+)', open(self.errpath).read())
            if m:
                self.port = int(m.group(1))
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise SystemExit('server did not start: ' + open(self.errpath).read())

    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=60)
        self.err.close()
        log = open(self.errpath, errors='replace').read()
        for marker in ('AddressSanitizer', 'LeakSanitizer', 'runtime error:'):
            check(marker not in log, 'sanitizer report from the server:\n' + log[-3000:])
        return code

    def request(self, method, path, body=None, headers=None, raw_path=False):
        c = http.client.HTTPConnection('127.0.0.1', self.port, timeout=30)
        h = dict(headers or {})
        if body is not None and 'Content-Type' not in h:
            h['Content-Type'] = 'application/yaml'
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read()
        c.close()
        return Response(method, path, r.status, dict(r.getheaders()), data)


class Response:
    def __init__(self, method, path, status, headers, data):
        self.method, self.path, self.status = method, path, status
        self.headers = {k.lower(): v for k, v in headers.items()}
        self.data = data
        self.type = self.headers.get('content-type', '')
        self.json = None
        if self.type.startswith('application/json') and data:
            self.json = json.loads(data)
        conforms(self)


# ---- the OpenAPI document as the referee of every response ----

def node_ref_parts(ref):
    return [p.replace('~1', '/').replace('~0', '~') for p in ref[2:].split('/')]


def deref(node):
    while isinstance(node, dict) and '$ref' in node:
        target = OPENAPI
        for part in node_ref_parts(node['$ref']):
            target = target[part]
        node = target
    return node


TYPES = {'object': dict, 'array': list, 'string': str, 'boolean': bool, 'null': type(None)}


def type_ok(value, t):
    if t == 'integer':
        return isinstance(value, int) and not isinstance(value, bool)
    if t == 'number':
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, TYPES[t])


def validate(value, schema, where):
    """The JSON Schema subset docs/openapi.json uses; returns a list of errors."""
    s = deref(schema)
    errs = []
    if 'anyOf' in s:
        n = sum(1 for sub in s['anyOf'] if not validate(value, sub, where))
        return [] if n >= 1 else ['%s: matches none of anyOf' % where]
    if 'oneOf' in s:
        n = sum(1 for sub in s['oneOf'] if not validate(value, sub, where))
        return [] if n == 1 else ['%s: matches %d of oneOf' % (where, n)]
    if 'type' in s:
        ts = s['type'] if isinstance(s['type'], list) else [s['type']]
        if not any(type_ok(value, t) for t in ts):
            return ['%s: %r is not %s' % (where, value, ts)]
    if 'const' in s and value != s['const']:
        errs.append('%s: %r != %r' % (where, value, s['const']))
    if 'enum' in s and value not in s['enum']:
        errs.append('%s: %r not in %r' % (where, value, s['enum']))
    if isinstance(value, str) and 'pattern' in s and not re.search(s['pattern'], value):
        errs.append('%s: %r does not match %s' % (where, value, s['pattern']))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 'minimum' in s and value < s['minimum']:
            errs.append('%s: %r < %r' % (where, value, s['minimum']))
        if 'maximum' in s and value > s['maximum']:
            errs.append('%s: %r > %r' % (where, value, s['maximum']))
    if isinstance(value, dict):
        for k in s.get('required', []):
            if k not in value:
                errs.append('%s: missing %s' % (where, k))
        for k, sub in s.get('properties', {}).items():
            if k in value:
                errs += validate(value[k], sub, where + '.' + k)
    if isinstance(value, list) and 'items' in s:
        for i, v in enumerate(value):
            errs += validate(v, s['items'], '%s[%d]' % (where, i))
    return errs


def find_operation(method, path):
    """The OpenAPI path template matching path, and its operation."""
    path = path.split('?')[0]
    best = None
    for template, item in OPENAPI['paths'].items():
        rx = '^' + re.sub(r'\\\{[a-z]+\\\}', '[^/]+', re.escape(template)) + '$'
        if re.match(rx, path) and method.lower() in item:
            literal = len(re.sub(r'\{[a-z]+\}', '', template))
            if not best or literal > best[0]:
                best = (literal, template, item[method.lower()])
    return best


def conforms(r):
    """Checks a response against its operation in docs/openapi.json."""
    if r.method in ('OPTIONS', 'HEAD') or r.status == 405:
        return
    op = find_operation(r.method, r.path)
    if not op:
        check(r.status == 404, '%s %s: no operation in the OpenAPI document, yet %d'
              % (r.method, r.path, r.status))
        return
    _, template, operation = op
    resp = operation['responses'].get(str(r.status))
    if not check(resp is not None, '%s %s: status %d not documented'
                 % (r.method, template, r.status)):
        return
    resp = deref(resp)
    media = r.type.split(';')[0].strip()
    content = resp.get('content', {})
    if not check(media in content, '%s %s %d: content type %s not documented'
                 % (r.method, template, r.status, media)):
        return
    if r.json is not None:
        errs = validate(r.json, content[media]['schema'], '%s %s %d' % (r.method, template, r.status))
        check(not errs, 'schema: ' + '; '.join(errs[:5]))


# ---- helpers ----

AUTH = {'Authorization': 'Bearer ' + TOKEN}


def submit(srv, path, query='', ctype='application/yaml'):
    body = open(path, 'rb').read()
    r = srv.request('POST', '/v1/plans' + query, body, dict(AUTH, **{'Content-Type': ctype}))
    check(r.status == 202, 'POST %s: 202, got %d %s' % (path, r.status, r.data[:300]))
    check(r.headers.get('location') == '/v1/plans/' + r.json['id'], 'Location header')
    return r.json['id']


def poll(srv, pid, until, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        r = srv.request('GET', '/v1/plans/' + pid)
        if until(r.json):
            return r.json
        time.sleep(0.2)
    raise SystemExit('plan %s did not reach the state in %ds: %s' % (pid, timeout, r.json))


def rota_check(instance, roster_bytes, tmp):
    path = os.path.join(tmp, 'roster-%d.json' % time.monotonic_ns())
    open(path, 'wb').write(roster_bytes)
    p = subprocess.run([ROTA, 'check', instance, path], capture_output=True, text=True)
    check(p.returncode == 0, 'rota check: exit %d: %s' % (p.returncode, p.stderr[-500:]))


def write_tokens(tmp):
    path = os.path.join(tmp, 'tokens')
    open(path, 'w').write('# tokens of the test\n\n' + TOKEN + '\nsecond-token\n')
    return path


def schedules(srv, pid):
    """Every roster format and schedule of a finished koebenhavn plan."""
    out = {}
    for suffix, media in [('roster', 'application/json'), ('roster.json', 'application/json'),
                          ('roster.ics', 'text/calendar'), ('roster.csv', 'text/csv'),
                          ('staff/sw1.ics', 'text/calendar'), ('sites/kbh-dc-G23067.ics', 'text/calendar'),
                          ('sites/kbh-dc-G23067', 'application/json')]:
        r = srv.request('GET', '/v1/plans/%s/%s' % (pid, suffix))
        check(r.status == 200 and r.type.startswith(media),
              'GET %s: 200 %s, got %d %s %s' % (suffix, media, r.status, r.type, r.data[:200]))
        out[suffix] = r.data
    for accept, media in [('text/calendar', 'text/calendar'), ('text/csv', 'text/csv')]:
        r = srv.request('GET', '/v1/plans/%s/roster' % pid, headers={'Accept': accept})
        check(r.status == 200 and r.type.startswith(media), 'roster by Accept %s: %d %s' % (accept, r.status, r.type))
    check(out['roster.ics'].startswith(b'BEGIN:VCALENDAR'), 'roster.ics is a calendar')
    check(out['staff/sw1.ics'].startswith(b'BEGIN:VCALENDAR'), 'staff ics is a calendar')
    return out


# ---- scenarios ----

def scenario_flow(tmp):
    data = os.path.join(tmp, 'data')
    srv = Server(data, '--tokens', write_tokens(tmp))
    h = srv.request('GET', '/v1/health')
    check(h.status == 200 and h.json['status'] == 'ok', 'health')
    oa = srv.request('GET', '/v1/openapi.json')
    check(oa.status == 200 and oa.json == OPENAPI, 'served OpenAPI document is docs/openapi.json')
    pid = submit(srv, KOEBENHAVN, '?time_limit=5')
    seen_progress = poll(srv, pid, lambda p: p['status'] == 'solving' and p['progress'], 30)
    check(seen_progress['progress']['elapsed'] >= 0, 'progress while solving')
    plan = poll(srv, pid, lambda p: p['status'] == 'done', 60)
    check(plan['result'] in ('optimal', 'feasible'), 'result: %s' % plan['result'])
    check(plan['roster'] and plan['roster']['format'] == 'rota-roster/1', 'roster embedded when done')
    check(plan['progress']['objective'] == plan['roster']['objective'], 'final progress objective')
    before = schedules(srv, pid)
    again = schedules(srv, pid)
    for k in before:
        check(before[k] == again[k], 'a second fetch of %s (kept in memory) is the same' % k)
    rota_check(KOEBENHAVN, before['roster'], tmp)
    site = json.loads(before['sites/kbh-dc-G23067'])
    roster = json.loads(before['roster'])
    mine = [v for v in roster['visits'] if v['site'] == 'kbh-dc-G23067']
    check(site['slots'] == mine, 'site slots are the roster visits of the site')
    # JSON body: the same instance as a JSON document
    tiny_json = os.path.join(tmp, 'tiny.json')
    import_yaml_as_json(TINY, tiny_json)
    jid = submit(srv, tiny_json, '?time_limit=1&seed=7', 'application/json')
    jplan = poll(srv, jid, lambda p: p['status'] == 'done', 30)
    check(jplan['seed'] == 7 and jplan['roster']['status'] in ('optimal', 'feasible'), 'JSON instance solved')
    check(srv.stop() == 0, 'SIGTERM: exit 0')
    srv.start()
    after = schedules(srv, pid)
    for k in before:
        check(before[k] == after[k], 'after a restart %s is the same' % k)
    check(srv.request('GET', '/v1/plans/' + jid).json['status'] == 'done', 'JSON plan kept')
    check(srv.stop() == 0, 'second SIGTERM: exit 0')


def import_yaml_as_json(src, dst):
    """The same instance as a JSON document (tab-indented), via PyYAML."""
    import yaml
    json.dump(yaml.safe_load(open(src)), open(dst, 'w'), indent='\t')


def scenario_kill(tmp):
    data = os.path.join(tmp, 'data')
    srv = Server(data, '--workers', '1')
    done = submit(srv, TINY, '?time_limit=1')
    poll(srv, done, lambda p: p['status'] == 'done', 30)
    kept = srv.request('GET', '/v1/plans/%s/roster' % done).data
    # DELETE keeps the best roster
    cid = submit(srv, KOEBENHAVN, '?time_limit=120')
    poll(srv, cid, lambda p: p['status'] == 'solving' and p['progress']
         and p['progress']['objective'] is not None, 60)
    d = srv.request('DELETE', '/v1/plans/' + cid)
    check(d.status == 202, 'DELETE of a running solve: 202, got %d' % d.status)
    c = poll(srv, cid, lambda p: p['status'] == 'cancelled', 30)
    check(c['roster'] is not None, 'cancelled plan keeps its roster')
    rota_check(KOEBENHAVN, srv.request('GET', '/v1/plans/%s/roster' % cid).data, tmp)
    check(srv.request('DELETE', '/v1/plans/' + cid).status == 200, 'DELETE of a finished plan: 200')
    # SIGTERM during a solve: the best roster is saved, status interrupted
    tid = submit(srv, KOEBENHAVN, '?time_limit=120')
    poll(srv, tid, lambda p: p['status'] == 'solving' and p['progress']
         and p['progress']['objective'] is not None, 60)
    check(srv.stop(signal.SIGTERM) == 0, 'SIGTERM during a solve: exit 0')
    srv.start()
    t = srv.request('GET', '/v1/plans/' + tid).json
    check(t['status'] == 'interrupted' and t['roster'] is not None,
          'SIGTERM: interrupted with its roster, got %s' % t['status'])
    rota_check(KOEBENHAVN, srv.request('GET', '/v1/plans/%s/roster' % tid).data, tmp)
    # kill -9 during a solve
    kid = submit(srv, KOEBENHAVN, '?time_limit=120')
    poll(srv, kid, lambda p: p['status'] == 'solving' and p['progress'], 60)
    srv.stop(signal.SIGKILL)
    srv.start()
    k = srv.request('GET', '/v1/plans/' + kid).json
    check(k['status'] == 'interrupted' and 'stopped' in (k['reason'] or ''),
          'kill -9: interrupted, got %s (%s)' % (k['status'], k['reason']))
    r = srv.request('GET', '/v1/plans/%s/roster' % kid)
    check(r.status == 409, 'no roster for a plan killed mid-solve: 409, got %d' % r.status)
    check(srv.request('GET', '/v1/plans/%s/roster' % done).data == kept, 'finished plan intact after kill -9')
    integrity = subprocess.run(['python3', '-c', 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]);'
                                'print(c.execute("PRAGMA integrity_check").fetchone()[0])',
                                os.path.join(data, 'rota.db')], capture_output=True, text=True)
    check(integrity.stdout.strip() == 'ok', 'database integrity after kill -9: %s' % integrity.stdout)
    check(srv.stop() == 0, 'final SIGTERM: exit 0')


def raw(srv, text, read=65536):
    """Sends raw bytes and returns the status line and the whole answer."""
    s = socket.create_connection(('127.0.0.1', srv.port), timeout=10)
    try:
        s.sendall(text if isinstance(text, bytes) else text.encode())
        data = b''
        while len(data) < read:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            data += chunk
            if b'\r\n\r\n' in data and data.startswith(b'HTTP/1.1 ') and b'Connection: close' not in data:
                head, _, body = data.partition(b'\r\n\r\n')
                m = re.search(rb'Content-Length: (\d+)', head)
                if m and len(body) >= int(m.group(1)):
                    break
        return data
    finally:
        s.close()


def scenario_security(tmp):
    data = os.path.join(tmp, 'data')
    srv = Server(data, '--tokens', write_tokens(tmp), '--max-body', '100000',
                 '--cors-origin', 'https://intranet.example', '--timeout', '2')
    body = open(TINY, 'rb').read()
    r = srv.request('POST', '/v1/plans', body)
    check(r.status == 401 and 'bearer' in r.headers.get('www-authenticate', '').lower(), 'no token: 401')
    r = srv.request('POST', '/v1/plans', body, {'Authorization': 'Bearer wrong'})
    check(r.status == 403, 'wrong token: 403, got %d' % r.status)
    r = srv.request('POST', '/v1/plans', body, {'Authorization': 'Basic ' + TOKEN})
    check(r.status == 401, 'not a bearer token: 401')
    r = srv.request('POST', '/v1/plans?time_limit=2', body, {'Authorization': 'Bearer second-token'})
    check(r.status == 202, 'second token accepted: %d' % r.status)
    pid = r.json['id']
    r = srv.request('DELETE', '/v1/plans/' + pid)
    check(r.status == 401, 'DELETE without a token: 401')
    # bodies over --max-body: declared, and chunked
    r = srv.request('POST', '/v1/plans', b'x' * 100001, AUTH)
    check(r.status == 413, 'declared oversize body: 413, got %d' % r.status)
    chunk = b'%x\r\n%s\r\n' % (50000, b'y' * 50000)
    ans = raw(srv, b'POST /v1/plans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ' + TOKEN.encode() +
              b'\r\nContent-Type: application/yaml\r\nTransfer-Encoding: chunked\r\n\r\n' +
              chunk * 3 + b'0\r\n\r\n')
    check(ans.startswith(b'HTTP/1.1 413'), 'chunked oversize body: 413, got %r' % ans[:40])
    r = srv.request('POST', '/v1/plans', b'x' * 100000, AUTH)
    check(r.status in (400, 422), 'a body of exactly --max-body bytes is read: %d' % r.status)
    # malformed instances: positions as the CLI gives them
    r = srv.request('POST', '/v1/plans', b'format: rota/1\nname: x\nstaff: [\n', AUTH)
    check(r.status == 400 and r.json['diagnostics'][0]['text'].startswith('request:4:1: '),
          'YAML syntax error: 400 request:4:1, got %d %s' % (r.status, r.data[:200]))
    bad = open(TINY).read().replace('hours: 37', 'hours: 99', 1).replace('minutes: 60', 'minutes: "60"', 1)
    r = srv.request('POST', '/v1/plans', bad.encode(), AUTH)
    texts = [d['text'] for d in r.json['diagnostics']] if r.json else []
    check(r.status == 422 and len(texts) >= 2 and all(re.match(r'request:\d+:\d+: ', t) for t in texts),
          'invalid instance: 422, every problem with line:column, got %d %s' % (r.status, texts))
    cli = subprocess.run([ROTA, 'validate', '/dev/stdin'], input=bad, capture_output=True, text=True)
    cli_msgs = [l.split(': ', 1)[1] for l in cli.stderr.splitlines() if l.startswith('/dev/stdin:')]
    check([t.replace('request:', '/dev/stdin:', 1) for t in texts] ==
          [l for l in cli.stderr.splitlines() if l.startswith('/dev/stdin:')] and cli_msgs,
          'same messages as rota validate: %s vs %s' % (texts, cli.stderr))
    withfile = open(TINY).read().replace('rules:', 'travel:\n  matrix: /etc/passwd\n\nrules:', 1)
    r = srv.request('POST', '/v1/plans', withfile.encode(), AUTH)
    check(r.status == 422 and 'inline' in r.data.decode(), 'a matrix file name is refused: %d %s' % (r.status, r.data[:200]))
    r = srv.request('POST', '/v1/plans', b'', AUTH)
    check(r.status == 422, 'empty body: 422, got %d' % r.status)
    r = srv.request('POST', '/v1/plans', b'\xff\xfe\x00garbage', AUTH)
    check(r.status in (400, 422), 'binary body: 400/422, got %d' % r.status)
    r = srv.request('POST', '/v1/plans', body, dict(AUTH, **{'Content-Type': 'multipart/form-data'}))
    check(r.status == 415, 'unsupported content type: 415')
    for q in ('?time_limit=abc', '?time_limit=0', '?time_limit=1e9', '?seed=-1', '?colour=red'):
        r = srv.request('POST', '/v1/plans' + q, body, AUTH)
        check(r.status == 400, 'bad query %s: 400, got %d' % (q, r.status))
    # unknown plans, bad ids, traversal
    for path in ('/v1/plans/0123456789abcdef', '/v1/plans/XYZ', '/v1/plans/0123456789abcdef/roster',
                 '/v1/plans/%s/staff/nobody.ics' % pid, '/v1/plans/%s/sites/nowhere' % pid,
                 '/v1/nothing', '/', '/v1/plans/%s/roster.pdf' % pid):
        poll(srv, pid, lambda p: p['status'] == 'done', 30)
        r = srv.request('GET', path)
        check(r.status == 404, 'GET %s: 404, got %d' % (path, r.status))
    for path in ('/v1/plans/../../etc/passwd', '/v1/plans/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
                 '/v1/plans/' + pid + '/staff/..%2f..%2f..%2fetc%2fpasswd.ics',
                 '/v1/plans/' + pid + '/sites/%00.ics', '/v1//plans', '/v1/plans/' + pid + '/'):
        ans = raw(srv, 'GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' % path)
        check(re.match(rb'HTTP/1.1 (400|404)', ans) is not None and b'root:' not in ans,
              'traversal %s: 400/404, got %r' % (path, ans[:40]))
    r = srv.request('PUT', '/v1/plans', body, AUTH)
    check(r.status == 405 and 'POST' in r.headers.get('allow', ''), 'PUT: 405 with Allow')
    # CORS
    r = srv.request('OPTIONS', '/v1/plans', headers={'Origin': 'https://intranet.example',
                                                     'Access-Control-Request-Method': 'POST'})
    check(r.status == 204 and r.headers.get('access-control-allow-origin') == 'https://intranet.example'
          and 'POST' in r.headers.get('access-control-allow-methods', '')
          and 'authorization' in r.headers.get('access-control-allow-headers', '').lower(), 'CORS preflight')
    r = srv.request('GET', '/v1/health', headers={'Origin': 'https://evil.example'})
    check('access-control-allow-origin' not in r.headers, 'no CORS for another origin')
    r = srv.request('GET', '/v1/health', headers={'Origin': 'https://intranet.example'})
    check(r.headers.get('access-control-allow-origin') == 'https://intranet.example', 'CORS header on GET')
    # an idle connection is closed after --timeout (2 s here), not held
    s = socket.create_connection(('127.0.0.1', srv.port), timeout=20)
    t0 = time.monotonic()
    s.sendall(b'GET /v1/health HTTP/1.1\r\n')
    try:
        closed = s.recv(100) == b''
    except (socket.timeout, ConnectionResetError):
        closed = False
    s.close()
    check(closed and time.monotonic() - t0 < 15, 'idle connection closed by --timeout')
    # garbage on the socket never kills the server
    raw(srv, b'\x00\x01\x02\r\n\r\n')   # never answered: closed by the timeout
    for junk in (b'GET ' + b'/a' * 40000 + b' HTTP/1.1\r\n\r\n',
                 b'POST /v1/plans HTTP/1.1\r\nContent-Length: -5\r\n\r\n',
                 b'GET /v1/health HTTP/1.1\r\n' + b'X: y\r\n' * 5000 + b'\r\n'):
        raw(srv, junk)
    check(srv.request('GET', '/v1/health').status == 200, 'alive after garbage')
    check(srv.stop() == 0, 'SIGTERM: exit 0')
    # reads behind tokens
    srv = Server(data, '--tokens', write_tokens(tmp), '--read-token')
    check(srv.request('GET', '/v1/plans/' + pid).status == 401, '--read-token: GET needs a token')
    check(srv.request('GET', '/v1/plans/' + pid, headers=AUTH).status == 200, '--read-token: with a token')
    check(srv.request('GET', '/v1/health').status == 200, '--read-token: health stays open')
    check(srv.stop() == 0, 'SIGTERM: exit 0')
    p = subprocess.run([ROTA, 'serve', '--listen', '0.0.0.0:0', '--data', data], capture_output=True, text=True)
    check(p.returncode == 2 and '--tokens' in p.stderr, 'a non-loopback address without tokens is refused')


def rss_kib(pid):
    for line in open('/proc/%d/status' % pid):
        if line.startswith('VmRSS:'):
            return int(line.split()[1])
    return 0


def scenario_many(tmp):
    data = os.path.join(tmp, 'data')
    srv = Server(data, '--workers', '1')
    pid = submit(srv, TINY, '?time_limit=1')
    poll(srv, pid, lambda p: p['status'] == 'done', 30)
    # The solve that runs meanwhile is one whose memory settles within a
    # few seconds (rudersdal: 65 sites); a koebenhavn solve keeps growing its
    # column pool for tens of seconds, which is the solver's memory, not
    # what 10,000 GETs cost the server.
    busy = submit(srv, RUDERSDAL, '?time_limit=60')
    poll(srv, busy, lambda p: p['status'] == 'solving' and p['progress']
         and p['progress'].get('elapsed', 0) >= 2, 60)
    site = json.loads(srv.request('GET', '/v1/plans/%s/roster' % pid).data)['visits'][0]['site']
    paths = ['/v1/plans/%s/sites/%s' % (pid, site), '/v1/plans/%s/sites/%s.ics' % (pid, site)]
    errors, counts = [], []
    rss0 = rss_kib(srv.proc.pid)

    def client(n):
        c = http.client.HTTPConnection('127.0.0.1', srv.port, timeout=30)
        ok = 0
        for i in range(n):
            c.request('GET', paths[i % 2])
            r = c.getresponse()
            r.read()
            if r.status == 200:
                ok += 1
            else:
                errors.append(r.status)
        c.close()
        counts.append(ok)

    threads = [threading.Thread(target=client, args=(1250,)) for _ in range(8)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    dt = time.monotonic() - t0
    rss1 = rss_kib(srv.proc.pid)
    print('10000 GETs in %.2f s (%.0f/s); RSS %d -> %d KiB' % (dt, 10000 / dt, rss0, rss1))
    check(sum(counts) == 10000 and not errors, '10000 GETs, no error: %d ok, errors %s' % (sum(counts), errors[:5]))
    check(rss1 < rss0 + 64 * 1024, 'RSS bounded: %d -> %d KiB' % (rss0, rss1))
    check(srv.request('DELETE', '/v1/plans/' + busy).status == 202, 'cancel the busy solve')
    check(srv.stop() == 0, 'SIGTERM: exit 0')


def main():
    tmp = tempfile.mkdtemp(prefix='rota-serve-test-')
    try:
        globals()['scenario_' + SCENARIO](tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print('%d failures' % len(failures))
        sys.exit(1)
    print('ok')


if __name__ == '__main__':
    main()
