'use strict';
// parindex from Node: every fixture byte-identical to `parindex score`, live preview, bad
// input. PARINDEX_CLI names the `parindex` binary (scripts/test-bindings.sh).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Worker } = require('node:worker_threads');

const parindex = require('..');

// The library's explain is the program's in English, exact and unwrapped.
const EXPLAIN_AS_LIBRARY = ['--locale', 'en', '--exact', '--width', '10000'];

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = process.env.PARINDEX_CLI || path.join(ROOT, 'target', 'debug', 'parindex');
const FIXTURES = fs
  .readdirSync(path.join(ROOT, 'fixtures'))
  .map((n) => path.join(ROOT, 'fixtures', n))
  .filter((p) => fs.existsSync(path.join(p, 'round.json')))
  .sort();
const cli = (...args) => execFileSync(CLI, args, { encoding: 'utf8', maxBuffer: 1 << 30 });
const load = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));
const assessments = (dir) =>
  fs.readdirSync(path.join(dir, 'assessments')).filter((n) => n.endsWith('.json')).sort().map((n) => path.join(dir, 'assessments', n));

function bundleOf(dir) {
  const round = load(path.join(dir, 'round.json'));
  const files = { 'round.json': round };
  for (const b of round.blocks) files[b.criteria_set] = load(path.join(dir, b.criteria_set));
  for (const a of assessments(dir)) files[`assessments/${path.basename(a)}`] = load(a);
  return JSON.stringify({ format: 'parindex/round-bundle@1', files });
}

function throwsInvalid(f, status, code) {
  assert.throws(f, (e) => {
    assert.ok(e instanceof parindex.InvalidInput, String(e));
    assert.equal(e.status, status);
    assert.equal(e.errors[0].code, code);
    for (const err of e.errors) assert.ok('path' in err && 'message' in err);
    return true;
  });
}

for (const dir of FIXTURES) {
  test(`score ${path.basename(dir)} byte-identical to the CLI`, () => {
    assert.equal(parindex.score(dir), cli('score', dir));
    const bundle = bundleOf(dir);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'parindex-')), 'bundle.json');
    fs.writeFileSync(file, bundle);
    const expected = cli('score', file);
    assert.equal(parindex.score(bundle), expected);
    assert.equal(parindex.score(Buffer.from(bundle)), expected);
    assert.equal(parindex.score(file), expected);
  });

  test(`scoreUnit ${path.basename(dir)} matches the whole round`, () => {
    const results = JSON.parse(cli('score', dir));
    const rows = new Map(results.blocks.flatMap((b) => b.units).map((r) => [r.unit, r]));
    const round = new parindex.Round(dir);
    assert.equal(round.id, results.round);
    for (const a of assessments(dir)) {
      const row = JSON.parse(round.scoreUnit(fs.readFileSync(a, 'utf8')));
      assert.deepEqual(row, { ...rows.get(row.unit), rank: null });
    }
    round.close();
    assert.ok(round.closed);
  });
}

test('validate and explain', () => {
  const dir = FIXTURES[0];
  const v = parindex.validate(dir);
  assert.equal(v.kind, 'round_folder');
  assert.equal(parindex.validate(bundleOf(dir)).kind, 'round_folder');
  const unit = load(path.join(dir, 'round.json')).units[0].id;
  assert.equal(parindex.explain(dir, unit), cli('explain', dir, '--unit', unit, ...EXPLAIN_AS_LIBRARY));
  throwsInvalid(() => parindex.explain(dir, 'nobody'), 'usage', 'usage');
});

test('bad input throws InvalidInput, never crashes', () => {
  throwsInvalid(() => parindex.score('/no/such/folder'), 'usage', 'usage');
  throwsInvalid(() => parindex.score(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])), 'bad_argument', 'bad_argument');
  throwsInvalid(() => parindex.score('fixtures\0/x'), 'bad_argument', 'bad_argument');
  throwsInvalid(() => parindex.score('{"format":\0}'), 'invalid', 'input_type');
  throwsInvalid(() => parindex.score('{"format": ' + '['.repeat(100000)), 'invalid', 'input_type');
  const huge = '{"format": "parindex/round-bundle@1", "files": {"x": "' + 'a'.repeat(64 << 20) + '"}}';
  throwsInvalid(() => parindex.score(huge), 'invalid', 'input_type');
  // A lone surrogate reaches the engine as U+FFFD (Node's UTF-8 conversion): still an error result.
  throwsInvalid(() => parindex.score('{"a": "\ud800"}'), 'invalid', 'input_type');
  assert.throws(() => parindex.score(null));
  assert.throws(() => parindex.score(42));
  const round = new parindex.Round(FIXTURES[0]);
  throwsInvalid(() => round.scoreUnit('not json'), 'invalid', 'input_type');
  throwsInvalid(() => round.scoreUnit({ format: 'parindex/assessment@1', unit: 'nobody' }), 'invalid', 'unknown_unit');
  round.close();
  throwsInvalid(() => round.scoreUnit('{}'), 'bad_handle', 'bad_handle');
  throwsInvalid(() => round.id, 'bad_handle', 'bad_handle');
});

test('worker threads each load the addon and score at once', async () => {
  const dir = FIXTURES[0];
  const expected = cli('score', dir);
  const code = `const { parentPort, workerData } = require('node:worker_threads');
    const p = require(workerData.module);
    parentPort.postMessage(p.score(workerData.dir));`;
  const runs = [0, 1, 2].map(
    () =>
      new Promise((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { module: path.resolve(__dirname, '..'), dir } });
        w.once('message', resolve);
        w.once('error', reject);
      }),
  );
  for (const out of await Promise.all(runs)) assert.equal(out, expected);
});
