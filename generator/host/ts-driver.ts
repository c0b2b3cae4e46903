/**
 * driver/<name>_driver.ts: the register map and a typed driver for TypeScript hosts, built with ts-morph's
 * structure API (constants, interfaces, functions, the BsnnDriver class) in an in-memory project, then
 * formatted by the TypeScript formatter, so the output is the same byte for byte on every run.
 *
 * The generated file has no imports and no runtime dependencies: it talks to the hardware through a
 * RegisterBus the user supplies (a UIO mapping, a JTAG bridge, a simulator, a test double), and it uses only
 * erasable TypeScript (no enums, no parameter properties), so it also runs under type stripping.
 */
import {
  IndentationText,
  NewLineKind,
  Project,
  QuoteKind,
  Scope,
  VariableDeclarationKind,
  type MethodDeclarationStructure,
  type OptionalKind,
  type SourceFile,
} from 'ts-morph';
import type { EmittedFile } from '../emit/files.js';
import { BsnnError } from '../util/errors.js';
import { headerLines } from './doc.js';
import { clauses, hexOffset, lowerCamel, provenance, summary, type HostRegister, type HostView } from './view.js';

export const tsDriverPath = (v: HostView) => `driver/${v.name}_driver.ts`;

const hex = (x: number, digits = 8) => `0x${(x >>> 0).toString(16).padStart(digits, '0')}`;
const str = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const jsdoc = (s: string) => s.replaceAll('*/', '* /');

/** `{ KEY: value, ... }` with a doc comment per entry where one is given. */
function objectLiteral(entries: [key: string, value: string, doc?: string][]): string {
  return ['{', ...entries.map(([k, val, doc]) => `${doc ? `/** ${jsdoc(doc)} */\n` : ''}${k}: ${val},`), '}'].join('\n');
}

function addConst(file: SourceFile, name: string, initializer: string, doc: string, type?: string): void {
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: [jsdoc(doc)],
    declarations: [{ name, initializer, type }],
  });
}

/** The driver's own methods; a register getter may not take one of these names. */
const FIXED_METHODS = [
  'read', 'write', 'checkId', 'assertId', 'status', 'clearStatus', 'clearDone', 'control', 'setControlBit', 'setStartOnStream',
  'setInterruptEnabled', 'start', 'softReset', 'waitDone',
];

/** Registers with a plain getter (and a setter when writable): all but CONTROL, STATUS and the hash words. */
function plainRegisters(v: HostView): HostRegister[] {
  const hash = new Set(v.hashRegisters.map((r) => r.name));
  return v.registers.filter((r) => r.name !== 'CONTROL' && r.name !== 'STATUS' && !hash.has(r.name));
}

const setterName = (r: HostRegister) => `set${lowerCamel(r.name).replace(/^./, (c) => c.toUpperCase())}`;

function registerMethods(v: HostView): OptionalKind<MethodDeclarationStructure>[] {
  const methods: OptionalKind<MethodDeclarationStructure>[] = [];
  const taken = new Set(FIXED_METHODS);
  for (const r of plainRegisters(v)) {
    const get = lowerCamel(r.name);
    // The whole description, a clause per line.
    const doc = (head: string) => jsdoc([`${head}:`, ...clauses(r.description)].join('\n'));
    for (const name of r.writable ? [get, setterName(r)] : [get]) {
      if (taken.has(name)) throw new BsnnError(`registers: ${r.name} would give the driver a second method named ${name}`);
      taken.add(name);
    }
    methods.push({
      name: get,
      isAsync: true,
      returnType: 'Promise<number>',
      docs: [doc(`${r.name} (${hexOffset(r.offset)}, ${r.access})`)],
      statements: body(`return this.read(${str(r.name)});`),
    });
    if (r.writable) {
      methods.push({
        name: setterName(r),
        isAsync: true,
        parameters: [{ name: 'value', type: 'number' }],
        returnType: 'Promise<void>',
        docs: [doc(`Writes ${r.name} (${hexOffset(r.offset)})`)],
        statements: body(`await this.write(${str(r.name)}, value);`),
      });
    }
  }
  return methods;
}

/** A function or method body as one piece of text: ts-morph would put blank lines after inner blocks. */
const body = (...lines: string[]): string[] => [lines.join('\n')];

function decodeVoteBody(v: HostView): string[] {
  if (!v.votesSigned) return ['return word >>> 0;'];
  if (v.voteBits >= 32) return ['return word | 0;'];
  return [
    `const w = (word >>> 0) & ${hex(2 ** v.voteBits - 1)};`,
    `return w >= ${hex(2 ** (v.voteBits - 1))} ? w - ${hex(2 ** v.voteBits, 1)} : w;`,
  ];
}

function build(file: SourceFile, v: HostView): void {
  const title = `${v.name}_driver.ts: register map and typed driver of ${v.module}, the AXI wrapper of the bsnn network "${v.name}".`;
  const header = headerLines(v, title, provenance(v)).map((l) => (l === '' ? ' *' : ` * ${jsdoc(l)}`));
  // A plain block comment: a JSDoc one would attach to the first declaration.
  file.addStatements(['/*', ...header, ' */'].join('\n'));

  addConst(
    file,
    'MODEL',
    objectLiteral([
      ['name', str(v.name)],
      ['module', str(v.module), 'the AXI wrapper'],
      ['bsnnVersion', str(v.version), 'the bsnn that generated this file'],
      ['format', str(v.format)],
      ['hash', str(v.modelHash), 'sha256 of the planned arithmetic'],
      ['timesteps', String(v.timesteps), 'T'],
      ['samples', String(v.samples), 'S'],
      ['mode', str(v.mode)],
      ['encoding', str(v.encoding)],
      ['seed', hex(v.modelSeed), 'master seed of the model'],
      ['inputs', String(v.inputs), 'input intensities per sample'],
      ['classes', String(v.classes)],
      ['classBits', String(v.classBits)],
      ['readout', str(v.readout), 'what the votes count'],
      ['voteBits', String(v.voteBits)],
      ['votesSigned', String(v.votesSigned), v.votesSigned ? 'votes are signed sums of potentials' : 'votes are spike counts'],
    ]) + ' as const',
    'The network this driver was generated for.',
  );
  addConst(
    file,
    'REG',
    objectLiteral(v.registers.map((r) => [r.name, hexOffset(r.offset).toLowerCase(), `${r.access}: ${summary(r.description)}`])) + ' as const',
    'Register byte offsets in the AXI4-Lite window.',
  );
  file.addTypeAlias({ isExported: true, name: 'RegName', type: 'keyof typeof REG', docs: ['A register name.'] });
  addConst(
    file,
    'WRITABLE',
    `[${v.registers.filter((r) => r.writable).map((r) => str(r.name)).join(', ')}] as const`,
    'The registers whose writes reach the hardware (RW, or RW1C: write 1 to clear).',
  );
  file.addTypeAlias({ isExported: true, name: 'WritableRegName', type: '(typeof WRITABLE)[number]', docs: ['A writable register name.'] });
  addConst(file, 'REG_SPAN', hexOffset(v.span).toLowerCase(), 'Bytes of the register window in use.');
  addConst(file, 'CONTROL', objectLiteral(v.control.map((b) => [b.macro, hex(b.mask)])) + ' as const', 'CONTROL bits.');
  addConst(file, 'CONTROL_RESET_VALUE', hex(v.controlReset), 'CONTROL after reset.');
  addConst(file, 'STATUS', objectLiteral(v.status.map((b) => [b.macro, hex(b.mask)])) + ' as const', 'STATUS bits.');
  addConst(file, 'ID_FORMAT', hex(v.idFormat), 'What ID_FORMAT reads on a bsnn core of this format.');
  addConst(
    file,
    'MODEL_HASH_WORDS',
    `[${v.hashWords.map((w) => hex(w)).join(', ')}] as const`,
    `What ${v.hashRegisters[0].name}..${v.hashRegisters[v.hashRegisters.length - 1].name} read on this network, in register order.`,
  );
  addConst(
    file,
    'MODEL_HASH_REGS',
    `[${v.hashRegisters.map((r) => str(r.name)).join(', ')}] as const`,
    'The registers that hold the model hash, in the order of MODEL_HASH_WORDS.',
  );
  addConst(
    file,
    'STREAM',
    objectLiteral([
      ['inBytes', String(v.inputs), 's_axis beats per sample (one 8-bit intensity each, TLAST on the last)'],
      ['outWords', String(v.outWords), 'm_axis 32-bit words per inference (TLAST on the last)'],
      ['outWordClass', String(v.outWordClass)],
      ['outWordVotes', String(v.outWordFirstVote), 'votes of class c at word outWordVotes + c'],
      ['outWordCycles', String(v.outWordCycles)],
    ]) + ' as const',
    'Word formats of the two streams.',
  );

  file.addInterface({
    isExported: true,
    name: 'RegisterBus',
    docs: ['Access to the AXI4-Lite window: 32-bit reads and writes at byte offsets from REG. Sync or async.'],
    methods: [
      { name: 'read32', parameters: [{ name: 'offset', type: 'number' }], returnType: 'number | Promise<number>' },
      { name: 'write32', parameters: [{ name: 'offset', type: 'number' }, { name: 'value', type: 'number' }], returnType: 'void | Promise<void>' },
    ],
  });
  file.addInterface({
    isExported: true,
    name: 'Status',
    docs: ['STATUS, decoded.'],
    properties: [{ name: 'raw', type: 'number', isReadonly: true }, ...v.status.map((b) => ({ name: b.name, type: 'boolean', isReadonly: true }))],
  });
  file.addInterface({
    isExported: true,
    name: 'IdCheck',
    docs: ['What the ID registers read, against what this driver expects.'],
    properties: [
      { name: 'ok', type: 'boolean', isReadonly: true },
      { name: 'problem', type: 'string | null', isReadonly: true, docs: ['null when ok'] },
      { name: 'idFormat', type: 'number', isReadonly: true },
      { name: 'hashWords', type: 'readonly number[]', isReadonly: true },
    ],
  });
  file.addInterface({
    isExported: true,
    name: 'InferenceOutput',
    docs: ['One inference as it comes out of m_axis.'],
    properties: [
      { name: 'cls', type: 'number', isReadonly: true, docs: ['class: argmax of the votes, ties to the lowest index'] },
      { name: 'votes', type: 'readonly number[]', isReadonly: true, docs: ['one per class'] },
      { name: 'cycles', type: 'number', isReadonly: true, docs: ['clock cycles of the inference'] },
    ],
  });
  file.addInterface({
    isExported: true,
    name: 'WaitOptions',
    docs: ['How waitDone polls.'],
    properties: [
      { name: 'timeoutMs', type: 'number', hasQuestionToken: true, docs: ['give up after this long (default 5000)'] },
      { name: 'pollIntervalMs', type: 'number', hasQuestionToken: true, docs: ['pause between polls (default 0: yield only)'] },
      { name: 'sleep', type: '(ms: number) => Promise<void>', hasQuestionToken: true, docs: ['default: setTimeout'] },
      { name: 'now', type: '() => number', hasQuestionToken: true, docs: ['default: Date.now'] },
    ],
  });
  file.addClass({
    isExported: true,
    name: 'BsnnDriverError',
    extends: 'Error',
    docs: ['A wrong input, a wrong core, a dropped sample or a timeout.'],
    ctors: [{ parameters: [{ name: 'message', type: 'string' }], statements: body('super(message);', "this.name = 'BsnnDriverError';") }],
  });

  file.addFunction({
    name: 'defaultSleep',
    parameters: [{ name: 'ms', type: 'number' }],
    returnType: 'Promise<void>',
    docs: ['setTimeout where the platform has one (it is not in the ES library types), else a resolved promise.'],
    statements: body(
      'const timers = globalThis as unknown as { setTimeout?: (callback: () => void, ms: number) => unknown };',
      'return new Promise<void>((resolve) => (timers.setTimeout ? void timers.setTimeout(resolve, ms) : resolve()));',
    ),
  });
  file.addFunction({
    isExported: true,
    name: 'encodeInput',
    parameters: [{ name: 'intensities', type: 'ArrayLike<number>' }],
    returnType: 'Uint8Array',
    docs: [`The s_axis bytes of one sample: ${v.inputs} intensities, integers 0..255, in input order.`],
    statements: body(
      'if (intensities.length !== STREAM.inBytes) throw new BsnnDriverError(`encodeInput: ${intensities.length} intensities, the network takes ${STREAM.inBytes}`);',
      'const bytes = new Uint8Array(STREAM.inBytes);',
      'for (let i = 0; i < STREAM.inBytes; i++) {',
      'const x = intensities[i];',
      'if (x === undefined || !Number.isInteger(x) || x < 0 || x > 255) {',
      'throw new BsnnDriverError(`encodeInput: intensity ${i} is ${String(x)}, not an integer 0..255`);',
      '}',
      'bytes[i] = x;',
      '}',
      'return bytes;',
    ),
  });
  file.addFunction({
    isExported: true,
    name: 'decodeVote',
    parameters: [{ name: 'word', type: 'number' }],
    returnType: 'number',
    docs: [`A vote word from m_axis as a number (${v.votesSigned ? 'signed' : 'unsigned'}).`],
    statements: body(...decodeVoteBody(v)),
  });
  file.addFunction({
    isExported: true,
    name: 'decodeOutput',
    parameters: [{ name: 'words', type: 'ArrayLike<number>' }],
    returnType: 'InferenceOutput',
    docs: ['The class, votes and cycles of one inference from its m_axis words.'],
    statements: body(
      'if (words.length !== STREAM.outWords) throw new BsnnDriverError(`decodeOutput: ${words.length} words, an inference gives ${STREAM.outWords}`);',
      'const at = (i: number): number => (words[i] ?? 0) >>> 0;',
      'const votes: number[] = [];',
      'for (let c = 0; c < MODEL.classes; c++) votes.push(decodeVote(at(STREAM.outWordVotes + c)));',
      'return { cls: at(STREAM.outWordClass), votes, cycles: at(STREAM.outWordCycles) };',
    ),
  });
  file.addFunction({
    isExported: true,
    name: 'decodeStatus',
    parameters: [{ name: 'raw', type: 'number' }],
    returnType: 'Status',
    docs: ['STATUS as flags.'],
    statements: body('return {', 'raw: raw >>> 0,', ...v.status.map((b) => `${b.name}: (raw & STATUS.${b.macro}) !== 0,`), '};'),
  });

  const driverMethods: OptionalKind<MethodDeclarationStructure>[] = [
    {
      name: 'read',
      isAsync: true,
      parameters: [{ name: 'reg', type: 'RegName' }],
      returnType: 'Promise<number>',
      docs: ['Reads a register (unsigned).'],
      statements: body('return (await this.bus.read32(REG[reg])) >>> 0;'),
    },
    {
      name: 'write',
      isAsync: true,
      parameters: [{ name: 'reg', type: 'WritableRegName' }, { name: 'value', type: 'number' }],
      returnType: 'Promise<void>',
      docs: ['Writes a register.'],
      statements: body('await this.bus.write32(REG[reg], value >>> 0);'),
    },
    {
      name: 'checkId',
      isAsync: true,
      returnType: 'Promise<IdCheck>',
      docs: ['Reads ID_FORMAT and the model hash and compares them with the network this driver was generated for.'],
      statements: body(
        "const idFormat = await this.read('ID_FORMAT');",
        'const hashWords: number[] = [];',
        'for (const reg of MODEL_HASH_REGS) hashWords.push(await this.read(reg));',
        'let problem: string | null = null;',
        'if (idFormat !== ID_FORMAT) problem = `ID_FORMAT reads 0x${idFormat.toString(16)}, expected 0x${ID_FORMAT.toString(16)}: not a bsnn core of this format`;',
        'else if (hashWords.some((w, i) => w !== MODEL_HASH_WORDS[i])) problem = `the model hash differs: the core runs another network than ${MODEL.name} (${MODEL.hash})`;',
        'return { ok: problem === null, problem, idFormat, hashWords };',
      ),
    },
    {
      name: 'assertId',
      isAsync: true,
      returnType: 'Promise<void>',
      docs: ['checkId, throwing a BsnnDriverError on a mismatch.'],
      statements: body('const id = await this.checkId();', 'if (id.problem !== null) throw new BsnnDriverError(id.problem);'),
    },
    {
      name: 'status',
      isAsync: true,
      returnType: 'Promise<Status>',
      docs: ['STATUS, decoded.'],
      statements: body("return decodeStatus(await this.read('STATUS'));"),
    },
    {
      name: 'clearStatus',
      isAsync: true,
      parameters: [{ name: 'mask', type: 'number' }],
      returnType: 'Promise<void>',
      docs: ['Clears sticky STATUS bits (write 1 to clear), e.g. STATUS.DONE | STATUS.ERROR.'],
      statements: body("await this.write('STATUS', mask);"),
    },
    {
      name: 'clearDone',
      isAsync: true,
      returnType: 'Promise<void>',
      docs: ['Clears STATUS.done (and so the interrupt).'],
      statements: body('await this.clearStatus(STATUS.DONE);'),
    },
    {
      name: 'control',
      isAsync: true,
      returnType: 'Promise<number>',
      docs: ['CONTROL (the self-clearing bits read 0).'],
      statements: body("return this.read('CONTROL');"),
    },
    {
      name: 'setControlBit',
      isAsync: true,
      parameters: [{ name: 'mask', type: 'number' }, { name: 'on', type: 'boolean' }],
      returnType: 'Promise<void>',
      docs: ['Sets or clears CONTROL bits, keeping the others (a CONTROL write sets every bit).'],
      statements: body(
        "const c = (await this.read('CONTROL')) & ~(CONTROL.START | CONTROL.SOFT_RESET);",
        "await this.write('CONTROL', on ? c | mask : c & ~mask);",
      ),
    },
    {
      name: 'setStartOnStream',
      isAsync: true,
      parameters: [{ name: 'on', type: 'boolean' }],
      returnType: 'Promise<void>',
      docs: ['Whether a complete sample on s_axis starts the inference by itself (on after reset).'],
      statements: body('await this.setControlBit(CONTROL.START_ON_STREAM, on);'),
    },
    {
      name: 'setInterruptEnabled',
      isAsync: true,
      parameters: [{ name: 'on', type: 'boolean' }],
      returnType: 'Promise<void>',
      docs: ['Whether irq follows STATUS.done.'],
      statements: body('await this.setControlBit(CONTROL.IRQ_ENABLE, on);'),
    },
    {
      name: 'start',
      isAsync: true,
      returnType: 'Promise<void>',
      docs: ['Starts an inference on the input memory as it is (ignored by the core while busy or mid-sample).'],
      statements: body("await this.write('CONTROL', (await this.control()) | CONTROL.START);"),
    },
    {
      name: 'softReset',
      isAsync: true,
      returnType: 'Promise<void>',
      docs: ['Resets the core and the wrapper; CONTROL keeps its value.'],
      statements: body("await this.write('CONTROL', (await this.control()) | CONTROL.SOFT_RESET);"),
    },
    {
      name: 'waitDone',
      isAsync: true,
      parameters: [{ name: 'options', type: 'WaitOptions', initializer: '{}' }],
      returnType: 'Promise<Status>',
      docs: ['Polls STATUS until done; throws on STATUS.error without done (a dropped sample) and on timeout.'],
      statements: body(
        'const timeoutMs = options.timeoutMs ?? 5000;',
        'const sleep = options.sleep ?? defaultSleep;',
        'const now = options.now ?? Date.now;',
        'const deadline = now() + timeoutMs;',
        'while (true) {',
        'const s = await this.status();',
        'if (s.done) return s;',
        "if (s.error) throw new BsnnDriverError('STATUS.error: the core dropped a sample (TLAST early or missing)');",
        'if (now() > deadline) throw new BsnnDriverError(`STATUS.done not set after ${timeoutMs} ms`);',
        'await sleep(options.pollIntervalMs ?? 0);',
        '}',
      ),
    },
  ];
  file.addClass({
    isExported: true,
    name: 'BsnnDriver',
    docs: [
      jsdoc(
        `Typed access to ${v.module}. Every method reads or writes the registers in REG through the bus; ` +
          'the stream data (encodeInput, decodeOutput) travel by whatever DMA the system has.',
      ),
    ],
    properties: [{ name: 'bus', type: 'RegisterBus', isReadonly: true, scope: Scope.Public }],
    ctors: [{ parameters: [{ name: 'bus', type: 'RegisterBus' }], statements: body('this.bus = bus;') }],
    methods: [...driverMethods, ...registerMethods(v)],
  });
}

export function emitTsDriver(v: HostView): EmittedFile {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      newLineKind: NewLineKind.LineFeed,
      quoteKind: QuoteKind.Single,
      useTrailingCommas: true,
    },
  });
  const file = project.createSourceFile(`/${v.name}_driver.ts`, '');
  build(file, v);
  file.formatText({ indentSize: 2, tabSize: 2, convertTabsToSpaces: true, ensureNewLineAtEndOfFile: true });
  // One blank line between top-level statements (ts-morph spaces some kinds and not others).
  const text = file.getStatementsWithComments().map((s) => s.getText(true).trim()).join('\n\n') + '\n';
  return { path: tsDriverPath(v), content: text };
}
