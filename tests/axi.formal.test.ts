import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AXI_CHECKS, checkAxiProtocol, reachResultPacket } from '../generator/formal/axi.js';
import { planModel } from '../generator/ir/plan.js';
import { loadModel } from '../generator/model/load.js';
import { PACKAGE_ROOT } from '../generator/util/paths.js';
import { plannedRandom } from './helpers/designs.js';

// The smallest network that still has every part of the wrapper: 1 input, 2 classes (4 result beats), T = 1.
// Its first result packet can complete in cycle 33 (reset, one input beat, 22 core cycles, C + 1 summing
// cycles, 4 beats). Yosys checks an assertion of a clocked block one step late, so depth N covers cycles
// 1..N-1: the packet is seen from depth 34 on (depth 33 finds none, measured), and FORMAL_DEPTH = 36 leaves
// cycles after it, so a soft reset written while the packet waits is covered.
const plan = plannedRandom({ seed: 3, inputs: 1, layers: [2], timesteps: 1, probBits: 1 });
const FORMAL_DEPTH = 36;

describe('AXI protocol, bounded model check (Yosys sat) of the generated wrapper with its core', () => {
  it(`the depth ${FORMAL_DEPTH} reaches a whole result packet (the claim "no packet completes" is refuted)`, async () => {
    const r = await reachResultPacket(plan, FORMAL_DEPTH);
    expect(r.step).not.toBeNull();
    // no earlier than the first cycle a packet can complete (see above; not rerun at depth 33 for time)
    expect(r.step!).toBeGreaterThanOrEqual(33);
  }, 120_000);

  it(`every AXI4-Lite and AXI4-Stream property holds for ${FORMAL_DEPTH} cycles from reset`, async () => {
    const r = await checkAxiProtocol(plan, { depth: FORMAL_DEPTH });
    expect(r.failures).toEqual([]);
    expect(r.proved).toBe(true);
  }, 120_000);

  // The old wrapper (before issue 15): a soft reset took effect at once, so st left W_TX and m_axis_tvalid
  // fell while the beat waited for TREADY.
  it('fails on the old soft reset that dropped TVALID without a handshake', async () => {
    const old = (v: string) => {
      const out = v.replace('wire        soft_go = soft_req & (st != W_TX);', 'wire        soft_go = soft_req;');
      expect(out, 'the old behaviour was re-injected').not.toBe(v);
      return out;
    };
    const r = await checkAxiProtocol(plan, { depth: FORMAL_DEPTH, patchWrapper: old });
    expect(r.proved).toBe(false);
    // it needs a result beat waiting, so it shows only near the full depth
    expect(r.failures.find((f) => f.check === 'out_props.ok_hold')?.step).toBeGreaterThan(30);
  }, 120_000);

  it('fails on TVALID in the cycle after reset (the registered reset not yet in force)', async () => {
    const patch = (v: string) => v.replace('assign m_axis_tvalid = (st == W_TX) & ~rst_q;', 'assign m_axis_tvalid = (st == W_TX);');
    const r = await checkAxiProtocol(plan, { depth: FORMAL_DEPTH, patchWrapper: patch });
    expect(r.proved).toBe(false);
    expect(r.failures.map((f) => f.check)).toContain('out_props.ok_reset');
  }, 120_000);

  it('fails on an AXI4-Lite read response that does not wait for RREADY', async () => {
    const patch = (v: string) => v.replace('end else if (s_axi_rvalid && s_axi_rready) begin', 'end else if (s_axi_rvalid) begin');
    const r = await checkAxiProtocol(plan, { depth: 8, patchWrapper: patch });
    expect(r.proved).toBe(false);
    expect(r.failures.map((f) => f.check)).toEqual(['lite_props.ok_r_hold']);
  }, 60_000);

  // The bundled example's own wrapper, around a core whose outputs the solver picks freely (its real core needs
  // thousands of cycles per inference): depth 24 reaches a packet (one completed by cycle 19 when measured).
  describe('examples/yinyang.json, its wrapper around a free core', () => {
    const yinyang = planModel(loadModel(join(PACKAGE_ROOT, 'examples', 'yinyang.json')));
    it('depth 24 reaches a whole packet, and every property holds', async () => {
      expect((await reachResultPacket(yinyang, 24, 'free')).step).not.toBeNull();
      const r = await checkAxiProtocol(yinyang, { depth: 24, core: 'free' });
      expect(r.failures).toEqual([]);
      expect(r.proved).toBe(true);
    }, 120_000);
    it('and the old soft reset fails there too', async () => {
      const r = await checkAxiProtocol(yinyang, { depth: 24, core: 'free', patchWrapper: (v) => v.replace('soft_req & (st != W_TX);', 'soft_req;') });
      expect(r.failures.map((f) => f.check)).toContain('out_props.ok_hold');
    }, 120_000);
  });

  it('names only checks it knows', () => {
    expect(new Set(AXI_CHECKS).size).toBe(AXI_CHECKS.length);
  });
});
