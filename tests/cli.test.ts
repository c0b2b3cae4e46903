/**
 * The `bsnn` command line as users run it: child processes of `node bin/bsnn.js`.
 *
 * SAFETY: every child runs with its cwd in a fresh temporary folder, models are passed by absolute path, and
 * `run` refuses (before spawning) any cwd, --out or absolute argument that resolves inside this repository.
 * A gen-rtl with an empty --out once replaced a whole repository; these tests must never be able to.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomModel } from '../generator/model/random.js';
import { runBsnn, type CliRun } from './helpers/cli.js';

const REPO = realpathSync(fileURLToPath(new URL('..', import.meta.url)));
const BUILT_MAIN = join(REPO, 'dist', 'generator', 'cli', 'main.js');
// A small fixed model (the shape of the first, random Yin-Yang example: 4-32-3, T = 8, float probabilities), so
// these tests do not depend on what the trained examples look like.
let EXAMPLE: string;
const EXAMPLE_MODEL = randomModel({ seed: 7, name: 'yinyang', inputs: 4, layers: [32, 3], timesteps: 8, probBits: 4 });

// gen-rtl reads timing records and estimate writes them: a cache of these tests' own, not the user's.
const CACHE = mkdtempSync(join(tmpdir(), 'bsnn-cli-cache-'));
afterAll(() => rmSync(CACHE, { recursive: true, force: true }));

const inside = (p: string, dir: string) => p === dir || p.startsWith(dir + sep);

/** Throws unless `p` (resolved against `cwd`) is outside the repository. Symlinks are followed where they exist. */
function assertOutsideRepo(p: string, cwd: string, what: string): void {
  let abs = resolve(cwd, p);
  // Resolve the longest existing prefix, so that a symlink into the repository is caught too.
  let probe = abs;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  abs = join(realpathSync(probe), relative(probe, abs));
  if (inside(abs, REPO)) throw new Error(`test safety: ${what} ${JSON.stringify(p)} resolves to ${abs}, inside the repository ${REPO}`);
}

/** Runs `node bin/bsnn.js ...args` with `cwd` (which must be a temporary folder outside the repository). */
async function run(args: string[], cwd: string): Promise<CliRun> {
  if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: build first with \`npx tsc -p .\` (\`npm test\` does)`);
  assertOutsideRepo(cwd, cwd, 'cwd');
  if (!isAbsolute(cwd) || !inside(realpathSync(cwd), realpathSync(tmpdir()))) throw new Error(`test safety: cwd ${cwd} is not under ${tmpdir()}`);
  args.forEach((a, i) => {
    if (a === '--out' && i + 1 < args.length) assertOutsideRepo(args[i + 1], cwd, '--out');
    if (a.startsWith('--out=')) assertOutsideRepo(a.slice('--out='.length), cwd, '--out');
    if (isAbsolute(a)) assertOutsideRepo(a, cwd, 'argument');
  });
  // A ceiling that catches a hang: a cosim run here took over 60 s with both cores busy (vitest.config.ts).
  return runBsnn(args, { cwd, timeout: 300_000, env: { ...process.env, NO_COLOR: '1', BSNN_CACHE_DIR: CACHE } });
}

const STACK_LINE = /^ {4}at /m;

interface Entry {
  kind: 'dir' | 'file';
  mtimeMs: number;
  bytes?: Buffer;
}

/** Every entry under `root` (and root itself, as "."), with bytes and mtimes. */
function snapshot(root: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (rel: string) => {
    const abs = join(root, rel);
    const st = statSync(abs);
    if (st.isDirectory()) {
      out.set(rel || '.', { kind: 'dir', mtimeMs: st.mtimeMs });
      for (const name of readdirSync(abs).sort()) walk(rel ? `${rel}/${name}` : name);
    } else {
      out.set(rel, { kind: 'file', mtimeMs: st.mtimeMs, bytes: readFileSync(abs) });
    }
  };
  walk('');
  return out;
}

/** Files only, path → bytes, for comparing generated outputs. */
function fileBytes(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [k, e] of snapshot(root)) if (e.kind === 'file') out.set(k, e.bytes!);
  return out;
}

function expectSameSnapshot(after: Map<string, Entry>, before: Map<string, Entry>): void {
  expect([...after.keys()]).toEqual([...before.keys()]);
  for (const [k, b] of before) {
    const a = after.get(k)!;
    expect(a.kind, k).toBe(b.kind);
    expect(a.mtimeMs, `mtime of ${k}`).toBe(b.mtimeMs);
    if (b.kind === 'file') expect(a.bytes!.equals(b.bytes!), `bytes of ${k}`).toBe(true);
  }
}

/** Leftover temporary or backup folders of the atomic writer next to `target`. */
function leftovers(target: string): string[] {
  const base = target.split(sep).pop()!;
  return readdirSync(dirname(target)).filter((n) => n.startsWith(`.${base}.tmp-`) || n.startsWith(`.${base}.old-`));
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let TMP: string;
/** A fresh folder under TMP. */
const fresh = (name: string) => mkdtempSync(join(TMP, `${name}-`));
/** The example model, copied into a fresh folder; its absolute path. */
function modelCopy(dir = fresh('model')): string {
  const p = join(dir, 'yinyang.json');
  copyFileSync(EXAMPLE, p);
  return p;
}
const exampleJson = () => JSON.parse(readFileSync(EXAMPLE, 'utf8')) as {
  layers: { size: number; probBits: number; prob: number[][]; [k: string]: unknown }[];
  [k: string]: unknown;
};

beforeAll(() => {
  expect(existsSync(BUILT_MAIN), `${BUILT_MAIN} is missing: build first with \`npx tsc -p .\` (\`npm test\` does)`).toBe(true);
  TMP = mkdtempSync(join(tmpdir(), 'bsnn-cli-test-'));
  expect(inside(realpathSync(TMP), REPO)).toBe(false);
  EXAMPLE = join(TMP, 'example.json');
  writeFileSync(EXAMPLE, JSON.stringify(EXAMPLE_MODEL));
});
afterAll(() => {
  if (TMP && !inside(realpathSync(TMP), REPO)) rmSync(TMP, { recursive: true, force: true });
});

describe('test safety', () => {
  it('refuses to run the CLI with a cwd or --out inside the repository', async () => {
    const ws = fresh('safety');
    await expect(run(['gen-rtl', 'x.json', '--out', '.'], REPO)).rejects.toThrow(/test safety/);
    await expect(run(['gen-rtl', 'x.json', '--out', REPO], ws)).rejects.toThrow(/test safety/);
    await expect(run(['gen-rtl', 'x.json', `--out=${join(REPO, 'rtl-out', 'x')}`], ws)).rejects.toThrow(/test safety/);
  });
});

describe('gen-rtl', () => {
  let model: string;
  let ws: string;
  beforeAll(() => {
    ws = fresh('gen');
    model = modelCopy(ws);
  });
  // The default gen-rtl, run once: the first test reads its output, the determinism test compares a second run with it.
  let first: Promise<{ out: string; r: CliRun }> | undefined;
  const firstRun = () => (first ??= run(['gen-rtl', model, '--out', join(ws, 'out1')], ws).then((r) => ({ out: join(ws, 'out1'), r })));

  it('writes rtl/, mem/ and a manifest that names the top and hashes every file', async () => {
    const { out, r } = await firstRun();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/wrote \d+ files for yinyang_top/);
    expect(statSync(join(out, 'rtl')).isDirectory()).toBe(true);
    expect(statSync(join(out, 'mem')).isDirectory()).toBe(true);
    const files = fileBytes(out);
    expect([...files.keys()].some((f) => f.startsWith('rtl/') && f.endsWith('.v'))).toBe(true);
    expect([...files.keys()].some((f) => f.startsWith('mem/') && f.endsWith('.mem'))).toBe(true);

    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as {
      generator: string;
      top: string;
      modelHash: string;
      knobs: { timesteps: number; layers: { size: number; lanes: number; probBits: number }[] };
      files: { path: string; sha256: string }[];
    };
    expect(manifest.generator).toMatch(/^bsnn \d+\.\d+\.\d+/);
    expect(manifest.top).toBe('yinyang_top');
    expect(files.get(`rtl/${manifest.top}.v`)?.toString('utf8')).toMatch(new RegExp(`^\\s*module ${manifest.top}\\b`, 'm'));
    expect(manifest.modelHash).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.knobs.timesteps).toBe(8);
    expect(manifest.knobs.layers.map((L) => L.size)).toEqual([32, 3]);
    expect(manifest.knobs.layers.map((L) => L.probBits)).toEqual([4, 4]);
    // Every file but the manifest is listed, exactly once, with the hash of its bytes.
    const listed = manifest.files.map((f) => f.path).sort();
    expect(listed).toEqual([...files.keys()].filter((f) => f !== 'manifest.json').sort());
    for (const f of manifest.files) expect(f.sha256, f.path).toBe(sha256(files.get(f.path)!));
  });

  it('is deterministic: two runs into different folders are byte-identical; --lanes changes the output', async () => {
    const { out: a, r: ra } = await firstRun();
    const b = join(fresh('det'), 'nested', 'det-b');
    expect(ra.status).toBe(0);
    expect((await run(['gen-rtl', model, '--out', b], fresh('cwd'))).status).toBe(0);
    const fa = fileBytes(a);
    const fb = fileBytes(b);
    expect([...fb.keys()]).toEqual([...fa.keys()]);
    for (const [k, v] of fa) expect(fb.get(k)!.equals(v), k).toBe(true);

    const c = join(ws, 'det-lanes');
    const r = await run(['gen-rtl', model, '--out', c, '--lanes', '2'], ws);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const fc = fileBytes(c);
    const differs = [...new Set([...fa.keys(), ...fc.keys()])].filter((k) => !fa.get(k) || !fc.get(k) || !fa.get(k)!.equals(fc.get(k)!));
    expect(differs.filter((k) => k !== 'manifest.json').length).toBeGreaterThan(0);
    const m = JSON.parse(fc.get('manifest.json')!.toString('utf8')) as { knobs: { layers: { lanes: number }[] } };
    expect(m.knobs.layers.map((L) => L.lanes)).toEqual([2, 2]);
  });
});

describe('gen-rtl with bad input leaves an existing output folder untouched', () => {
  let ws: string;
  let OUT: string;
  let before: Map<string, Entry>;
  const write = (name: string, content: string) => {
    const p = join(ws, name);
    writeFileSync(p, content);
    return p;
  };

  beforeAll(async () => {
    ws = fresh('bad');
    const model = modelCopy(ws);
    OUT = join(ws, 'OUT');
    const r = await run(['gen-rtl', model, '--out', OUT], ws);
    expect(r.status).toBe(0);
    before = snapshot(OUT);
  });

  const cases: { name: string; model: () => string; args?: string[]; message: RegExp }[] = [
    {
      name: '(a) malformed JSON',
      model: () => write('malformed.json', '{\n  "format": "bsnn/1",\n  "name": ,\n}\n'),
      message: /malformed\.json: malformed JSON at line 3, column \d+/,
    },
    {
      name: '(b) wrong shape: a prob row with 3 entries for a fan-in of 4',
      model: () => {
        const m = exampleJson();
        m.layers[0].prob[5] = m.layers[0].prob[5].slice(0, 3);
        return write('shape.json', JSON.stringify(m));
      },
      message: /layers\[0\]\.prob\[5\]: has 3 entries, expected 4/,
    },
    {
      name: '(b) wrong shape: an array instead of an object',
      model: () => write('array.json', '[1, 2]'),
      message: /\(root\): expected a JSON object/,
    },
    {
      name: '(c) a probability 1.3',
      model: () => {
        const m = exampleJson();
        m.layers[0].prob[1][2] = 1.3;
        return write('prob13.json', JSON.stringify(m));
      },
      message: /layers\[0\]\.prob\[1\]\[2\]: 1\.3 is outside \[0,1\]/,
    },
    {
      name: '(d) probBits 9',
      model: () => {
        const m = exampleJson();
        m.layers[0].probBits = 9;
        return write('probbits9.json', JSON.stringify(m));
      },
      message: /layers\[0\]\.probBits: 9 is above the maximum 8/,
    },
    {
      name: '(e) an unknown field',
      model: () => {
        const m = exampleJson();
        m.layers[1].colour = 'red';
        return write('unknown.json', JSON.stringify(m));
      },
      message: /layers\[1\]: unknown field "colour"/,
    },
    {
      name: '(f) a missing file',
      model: () => join(ws, 'no-such-model.json'),
      message: /no-such-model\.json: no such file/,
    },
    {
      name: '(g) --lanes 0',
      model: () => modelCopy(fresh('lanes0')),
      args: ['--lanes', '0'],
      message: /--lanes: "0" is not a positive integer/,
    },
  ];

  it.each(cases)('$name', async ({ model, args, message }) => {
    const r = await run(['gen-rtl', model(), '--out', OUT, ...(args ?? [])], ws);
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBeNull();
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^bsnn: /);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout).not.toMatch(/wrote/);
    expectSameSnapshot(snapshot(OUT), before);
    expect(leftovers(OUT)).toEqual([]);
  });

  it('a bad model with a fresh --out path creates nothing', async () => {
    const bad = write('bad-fresh.json', '{"format": "bsnn/1"');
    const target = join(ws, 'fresh-parent', 'deeper', 'out');
    const r = await run(['gen-rtl', bad, '--out', target], ws);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/malformed JSON/);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(join(ws, 'fresh-parent'))).toBe(false);
  });
});

describe('gen-rtl never replaces a folder that is not its own output (the data-loss regression)', () => {
  let ws: string;
  let proj: string;
  let model: string;
  let before: Map<string, Entry>;

  beforeAll(() => {
    ws = fresh('regress');
    proj = join(ws, 'project');
    mkdirSync(join(proj, '.git', 'refs', 'heads'), { recursive: true });
    mkdirSync(join(proj, 'src'), { recursive: true });
    writeFileSync(join(proj, 'package.json'), '{ "name": "precious", "version": "1.0.0" }\n');
    writeFileSync(join(proj, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(proj, '.git', 'config'), '[core]\n\trepositoryformatversion = 0\n');
    writeFileSync(join(proj, '.git', 'refs', 'heads', 'main'), '0123456789abcdef0123456789abcdef01234567\n');
    writeFileSync(join(proj, 'src', 'index.ts'), 'export const answer = 42;\n');
    model = join(proj, 'model.json');
    copyFileSync(EXAMPLE, model);
    before = snapshot(proj);
  });

  const refusals: { name: string; args: () => string[]; cwd: () => string; message: RegExp }[] = [
    { name: '--out "" (cwd = project)', args: () => ['--out', ''], cwd: () => proj, message: /--out: give the output folder/ },
    { name: '--out with no value (cwd = project)', args: () => ['--out'], cwd: () => proj, message: /--out: give the output folder/ },
    { name: '--out . (cwd = project)', args: () => ['--out', '.'], cwd: () => proj, message: /project is not empty and is not an earlier bsnn output/ },
    { name: '--out <project, absolute> (cwd elsewhere)', args: () => ['--out', proj], cwd: () => fresh('elsewhere'), message: /project is not empty and is not an earlier bsnn output/ },
    { name: '--out <project>/ with a trailing slash', args: () => ['--out', `${proj}/`], cwd: () => fresh('elsewhere'), message: /project is not empty and is not an earlier bsnn output/ },
    { name: '--out .. (cwd = project/src)', args: () => ['--out', '..'], cwd: () => join(proj, 'src'), message: /project is not empty and is not an earlier bsnn output/ },
  ];

  it.each(refusals)('$name is refused and the project is unchanged', async ({ args, cwd, message }) => {
    const r = await run(['gen-rtl', model, ...args()], cwd());
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBeNull();
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout).not.toMatch(/wrote/);
    expectSameSnapshot(snapshot(proj), before);
    expect(leftovers(proj)).toEqual([]);
  });

  it('--out naming an existing regular file is refused and the file is unchanged', async () => {
    const dir = fresh('file');
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'do not replace me\n');
    const st = statSync(file);
    const r = await run(['gen-rtl', model, '--out', file], dir);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/notes\.txt exists and is not a folder/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(readFileSync(file, 'utf8')).toBe('do not replace me\n');
    expect(statSync(file).mtimeMs).toBe(st.mtimeMs);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('--out below a regular file is refused with a message, not a stack trace', async () => {
    const dir = fresh('under-file');
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'a file, not a folder\n');
    const r = await run(['gen-rtl', model, '--out', join(file, 'out')], dir);
    expect(r.status).not.toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('a file, not a folder\n');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).toMatch(/^bsnn: .*notes\.txt/);
  });

  it('an empty existing folder is filled', async () => {
    const dir = fresh('empty');
    const r = await run(['gen-rtl', model, '--out', dir], dir);
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(true);
  });

  it('re-running into an earlier bsnn output replaces it as a whole', async () => {
    const dir = fresh('rerun');
    const out = join(dir, 'out');
    expect((await run(['gen-rtl', model, '--out', out], dir)).status).toBe(0);
    writeFileSync(join(out, 'rtl', 'stale.v'), '// left over from an older design\n');
    const r = await run(['gen-rtl', model, '--out', out, '--lanes', '1'], dir);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const ref = join(dir, 'reference');
    expect((await run(['gen-rtl', model, '--out', ref, '--lanes', '1'], dir)).status).toBe(0);
    const got = fileBytes(out);
    const want = fileBytes(ref);
    expect([...got.keys()]).toEqual([...want.keys()]);
    for (const [k, v] of want) expect(got.get(k)!.equals(v), k).toBe(true);
    expect(got.has('rtl/stale.v')).toBe(false);
    expect(leftovers(out)).toEqual([]);
  });
});

describe('simulate', () => {
  let ws: string;
  let model: string;
  beforeAll(() => {
    ws = fresh('sim');
    model = modelCopy(ws);
  });

  const argmaxLowest = (v: number[]) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);

  it('--json prints one object with class, votes and spikesPerLayer; class is the argmax of votes', async () => {
    const r = await run(['simulate', model, '--input', '0.1,0.8,0.9,0.2', '--json'], ws);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const o = JSON.parse(lines[0]) as { class: number; votes: number[]; spikesPerLayer: number[] };
    expect(o.votes).toHaveLength(3);
    expect(o.votes.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    expect(o.spikesPerLayer).toHaveLength(2);
    expect(o.spikesPerLayer.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    expect(o.class).toBe(argmaxLowest(o.votes));
    // Deterministic: the same input gives the same object.
    expect((await run(['simulate', model, '--input', '0.1,0.8,0.9,0.2', '--json'], ws)).stdout).toBe(r.stdout);
  });

  it('a tie goes to the lowest index', async () => {
    const tie = {
      format: 'bsnn/1',
      name: 'tie',
      seed: 7,
      timesteps: 4,
      sampling: { mode: 'time-ensemble', samples: 1 },
      input: { size: 4, encoding: 'direct' },
      layers: [{ size: 3, probBits: 1, probCodes: [[0, 0, 0, 0], [1, 1, 1, 1], [1, 1, 1, 1]], threshold: 1 }],
    };
    const file = join(ws, 'tie.json');
    writeFileSync(file, JSON.stringify(tie));
    const r = await run(['simulate', file, '--input', '0.1,0.8,0.9,0.2', '--json'], ws);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const o = JSON.parse(r.stdout) as { class: number; votes: number[]; spikesPerLayer: number[] };
    expect(o.votes).toHaveLength(3);
    expect(o.votes[0]).toBe(0);
    expect(o.votes[1]).toBeGreaterThan(0);
    expect(o.votes[2]).toBe(o.votes[1]);
    expect(o.class).toBe(1);
    expect(o.spikesPerLayer).toEqual([o.votes[1] + o.votes[2]]);
  });

  it.each([
    { input: '0.1,0.8,0.9', message: /--input: has 3 values, the model expects 4/ },
    { input: '0.1,0.8,0.9,0.2,0.5', message: /--input: has 5 values, the model expects 4/ },
    { input: '0.1,0.8,0.9,1.2', message: /--input: value 4 \("1\.2"\) is not a number in \[0,1\]/ },
    { input: '-0.1,0.8,0.9,0.2', message: /--input: value 1 \("-0\.1"\) is not a number in \[0,1\]/ },
    { input: '0.1,abc,0.9,0.2', message: /--input: value 2 \("abc"\) is not a number in \[0,1\]/ },
  ])('--input $input is refused', async ({ input, message }) => {
    const r = await run(['simulate', model, `--input=${input}`], ws);
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBeNull();
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout).toBe('');
  });
});

describe('cosim', () => {
  it('iverilog, 5 inputs: bit-exact', async () => {
    const ws = fresh('cosim');
    const model = modelCopy(ws);
    const r = await run(['cosim', model, '--sim', 'iverilog', '--inputs', '5'], ws);
    expect(r.status).toBe(0);
    // Each step on stderr as it starts, so a long run is never silent.
    expect(r.stderr.trim().split('\n')).toEqual([
      'bsnn cosim: generating the design and the testbench',
      'bsnn cosim: iverilog compile',
      'bsnn cosim: simulating 5 random 8-bit input vectors (seed 1) in iverilog',
      'bsnn cosim: comparing with the golden model',
    ]);
    const lines = r.stdout.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^cosim \(iverilog, output layer\): 5 inputs compared, 0 mismatched; checked: class and 3 votes of every input, \d+ output spikes, and the cycles of every inference against the cycle model — bit-exact$/);
    expect(readdirSync(ws)).toEqual(['yinyang.json']);
  });

  it('--dataset: simulates the test split\'s first inputs, and refuses a data set of another input size', async () => {
    const ws = fresh('cosim-dataset');
    const model = modelCopy(ws);
    const r = await run(['cosim', model, '--dataset', 'yinyang', '--inputs', '3'], ws);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('bsnn cosim: simulating the first 3 inputs of the yinyang test split in iverilog\n');
    expect(r.stdout).toMatch(/3 inputs compared, 0 mismatched/);
    const wrong = await run(['cosim', model, '--dataset', 'mnist', '--inputs', '3'], ws);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/^bsnn: mnist \(test split\): examples of 784 values, model \w+ takes 4\n$/);
  });

  it('a model that records its data set: cosim and evaluate default to it, and say when told another', async () => {
    const ws = fresh('recorded');
    const model = join(ws, 'recorded.json');
    writeFileSync(model, JSON.stringify({ ...EXAMPLE_MODEL, dataset: 'yinyang' }));
    const c = await run(['cosim', model, '--inputs', '2'], ws);
    expect(c.status, c.stderr).toBe(0);
    expect(c.stderr).toContain('bsnn cosim: simulating the first 2 inputs of the yinyang test split (the data set the model records) in iverilog\n');
    const e = await run(['evaluate', model, '--limit', '10', '--json'], ws);
    expect(e.status, e.stderr).toBe(0);
    expect(JSON.parse(e.stdout)).toMatchObject({ dataset: 'yinyang', split: 'test', n: 10 });
    const other = await run(['cosim', model, '--dataset', 'mnist', '--inputs', '2'], ws);
    expect(other.stderr.split('\n')[0]).toBe('bsnn: warning: yinyang was trained on yinyang, not mnist');
    // A model that records nothing: evaluate needs --dataset.
    const bare = await run(['evaluate', modelCopy(fresh('bare')), '--limit', '10'], ws);
    expect(bare.status).toBe(1);
    expect(bare.stderr).toBe('bsnn: --dataset: yinyang does not record the data set it was trained on; give --dataset\n');
  });

  it('a potential readout: says that class and signed votes were compared, not "0 spikes"', async () => {
    const ws = fresh('cosim-potential');
    const model = join(ws, 'potential.json');
    writeFileSync(model, JSON.stringify(randomModel({ seed: 3, name: 'pot', inputs: 4, layers: [8, 3], timesteps: 4, readout: 'potential' })));
    const r = await run(['cosim', model, '--inputs', '2'], ws);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(
      'cosim (iverilog, output layer): 2 inputs compared, 0 mismatched; checked: class and 3 signed votes (potential readout: the output layer does not spike) of every input, and the cycles of every inference against the cycle model — bit-exact',
    );
  });

  it('--vcd: refused before simulating when the estimate exceeds --max-vcd-mb; within it, the file is no larger than estimated', async () => {
    const ws = fresh('cosim-vcd');
    const model = modelCopy(ws);
    const refused = await run(['cosim', model, '--inputs', '20', '--vcd', 'big.vcd', '--max-vcd-mb', '1'], ws);
    expect(refused.status).toBe(1);
    const m = /^bsnn: --vcd: the VCD would be up to about (\d+) MB \(20 inputs, up to (\d+) MB each\), over --max-vcd-mb 1; (use --inputs (\d+) or fewer|raise --max-vcd-mb)/.exec(refused.stderr);
    expect(m, refused.stderr).not.toBeNull();
    expect(readdirSync(ws)).toEqual(['yinyang.json']);
    const ok = await run(['cosim', model, '--inputs', '1', '--vcd', 'one.vcd'], ws);
    expect(ok.status, ok.stderr).toBe(0);
    const estimatedMB = Number(/the VCD will be up to about (\d+) MB/.exec(ok.stderr)?.[1]);
    const actualMB = statSync(join(ws, 'one.vcd')).size / 1e6;
    expect(actualMB).toBeGreaterThan(0);
    // An upper estimate within a factor of about 2 (as measured on the bundled examples), rounded to 1 MB.
    expect(actualMB).toBeLessThanOrEqual(estimatedMB + 0.5);
    expect(actualMB).toBeGreaterThanOrEqual(estimatedMB / 3 - 0.5);
  });
});

describe('usage errors', () => {
  let ws: string;
  let model: string;
  beforeAll(() => {
    ws = fresh('usage');
    model = modelCopy(ws);
  });

  it.each([
    { name: 'an unknown command', args: () => ['frobnicate'], message: /Unknown argument: frobnicate/ },
    { name: 'no command', args: () => [], message: /name a command/ },
    { name: 'gen-rtl without --out', args: () => ['gen-rtl', model], message: /Missing required argument: out/ },
    { name: 'gen-rtl without a model', args: () => ['gen-rtl', '--out', join(ws, 'o')], message: /Not enough non-option arguments|model/ },
    { name: 'simulate without --input', args: () => ['simulate', model], message: /Missing required argument: input/ },
    { name: 'an unknown option', args: () => ['simulate', model, '--input', '0,0,0,0', '--bogus'], message: /Unknown argument: bogus/ },
    { name: 'a misspelt command', args: () => ['genrtl', model], message: /unknown command "genrtl"\. Did you mean gen-rtl\?/ },
    { name: 'a misspelt option', args: () => ['simulate', model, '--input', '0,0,0,0', '--jsno'], message: /Unknown argument: jsno\n--jsno: did you mean --json\?/ },
    { name: 'a misspelt option beside a missing one', args: () => ['gen-rtl', model, '--otu', join(ws, 'o')], message: /Missing required argument: out\n--otu: did you mean --out\?/ },
    { name: 'an option of another command', args: () => ['simulate', model, '--input', '0,0,0,0', '--board', 'pynq-z2'], message: /Unknown argument: board/ },
  ])('$name: non-zero exit with usage text', async ({ args, message }) => {
    const r = await run(args(), ws);
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBeNull();
    const all = r.stdout + r.stderr;
    expect(all).toMatch(message);
    expect(all).toMatch(/^bsnn /m);
    expect(all).toMatch(/Options:/);
    expect(all).not.toMatch(STACK_LINE);
    expect(readdirSync(ws)).toEqual(['yinyang.json']);
  });
});

describe('one option vocabulary across commands', () => {
  let ws: string;
  let model: string;
  beforeAll(() => {
    ws = fresh('vocab');
    model = modelCopy(ws); // 4-32-3
  });

  it('--lanes above a layer\'s size: one value is capped per layer (and said), a list value or one above every layer is refused', async () => {
    const capped = await run(['gen-rtl', model, '--out', 'capped', '--lanes', '8'], ws);
    expect(capped.status, capped.stderr).toBe(0);
    expect(capped.stderr).toBe('bsnn: --lanes 8: layer 1 has 3 neurons and gets 3 lanes\n');
    const manifest = readFileSync(join(ws, 'capped', 'manifest.json'), 'utf8');
    // The same design as asking for 8,3 explicitly.
    expect((await run(['gen-rtl', model, '--out', 'explicit', '--lanes', '8,3'], ws)).status).toBe(0);
    expect(readFileSync(join(ws, 'explicit', 'manifest.json'), 'utf8')).toBe(manifest);
    for (const [cmd, extra] of [['gen-rtl', ['--out', 'never']], ['simulate', ['--input', '0,0,0,0']], ['cosim', []]] as const) {
      const tooMany = await run([cmd, model, ...extra, '--lanes', '1000'], ws);
      expect(tooMany.status, cmd).toBe(1);
      expect(tooMany.stderr).toBe('bsnn: --lanes: 1000 lanes is more than the largest layer has neurons (32); give at most 32\n');
      const listed = await run([cmd, model, ...extra, '--lanes', '8,4'], ws);
      expect(listed.status, cmd).toBe(1);
      expect(listed.stderr).toBe('bsnn: --lanes: 4 lanes for layer 1, which has 3 neurons; give at most 3\n');
    }
    expect(existsSync(join(ws, 'never'))).toBe(false);
  });

  it('gen-rtl and estimate take the same --board, --part and --clock-mhz, and refuse the same names', async () => {
    const g = await run(['gen-rtl', model, '--out', 'z7', '--part', 'xc7z010clg400-1', '--clock-mhz', '50'], ws);
    expect(g.status, g.stderr).toBe(0);
    const e = await run(['estimate', model, '--part', 'xc7z010clg400-1', '--clock-mhz', '50', '--synth', 'none', '--json', '--inputs', '2'], ws);
    expect(e.status, e.stderr).toBe(0);
    const j = JSON.parse(e.stdout);
    expect([j.report.part.part, j.report.timing.clockMHz]).toEqual(['xc7z010clg400-1', 50]);
    const b = JSON.parse((await run(['estimate', model, '--board', 'zedboard', '--synth', 'none', '--json', '--inputs', '2'], ws)).stdout);
    expect(b.report.part.part).toBe('xc7z020clg484-1');
    // The old estimate spelling still works, unadvertised; 75 MHz is no FCLK, so both build 1000/14 MHz and say so.
    const old = await run(['estimate', model, '--clock', '75', '--synth', 'none', '--json', '--inputs', '2'], ws);
    expect(JSON.parse(old.stdout).report.timing).toMatchObject({ clockMHz: 71.428571, clockSource: '--clock-mhz 75' });
    expect(old.stderr).toMatch(/^bsnn: --clock-mhz 75: the PS7 cannot make 75 MHz .* building at 71\.428571 MHz/);
    const g75 = await run(['gen-rtl', model, '--out', 'z75', '--clock-mhz', '75'], ws);
    expect(g75.stderr).toBe(old.stderr);
    expect(JSON.parse(readFileSync(join(ws, 'z75', 'manifest.json'), 'utf8')).clockMHz).toBe(71.428571);
    expect((await run(['estimate', '--help'], ws)).stdout).not.toMatch(/--clock\b(?!-)/);
    for (const cmd of [['gen-rtl', model, '--out', 'bad'], ['estimate', model, '--synth', 'none']]) {
      const device = await run([...cmd, '--part', 'xc7z020'], ws);
      expect(device.status).toBe(1);
      expect(device.stderr).toMatch(/^bsnn: --part: "xc7z020" names a device only; give its package and speed grade as Vivado spells them, e\.g\. xc7z020clg400-1/);
      const clock = await run([...cmd, '--clock-mhz', '0'], ws);
      expect(clock.stderr).toMatch(/^bsnn: --clock-mhz: "0" is not a positive number of MHz, or auto/);
      expect((await run([...cmd, '--clock-mhz', '300'], ws)).stderr).toMatch(/^bsnn: --clock-mhz: 300 MHz is not a PL clock the Zynq PS can make \(0\.252 to 250 MHz\)/);
      expect((await run([...cmd, '--part', 'XC7Z020-1CLG400C'], ws)).stderr).toMatch(/^bsnn: --part: "XC7Z020-1CLG400C" is an ordering code, not a Vivado part name; .* e\.g\. xc7z020clg400-1/);
    }
    expect(existsSync(join(ws, 'bad'))).toBe(false);
  });

  it('every command\'s --help shows its defaults', async () => {
    // Each command's help is run once and read for every check below.
    const texts = new Map<string, string>();
    const help = async (cmd: string) => {
      if (!texts.has(cmd)) {
        const r = await run([cmd, '--help'], ws);
        expect(r.status, cmd).toBe(0);
        texts.set(cmd, r.stdout);
      }
      return texts.get(cmd)!;
    };
    expect(await help('train')).toMatch(/--hidden[\s\S]*\[default: yinyang 256,256; mnist 512; idx 512; --arch conv 256\]/);
    expect(await help('train')).toMatch(/--epochs[\s\S]*\[default: yinyang 80; mnist 40; idx 12; --arch conv 14\]/);
    expect(await help('gen-rtl')).toMatch(/--clock-mhz[\s\S]*\[default: 100, checked against the Fmax bsnn estimate recorded/);
    expect(await help('gen-rtl')).toMatch(/--board[\s\S]*\[default: pynq-z2\]/);
    expect(await help('estimate')).toMatch(/--clock-mhz[\s\S]*\[default: 100, what gen-rtl builds by default\]/);
    expect(await help('estimate')).toMatch(/--sweep-lanes/);
    expect(await help('import')).toMatch(/--timesteps[\s\S]*\[default: 32\]/);
    expect(await help('evaluate')).toMatch(/--samples[\s\S]*\[default: 4\]/);
    // Every option of every command has a description and, unless required or a flag, a default.
    for (const cmd of ['gen-rtl', 'cosim', 'simulate', 'estimate', 'train', 'evaluate', 'import', 'export', 'make-random']) {
      const lines = (await help(cmd)).split('\nOptions:\n')[1].split(/\n(?=  --)/);
      for (const opt of lines.filter((l) => !/^  --(help|version)\b/.test(l))) {
        expect(opt, `${cmd}: ${opt}`).toMatch(/\[required\]|\[default:\s|\[boolean\]|--(html|md|vcd|work|input|dataset|data|perturb|plots|nir|dt|check-inputs|sweep-lanes|sweep-prob-bits)\b/);
      }
    }
  });
});
