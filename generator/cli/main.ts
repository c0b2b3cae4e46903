/**
 * The `bsnn` command line. Each command is a thin shell over the library; errors for users are BsnnError.
 * Only yargs and the option definitions load up front: a command's runner (and tfjs, vega, ts-morph, h5wasm,
 * Yosys behind it) is imported when that command runs, so `bsnn --help` and `--version` answer at once.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { BsnnError } from '../util/errors.js';
import { closest } from '../util/suggest.js';
import {
  cosimCommand,
  estimateCommand,
  evaluateCommand,
  exportCommand,
  genRtlCommand,
  importCommand,
  makeRandomCommand,
  simulateCommand,
  trainCommand,
} from './commands.js';

/** Runners take the parsed options; yargs' inferred types are wider than theirs (choices, positionals). */
type Parsed = any;

/**
 * yargs' message plus "did you mean": the command for an unknown one, and the closest option of the command
 * being parsed for every `--flag` it does not know (even when another error, such as a missing --out, came first).
 */
function withSuggestions(msg: string, argv: readonly string[], known: string[]): string {
  if (msg.startsWith('Did you mean')) return `unknown command "${argv[0]}". ${msg}`;
  const knownSet = new Set(known);
  const hints = argv.flatMap((arg) => {
    const m = /^--([^=]+)/.exec(arg);
    if (!m || knownSet.has(m[1]) || (m[1].startsWith('no-') && knownSet.has(m[1].slice(3)))) return [];
    const guess = closest(m[1], known);
    return guess === undefined ? [] : [`--${m[1]}: did you mean --${guess}?`];
  });
  return [msg, ...hints].join('\n');
}

/** yargs' own record of the options defined so far (public on the instance, missing from its typings). */
const knownOptions = (y: object): string[] => Object.keys((y as { getOptions(): { key: Record<string, unknown> } }).getOptions().key);

export function buildCli(argv: string[]) {
  const cli = yargs(argv)
    .scriptName('bsnn')
    .strict()
    .recommendCommands()
    .demandCommand(1, 'name a command')
    .command('gen-rtl <model>', 'generate Verilog, memory images and a manifest (and Vivado files for a board or part)', genRtlCommand, async (a) =>
      (await import('./design.js')).runGenRtl(a as Parsed),
    )
    .command('cosim <model>', 'simulate the generated RTL and compare every spike with the golden model', cosimCommand, async (a) =>
      (await import('./design.js')).runCosim(a as Parsed),
    )
    .command('simulate <model>', 'run the golden model on one input', simulateCommand, async (a) => (await import('./design.js')).runSimulate(a as Parsed))
    .command('estimate <model>', 'resources, timing, throughput, power and energy before Vivado runs (or a sweep: --sweep-lanes, --sweep-prob-bits)', estimateCommand, async (a) =>
      (await import('./estimate.js')).runEstimate(a as Parsed),
    )
    .command('train', 'train a binary-weight Bayesian SNN (tfjs) and write it as a bsnn/1 model', trainCommand, async (a) => (await import('./train.js')).runTrain(a as Parsed))
    .command(
      'evaluate <model>',
      'accuracy, NLL, ECE, entropy and spikes per inference on a data set (golden model), with baselines and perturbations',
      evaluateCommand,
      async (a) => (await import('./evaluate.js')).runEvaluate(a as Parsed),
    )
    .command('import <nir>', 'convert a NIR file (Affine/Linear/Conv2d + IF/LIF/LI, Sum/AvgPool2d, Flatten) into a bsnn/1 model, with a conversion report', importCommand, async (a) =>
      (await import('./nir.js')).runImport(a as Parsed),
    )
    .command('export <model>', 'write a bsnn/1 model as NIR (mean weights, neuron parameters, probability codes under /bsnn)', exportCommand, async (a) =>
      (await import('./nir.js')).runExport(a as Parsed),
    )
    .command('make-random', 'write a random bsnn/1 model (for smoke tests before a trained model exists)', makeRandomCommand, async (a) =>
      (await import('./design.js')).runMakeRandom(a as Parsed),
    )
    .help();
  // The options yargs knows at failure time are those of the command being parsed.
  return cli.fail((msg, err, usage) => {
    if (err) throw err;
    console.error(`bsnn: ${withSuggestions(msg, argv, knownOptions(cli))}\n`);
    usage.showHelp();
    process.exit(2);
  });
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli(argv).parseAsync();
  } catch (e) {
    if (e instanceof BsnnError) {
      console.error(`bsnn: ${e.message}`);
      process.exitCode = 1;
      return;
    }
    // Anything else is a bug in bsnn: say so in one line first, then the stack for the report (Node's own
    // report of an uncaught error starts with the source line, which for minified WebAssembly glue is huge).
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    console.error(`bsnn: internal error (a bug in bsnn; please report it with the command and its input): ${message}`);
    if (e instanceof Error && e.stack) console.error(e.stack);
    process.exitCode = 1;
  }
}

await main(hideBin(process.argv));
