/**
 * The training loop: minibatch Adam on the variational objective (cross-entropy of the sampled network plus
 * klWeight/N · KL to the uniform Bernoulli prior), with a cosine learning-rate schedule. Seeded end to end:
 * the initial logits, the shuffle of every epoch and the Gaussian draws of every batch depend only on
 * (seed, epoch, batch), so a run resumed from a checkpoint ends where an uninterrupted one does.
 */
import { prng } from '../model/random.js';
import { tf } from './backend.js';
import { type LabelledSet, toMatrix, translateInto } from './datasets.js';
import { convGeometry, flatSize, forwardAny, initialiseConv } from './convnet.js';
import { klToUniform, layerCurrent, type NetworkParams, type NetworkShape } from './network.js';
import { layerNoiseSpec } from './semantics.js';

export interface TrainOptions {
  seed: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Weight of the KL term relative to the proper variational objective (1 = ELBO). */
  klWeight: number;
  /**
   * Image data: translate every training example by a random (dx, dy), |dx|, |dy| ≤ shift pixels, drawn
   * afresh each epoch, every channel plane alike (0: off). `train()` refuses a shift for data that is not images.
   */
  shift: number;
}

export interface EpochReport {
  epoch: number;
  loss: number;
  trainAccuracy: number;
  validationAccuracy: number;
  seconds: number;
}

export interface TrainerState {
  shape: NetworkShape;
  params: NetworkParams;
  optimizer: tf.AdamOptimizer;
  /** Epochs completed. */
  epoch: number;
}

export function paramList(p: NetworkParams): tf.Variable[] {
  return [...p.logits, ...p.logThreshold, ...p.offset, p.readoutBias, p.logScale];
}

/** Gaussian logits N(0, 1.5²) from the seeded PRNG (Box–Muller), so the start does not depend on tfjs' RNG. */
export function gaussianLogits(rows: number, cols: number, rnd: () => number): tf.Variable {
  const v = new Float32Array(rows * cols);
  for (let i = 0; i < v.length; i++) v[i] = 1.5 * Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  return tf.variable(tf.tensor2d(v, [rows, cols]));
}

/**
 * Fresh parameters. Thresholds and offsets are set from data (the first `initExamples` training inputs): each
 * hidden neuron's activation curve spans its mean current ± one standard deviation, so every neuron starts
 * in its working range; the readout scale starts at 1 / the readout currents' spread. With threshold noise,
 * each layer's noise table is fixed here from its median initial threshold (`shape.noise`): a pure function of
 * the seed and the data, so a resumed run rebuilds the same tables.
 */
export function initialise(shape: NetworkShape, data: LabelledSet, seed: number, initExamples = 1000): NetworkParams {
  const rnd = prng(seed);
  // tidy frees the initialisation's activations; variables outlive it.
  if (shape.conv?.length) return tf.tidy(() => initialiseConvNetwork(shape, data, rnd, Math.min(initExamples, 500)) as unknown as tf.TensorContainer) as unknown as NetworkParams;
  const sizes = [shape.inputs, ...shape.hidden, shape.classes];
  const logits = sizes.slice(1).map((n, l) => gaussianLogits(sizes[l], n, rnd));
  const n = Math.min(initExamples, data.inputs.length);
  const x = tf.tensor2d(toMatrix({ ...data, inputs: data.inputs.slice(0, n) }), [n, shape.inputs]);
  const logThreshold: tf.Variable[] = [];
  const offset: tf.Variable[] = [];
  const params: NetworkParams = { logits, logThreshold, offset, readoutBias: tf.variable(tf.zeros([shape.classes])), logScale: tf.variable(tf.scalar(0)) };
  let h: tf.Tensor2D = x;
  for (let l = 0; l < shape.hidden.length; l++) {
    const z = layerCurrent(shape, params, l, h, { sample: false });
    const { mean, variance } = tf.moments(z, 0);
    const theta = tf.maximum(tf.mul(tf.sqrt(variance), 2), 1);
    logThreshold.push(tf.variable(tf.log(theta)));
    offset.push(tf.variable(tf.sub(0.5, tf.div(mean, theta))));
    const noise = layerNoiseSpec(shape.neuron, tf.round(theta).dataSync());
    if (noise) (shape.noise ??= [])[l] = noise;
    // The next layer's init sees this layer's rate at its mean current: floor(T·(z + b)/θ)/T, clipped.
    const thetaInt = tf.maximum(tf.round(theta), 1);
    const bias = tf.round(tf.mul(offset[l], thetaInt));
    h = tf.div(tf.clipByValue(tf.floor(tf.mul(tf.div(tf.add(z, bias), thetaInt), shape.timesteps)), 0, shape.timesteps), shape.timesteps) as tf.Tensor2D;
  }
  const zOut = layerCurrent(shape, params, shape.hidden.length, h, { sample: false });
  const spread = Math.sqrt(tf.moments(zOut).variance.dataSync()[0]) || 1;
  params.logScale.assign(tf.scalar(Math.log(1 / spread)));
  return params;
}

/** A conv network's parameters: logits [C_in·k·k, C_out] per conv layer, then the dense ones; thresholds from data. */
function initialiseConvNetwork(shape: NetworkShape, data: LabelledSet, rnd: () => number, n: number): NetworkParams {
  const fanIns = [...convGeometry(shape).map((g) => g.fanIn), flatSize(shape), ...shape.hidden];
  const sizes = [...shape.conv!.map((c) => c.channels), ...shape.hidden, shape.classes];
  const logits = sizes.map((size, l) => gaussianLogits(fanIns[l], size, rnd));
  const params: NetworkParams = { logits, logThreshold: [], offset: [], readoutBias: tf.variable(tf.zeros([shape.classes])), logScale: tf.variable(tf.scalar(0)) };
  const x = tf.tensor2d(toMatrix({ ...data, inputs: data.inputs.slice(0, Math.min(n, data.inputs.length)) }), [Math.min(n, data.inputs.length), shape.inputs]);
  initialiseConv(shape, params, x);
  return params;
}

export function createTrainer(shape: NetworkShape, params: NetworkParams, opts: TrainOptions): TrainerState {
  return { shape, params, optimizer: tf.train.adam(opts.learningRate), epoch: 0 };
}

/** Seed of epoch e's shuffle and of its batches' noise. */
const epochSeed = (seed: number, epoch: number) => (Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(epoch + 1, 0x85ebca6b)) >>> 0;

function shuffled(n: number, rnd: () => number): Int32Array {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx;
}

/** Accuracy of the mean network (no sampling) on a set, in batches. */
export function meanNetworkAccuracy(state: TrainerState, set: LabelledSet, matrix = toMatrix(set)): number {
  const B = state.shape.conv?.length ? 200 : 1000;
  let correct = 0;
  for (let s = 0; s < set.inputs.length; s += B) {
    const n = Math.min(B, set.inputs.length - s);
    const pred = tf.tidy(() => {
      const x = tf.tensor2d(matrix.subarray(s * set.size, (s + n) * set.size), [n, set.size]);
      return tf.argMax(forwardAny(state.shape, state.params, x, { sample: false }).logits, 1);
    });
    const p = pred.dataSync();
    pred.dispose();
    for (let i = 0; i < n; i++) if (p[i] === set.labels[s + i]) correct++;
  }
  return correct / set.inputs.length;
}

/**
 * One epoch. `onBatch(done, total, loss, acc)` reports progress. Returns the epoch's mean loss and training
 * accuracy (of the sampled network).
 */
export function trainEpoch(
  state: TrainerState,
  train: LabelledSet,
  matrix: Float32Array,
  opts: TrainOptions,
  onBatch?: (done: number, total: number, loss: number, acc: number) => void,
): { loss: number; accuracy: number } {
  const { shape, params } = state;
  const e = state.epoch;
  const seed = epochSeed(opts.seed, e);
  const rnd = prng(seed);
  const order = shuffled(train.inputs.length, rnd);
  const shift = train.image ? opts.shift : 0;
  const draw = () => Math.floor(rnd() * (2 * shift + 1)) - shift;
  const B = opts.batchSize;
  const batches = Math.floor(train.inputs.length / B);
  const xs = new Float32Array(B * shape.inputs);
  const ys = new Int32Array(B);
  const lr = (b: number) => 0.5 * opts.learningRate * (1 + Math.cos((Math.PI * (e * batches + b)) / (opts.epochs * batches)));
  const vars = paramList(params);
  let lossSum = 0;
  let correct = 0;
  for (let b = 0; b < batches; b++) {
    for (let i = 0; i < B; i++) {
      const k = order[b * B + i];
      const x = matrix.subarray(k * shape.inputs, (k + 1) * shape.inputs);
      if (shift > 0) translateInto(x, train.image!.rows, train.image!.cols, draw(), draw(), xs, i * shape.inputs);
      else xs.set(x, i * shape.inputs);
      ys[i] = train.labels[k];
    }
    (state.optimizer as unknown as { learningRate: number }).learningRate = lr(b);
    let pred: tf.Tensor | null = null;
    const loss = tf.tidy(() => {
      const x = tf.tensor2d(xs, [B, shape.inputs]);
      const y = tf.oneHot(tf.tensor1d(ys, 'int32'), shape.classes);
      return state.optimizer.minimize(
        () => {
          const { logits } = forwardAny(shape, params, x, { sample: true, seed: (seed + 7919 * b) >>> 0 });
          pred = tf.keep(tf.argMax(logits, 1));
          const ce = tf.losses.softmaxCrossEntropy(y, logits);
          return tf.add(ce, tf.mul(klToUniform(params), opts.klWeight / train.inputs.length)) as tf.Scalar;
        },
        true,
        vars,
      )!;
    });
    const l = loss.dataSync()[0];
    loss.dispose();
    const p = (pred as tf.Tensor | null)!.dataSync();
    (pred as tf.Tensor | null)!.dispose();
    let c = 0;
    for (let i = 0; i < B; i++) if (p[i] === ys[i]) c++;
    lossSum += l;
    correct += c;
    onBatch?.(b + 1, batches, lossSum / (b + 1), correct / ((b + 1) * B));
  }
  state.epoch++;
  return { loss: lossSum / batches, accuracy: correct / (batches * B) };
}

