/**
 * exactlyTree (emit.ts), the conv layer's "exactly one / exactly two lanes set" tests, in Icarus against a popcount:
 * every value for small widths (powers of two and not), random values at 64 lanes, the example's width.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { prng } from '../../model/random.js';
import { exactlyTree } from './emit.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'bsnn-exactly-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const popcount = (bits: string) => [...bits].filter((b) => b === '1').length;

/** The values driven, as P-bit binary strings, and what the two trees said for each. */
async function simulate(P: number, values: string[]): Promise<{ one: number; two: number }[]> {
  const dir = mkdtempSync(join(work, `p${P}-`));
  const tb = [
    'module tb;',
    `    reg [${P - 1}:0] v;`,
    exactlyTree('is_one', 'v', P, 1),
    exactlyTree('is_two', 'v', P, 2),
    '    initial begin',
    ...values.flatMap((x) => [`        v = ${P}'b${x}; #1;`, '        $display("%0d %0d", is_one, is_two);']),
    '        $finish;',
    '    end',
    'endmodule',
  ].join('\n');
  writeFileSync(join(dir, 'tb.v'), tb);
  await run('iverilog', ['-g2012', '-o', 'sim', 'tb.v'], { cwd: dir });
  const { stdout } = await run('vvp', ['-n', 'sim'], { cwd: dir, maxBuffer: 16 << 20 });
  return stdout
    .trim()
    .split('\n')
    .filter((l) => /^\d \d$/.test(l))
    .map((l) => ({ one: Number(l[0]), two: Number(l[2]) }));
}

describe('exactlyTree: exactly one, exactly two bits set', () => {
  for (const P of [1, 2, 3, 5, 8, 9]) {
    it(`every value of ${P} bits`, async () => {
      const values = Array.from({ length: 2 ** P }, (_, x) => x.toString(2).padStart(P, '0'));
      const got = await simulate(P, values);
      expect(got).toHaveLength(values.length);
      expect(got).toEqual(values.map((x) => ({ one: popcount(x) === 1 ? 1 : 0, two: popcount(x) === 2 ? 1 : 0 })));
    });
  }

  it('64 bits: random values of 0 to 3 bits set, and dense ones', async () => {
    const rnd = prng(12);
    const values = Array.from({ length: 600 }, (_, i) => {
      // every fifth value about half set; the others up to 3 bits set at random places (they may coincide)
      const dense = i % 5 === 4;
      const bits = Array.from({ length: 64 }, () => (dense && rnd() < 0.5 ? '1' : '0'));
      if (!dense) for (let k = 0; k < i % 5; k++) bits[Math.floor(rnd() * 64)] = '1';
      return bits.join('');
    });
    const got = await simulate(64, values);
    expect(got).toHaveLength(values.length);
    expect(got).toEqual(values.map((x) => ({ one: popcount(x) === 1 ? 1 : 0, two: popcount(x) === 2 ? 1 : 0 })));
    expect(got.filter((g) => g.two === 1).length).toBeGreaterThan(50);
  });
});
