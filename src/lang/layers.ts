import * as ax from '../builder/index.ts';
import * as pn from '../nn/pyneurons/index.ts';
import { nets, validate, type Initializer as ZephyrInitializer } from '../nn/zephyr/index.ts';
import { lastDim } from '../nn/zephyr/nets/linear.ts';
import type { Template } from '../nn/zephyr/skeleton.ts';
import { fail } from './diagnostics.ts';
import { bindArgs, sig, type BoundArgs } from './signature.ts';
import { Callable, callWith, describe, Initializer, LayerSpec, type ArgValue, type CallSite, type LangValue } from './values.ts';

/**
 * The layer catalogue: the constructors a model member may call (`hidden = linear(256)`). Each
 * lowers to the builder's own layer (zephyr's nets, pyneurons' classes), so a model file and a
 * builder program that use the same layer give the same IR. Constructors of layers that other
 * parts of axonic will provide are listed too; calling one says what it waits for.
 */

/** A layer that takes one tensor. */
abstract class UnaryLayer extends LayerSpec {
  apply(params: any, inputs: readonly ArgValue[], site: CallSite): LangValue {
    if (inputs.length !== 1 || inputs[0].name !== undefined)
      fail('arity', `a ${this.kind} layer takes one input, got ${inputs.length}`, site.file, site.call);
    const x = inputs[0].value;
    if (!(x instanceof ax.Tensor) && typeof x !== 'number' && !Array.isArray(x))
      fail('type', `a ${this.kind} layer applies to a tensor, got ${describe(x)}`, site.file, inputs[0].span);
    return this.applyTo(params, x as ax.Tensor);
  }
  protected abstract applyTo(params: any, x: ax.Tensor): ax.Tensor;
}

/** A constructor of the catalogue: binds its arguments and makes the layer. */
export class LayerConstructor extends Callable {
  readonly what: string;
  constructor(
    readonly name: string,
    readonly params: readonly string[],
    private readonly make: (a: BoundArgs) => LayerSpec,
    readonly doc: string,
    /** Set for layers whose lowering another part of axonic provides: what the call waits for. */
    readonly waitsFor?: string,
  ) {
    super();
    this.what = `the layer constructor ${name}`;
  }
  call(args: readonly ArgValue[], site: CallSite): LangValue {
    if (this.waitsFor) fail('unsupported', `${this.name} is not available in this build of axonic: ${this.waitsFor}`, site.file, site.span);
    return this.make(bindArgs(sig(this.name, ...this.params), args, site));
  }
}

const activation = (a: BoundArgs, name: string) => a.unary(name, (f, x) => callWith(f, [x], a.site));

function initializer(a: BoundArgs, name: string): ZephyrInitializer | undefined {
  const v = a.value(name);
  if (v === undefined) return undefined;
  if (!(v instanceof Initializer)) a.error(name, `${name} of ${a.callee} must be an initialiser like normal(std = 0.02), got ${describe(v)}`);
  return v.make;
}

class Linear extends UnaryLayer {
  readonly kind = 'linear';
  constructor(private readonly out: number, private readonly opts: nets.LinearOptions) {
    super();
  }
  protected applyTo(params: any, x: ax.Tensor): ax.Tensor {
    return nets.linear(params, x, this.out, this.opts);
  }
}

class Mlp extends UnaryLayer {
  readonly kind = 'mlp';
  constructor(private readonly dims: readonly number[], private readonly opts: nets.MlpOptions) {
    super();
  }
  protected applyTo(params: any, x: ax.Tensor): ax.Tensor {
    return nets.mlp(params, x, this.dims, this.opts);
  }
}

class LayerNorm extends UnaryLayer {
  readonly kind = 'layer_norm';
  constructor(private readonly axis: number, private readonly opts: nets.LayerNormOptions) {
    super();
  }
  protected applyTo(params: any, x: ax.Tensor): ax.Tensor {
    return nets.layerNorm(params, x, this.axis, this.opts);
  }
}

class BranchLinear extends UnaryLayer {
  readonly kind = 'branch_linear';
  constructor(private readonly branches: number, private readonly opts: nets.BranchLinearOptions) {
    super();
  }
  protected applyTo(params: any, x: ax.Tensor): ax.Tensor {
    return nets.branchLinear(params, x, this.branches, this.opts);
  }
}

type NeuronClass = typeof pn.Neuron;

/** pyneurons' neurons: `w: [n, 1]`, `b: [1, 1]` for an input of n features, started by pyneurons' create. */
class PyNeuron extends UnaryLayer {
  constructor(readonly kind: string, private readonly cls: NeuronClass) {
    super();
  }
  protected applyTo(params: any, x: ax.Tensor): ax.Tensor {
    const n = lastDim(`pyneurons.${this.kind}`, x);
    const w = validate(params.w, [n, 1], pn.weight as ZephyrInitializer);
    const b = validate(params.b, [1, 1], pn.bias as ZephyrInitializer);
    return this.cls.applyTree([w, b], x) as ax.Tensor;
  }
  /** D-PN-1: b's noise is the first variate of w's stream, as `new Neuron(key, n)` draws them. */
  override init(key: ax.Operand, templates: readonly Template[]): ax.Tensor[] {
    const [w, b] = pn.create(key, templates[0].shape[0]) as unknown as ax.Tensor[];
    return templates.map((t) => (t.path[t.path.length - 1] === 'w' ? w : b));
  }
}

const layer = (name: string, params: string[], make: (a: BoundArgs) => LayerSpec, doc: string) => new LayerConstructor(name, params, make, doc);
const later = (name: string, params: string[], doc: string, waitsFor: string) => new LayerConstructor(name, params, () => undefined as never, doc, waitsFor);

const NN_BRANCH = 'it is a layer of the nn work (zephyr\'s convolutions, pooling, dropout and attention), which has not landed yet';

export const LAYERS: ReadonlyMap<string, LayerConstructor> = new Map(
  [
    layer('linear', ['out', 'bias?', 'act?', 'init?', 'bias_init?'], (a) =>
      new Linear(a.int('out', undefined, 1), {
        useBias: a.bool('bias', true), activation: activation(a, 'act'), weightsInitializer: initializer(a, 'init'), biasInitializer: initializer(a, 'bias_init'),
      }), "act(x @ weights + bias): zephyr's nets.linear, weights [in, out] with in from the input"),
    layer('mlp', ['dims', 'act?', 'final?', 'bias?', 'init?', 'bias_init?'], (a) =>
      new Mlp(a.ints('dims'), {
        activation: activation(a, 'act'), activationFinal: activation(a, 'final'), useBias: a.bool('bias', true),
        weightInitializer: initializer(a, 'init'), biasInitializer: initializer(a, 'bias_init'),
      }), "linear layers to each of dims, act (default relu) between them: zephyr's nets.mlp"),
    layer('layer_norm', ['axis?', 'scale?', 'offset?', 'eps?', 'act?'], (a) =>
      new LayerNorm(a.int('axis', -1), {
        createScale: a.bool('scale', true), createOffset: a.bool('offset', true), eps: a.number('eps', 1e-16), activation: activation(a, 'act'),
      }), "normalisation over one axis with a learnt scale and offset: zephyr's nets.layerNorm"),
    layer('branch_linear', ['branches', 'bias?'], (a) => new BranchLinear(a.int('branches', undefined, 1), { withBias: a.bool('bias', true) }),
      "k linear branches of the last axis, [..., k, e]: zephyr's nets.branchLinear"),
    layer('Neuron', [], () => new PyNeuron('Neuron', pn.Neuron), "pyneurons' Neuron: x @ w + b, w [n, 1], b [1, 1]"),
    layer('Binary', [], () => new PyNeuron('Binary', pn.Binary as unknown as NeuronClass), "pyneurons' Binary: H(x @ w + b), straight-through"),
    layer('Vector', [], () => new PyNeuron('Vector', pn.Vector as unknown as NeuronClass), "pyneurons' Vector: binary + relu1 of x @ w + b, straight-through"),
    later('conv1d', ['out', 'kernel', 'stride?', 'padding?', 'rate?', 'bias?', 'act?'], "zephyr's conv_1d", NN_BRANCH),
    later('conv2d', ['out', 'kernel', 'stride?', 'padding?', 'rate?', 'bias?', 'act?'], "zephyr's conv_2d", NN_BRANCH),
    later('max_pool', ['window', 'stride?', 'padding?'], "zephyr's max_pool", NN_BRANCH),
    later('avg_pool', ['window', 'stride?', 'padding?'], "zephyr's avg_pool", NN_BRANCH),
    later('dropout', ['p'], "zephyr's dropout", NN_BRANCH),
    later('attention', ['heads', 'bias?'], "zephyr's multi_head_attention", NN_BRANCH),
    later('self_attention', ['heads', 'bias?', 'act?'], "zephyr's multi_head_self_attention", NN_BRANCH),
    later('embedding', ['vocab', 'dim'], 'a lookup table of vectors', NN_BRANCH),
  ].map((c) => [c.name, c]),
);

