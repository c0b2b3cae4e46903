/**
 * The C side: the example compiles against the generated header (gcc -std=c99 -Wall -Wextra -Werror), on
 * Linux with polling or the UIO interrupt and bare metal; and the header, compiled and run against a register
 * array filled from AXI_REGISTERS, finds every register where the wrapper has it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelHashWords } from '../generator/emit/axi.js';
import { cNames } from '../generator/host/c-header.js';
import { emitHostFiles, hostView, type HostView } from '../generator/host/index.js';
import { hostCases, run, writeFiles } from './helpers/host.js';

const work = mkdtempSync(join(tmpdir(), 'bsnn-host-c-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const GCC = ['-std=c99', '-Wall', '-Wextra', '-Werror'];

/** Stand-in for the Xilinx standalone BSP's cache header, with the signatures the BSP declares. */
const XIL_CACHE_STUB = `#include <stdint.h>
typedef intptr_t INTPTR;
void Xil_DCacheFlushRange(INTPTR adr, uint32_t len);
void Xil_DCacheInvalidateRange(INTPTR adr, uint32_t len);
`;

describe('the C example compiles against the generated header', () => {
  const stubDir = join(work, 'bsp');
  writeFiles(stubDir, [{ path: 'xil_cache.h', content: XIL_CACHE_STUB }]);
  for (const c of hostCases()) {
    it(c.label, async () => {
      const dir = join(work, c.label.replace(/\W+/g, '-'));
      const files = emitHostFiles(c.plan, c.map);
      writeFiles(dir, files);
      const example = join(dir, `driver/${c.plan.name}_example.c`);
      for (const flags of [[], ['-DBSNN_USE_IRQ'], ['-DBSNN_BAREMETAL', '-I', stubDir]]) {
        const r = await run('gcc', [...GCC, '-fsyntax-only', '-I', join(dir, 'driver'), ...flags, example]);
        expect(r.out, `gcc ${flags.join(' ')}`).toBe('');
        expect(r.code).toBe(0);
      }
      // The header on its own is pedantic C99 too.
      const only = join(dir, 'only-header.c');
      writeFileSync(only, `#include "${c.plan.name}_regs.h"\nint main(void) { return 0; }\n`);
      const r = await run('gcc', [...GCC, '-pedantic', '-fsyntax-only', '-I', join(dir, 'driver'), only]);
      expect(r.out).toBe('');
      expect(r.code).toBe(0);
    });
  }
});

/** A program that exercises the header on an array standing in for the AXI4-Lite window. */
function probeProgram(v: HostView): string {
  const n = cNames(v);
  const M = n.macro;
  const at = (name: string) => v.registers.find((r) => r.name === name)!.offset / 4;
  const fill = [
    `regs[${at('ID_FORMAT')}] = ${v.idFormat}u;`,
    ...v.hashRegisters.map((r, i) => `regs[${r.offset / 4}] = ${v.hashWords[i]}u;`),
    `regs[${at('CONTROL')}] = 5u; /* start_on_stream | irq_enable, as the wrapper reads them */`,
  ];
  // Signed: -3 as a voteBits-bit field and sign-extended to 32 bits. Unsigned: the largest and smallest count.
  const [a, b] = v.votesSigned ? [2 ** v.voteBits - 3, 0xfffffffd] : [v.timesteps * v.samples, 0];
  return `#include <stdio.h>
#include "${v.name}_regs.h"
static uint32_t regs[64];
int main(void)
{
    volatile uint32_t *base = regs;
    ${fill.join('\n    ')}
${v.registers.map((r) => `    printf("reg ${r.name} %lu\\n", (unsigned long)${n.reg(r)});`).join('\n')}
    printf("id %d\\n", ${n.fn}_check_id(base));
    regs[${v.hashRegisters[3].offset / 4}] ^= 0x100u;
    printf("id-hash %d\\n", ${n.fn}_check_id(base));
    regs[${v.hashRegisters[3].offset / 4}] ^= 0x100u;
    regs[${at('ID_FORMAT')}] = 0x00B50002u;
    printf("id-format %d\\n", ${n.fn}_check_id(base));
    ${n.fn}_start(base);
    printf("start %lu\\n", (unsigned long)regs[${at('CONTROL')}]);
    regs[${at('CONTROL')}] = 5u;
    ${n.fn}_set_control_bit(base, ${M}_CONTROL_IRQ_ENABLE, 0);
    printf("irq-off %lu\\n", (unsigned long)regs[${at('CONTROL')}]);
    printf("vote %ld %ld\\n", (long)${n.fn}_vote(${a}u), (long)${n.fn}_vote(${b}u));
    printf("words %lu %lu %lu %lu\\n", (unsigned long)${M}_OUT_WORDS, (unsigned long)${M}_OUT_WORD_VOTES,
           (unsigned long)${M}_OUT_WORD_CYCLES, (unsigned long)${M}_IN_BYTES);
    return 0;
}
`;
}

describe('the C header, compiled and run on a stand-in register window', () => {
  for (const c of hostCases()) {
    it(c.label, async () => {
      const v = hostView(c.plan, c.map);
      const dir = join(work, `probe-${c.label.replace(/\W+/g, '-')}`);
      writeFiles(dir, [...emitHostFiles(c.plan, c.map), { path: 'probe.c', content: probeProgram(v) }]);
      const exe = join(dir, 'probe');
      const built = await run('gcc', [...GCC, '-pedantic', '-I', join(dir, 'driver'), '-o', exe, join(dir, 'probe.c')]);
      expect(built.out).toBe('');
      expect(built.code).toBe(0);
      const r = await run(exe, []);
      expect(r.code).toBe(0);
      const lines = r.out.trim().split('\n');
      const value = (key: string) => lines.find((l) => l.startsWith(`${key} `))!.slice(key.length + 1);

      // Every offset as in the register map the wrapper is built from.
      const offsets = lines.filter((l) => l.startsWith('reg ')).map((l) => l.split(' ').slice(1));
      expect(offsets).toEqual(c.map.registers.map((r) => [r.name, String(r.offset)]));
      // The hash words in the header are the plan's, and check_id tells a wrong hash from a wrong format.
      expect(v.hashWords).toEqual(modelHashWords(c.plan));
      expect(value('id')).toBe('0');
      expect(value('id-hash')).toBe('2');
      expect(value('id-format')).toBe('1');
      // start keeps start_on_stream and irq_enable; clearing a bit keeps the others.
      expect(Number(value('start'))).toBe(5 | 8);
      expect(Number(value('irq-off'))).toBe(1);
      // Votes: signed only for a potential readout.
      expect(value('vote')).toBe(c.plan.signedVotes ? '-3 -3' : `${c.plan.timesteps * c.plan.samples} 0`);
      expect(value('words')).toBe(`${c.plan.outputs + 2} 1 ${c.plan.outputs + 1} ${c.plan.input.size}`);
    });
  }
});
