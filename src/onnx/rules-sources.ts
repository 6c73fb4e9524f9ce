import { opDef } from '../ir/registry.ts';
import { isSymbol } from '../ir/shape.ts';
import { unsupported, type Rule } from './rule.ts';
import { onnxDType } from './writer.ts';

const noRegions = { evalGraph: () => [], concreteShape: (shape: readonly (number | string)[]) => shape.map(Number) };

/** iota of a known shape is a constant (the reference computes it); over a symbolic shape, Range then Expand. */
export const iota: Rule<'iota'> = ({ s }, node) => {
  const { shape, dimension, dtype } = node.attrs;
  if (!shape.some(isSymbol)) {
    const [t] = opDef('iota').evalRef([], node.attrs, noRegions, []);
    return [s.constant(dtype, t.shape, t.data)];
  }
  const line = s.op('Range', [s.scalar('i64', 0), s.dimScalar(shape[dimension]), s.scalar('i64', 1)]);
  const typed = s.op('Cast', [line], { to: { int: onnxDType(dtype) } });
  const along = shape.map((d, i) => (i === dimension ? d : 1));
  const placed = s.op('Reshape', [typed, s.shape(along)]);
  return [s.op('Expand', [placed, s.shape(shape)])];
};

/** A constant of a known shape is a Constant node; a splat over a symbolic shape is expanded at run time. */
export const constant: Rule<'constant'> = ({ s }, node) => {
  const { shape, dtype, value } = node.attrs;
  if (!shape.some(isSymbol)) {
    const [t] = opDef('constant').evalRef([], node.attrs, noRegions, []);
    return [s.constant(dtype, t.shape, t.data)];
  }
  return [s.op('Expand', [s.scalar(dtype, value[0]), s.shape(shape)])];
};

export const random_bits: Rule<'random_bits'> = unsupported(
  'counter-based random bits (Threefry-2x32) have no ONNX counterpart (ONNX RandomUniform is not reproducible); ' +
    'draw the random arrays outside the exported function and pass them as inputs',
);
