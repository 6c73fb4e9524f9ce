import * as ax from '../../builder/index.ts';
import type { Operand } from '../../builder/operand.ts';
import { define, table } from './builtin.ts';

/** Elementwise functions: the ax functions of one or two arrays, under their NumPy names. */

const UNARY: Record<string, (x: Operand) => ax.Tensor> = {
  exp: ax.exp, log: ax.log, log1p: ax.log1p, expm1: ax.expm1, sqrt: ax.sqrt, rsqrt: ax.rsqrt,
  sin: ax.sin, cos: ax.cos, tan: ax.tan, tanh: ax.tanh, sigmoid: ax.sigmoid, erf: ax.erf,
  arcsin: ax.arcsin, arccos: ax.arccos, arctan: ax.arctan, sinh: ax.sinh, cosh: ax.cosh,
  arcsinh: ax.arcsinh, arccosh: ax.arccosh, arctanh: ax.arctanh,
  floor: ax.floor, ceil: ax.ceil, round: ax.round, abs: ax.abs, sign: ax.sign, square: ax.square,
  reciprocal: ax.reciprocal, negative: ax.negative, stop_gradient: ax.stopGradient,
  isnan: ax.isnan, isfinite: ax.isfinite, isinf: ax.isinf, logical_not: ax.logicalNot,
  relu: ax.nn.relu, softplus: ax.nn.softplus, silu: ax.nn.silu, selu: ax.nn.selu,
  log_sigmoid: ax.nn.logSigmoid, hard_tanh: ax.nn.hardTanh,
};

const BINARY: Record<string, (a: Operand, b: Operand) => ax.Tensor> = {
  add: ax.add, subtract: ax.subtract, multiply: ax.multiply, divide: ax.divide, power: ax.power,
  mod: ax.mod, fmod: ax.fmod, floor_divide: ax.floorDivide, maximum: ax.maximum, minimum: ax.minimum,
  arctan2: ax.arctan2, equal: ax.equal, not_equal: ax.notEqual, less: ax.less, less_equal: ax.lessEqual,
  greater: ax.greater, greater_equal: ax.greaterEqual, logical_and: ax.logicalAnd, logical_or: ax.logicalOr,
  logical_xor: ax.logicalXor,
};

export const MATH = table(
  ...Object.entries(UNARY).map(([name, f]) => define(name, ['x'], (a) => f(a.operand('x')), `elementwise ${name}`)),
  ...Object.entries(BINARY).map(([name, f]) => define(name, ['x', 'y'], (a) => f(a.operand('x'), a.operand('y')), `elementwise ${name}`)),
  define('where', ['condition', 'x', 'y'], (a) => ax.where(a.operand('condition'), a.operand('x'), a.operand('y')), 'x where condition holds, else y'),
  define('clip', ['x', 'min?', 'max?'], (a) => ax.clip(a.operand('x'), a.has('min') ? a.operand('min') : null, a.has('max') ? a.operand('max') : null), 'x limited to [min, max]'),
  define('astype', ['x', 'dtype'], (a) => ax.astype(a.operand('x'), a.dtype('dtype')), 'x converted to dtype'),
  define('gelu', ['x', 'approximate?'], (a) => ax.nn.gelu(a.operand('x'), { approximate: a.bool('approximate', true) }), 'x·Φ(x) (the tanh form unless approximate = false)'),
  define('leaky_relu', ['x', 'negative_slope?'], (a) => ax.nn.leakyRelu(a.operand('x'), a.has('negative_slope') ? a.operand('negative_slope') : 0.01), 'x, or negative_slope·x below 0'),
  define('elu', ['x', 'alpha?'], (a) => ax.nn.elu(a.operand('x'), a.has('alpha') ? a.operand('alpha') : 1), 'x, or alpha·(eˣ − 1) at and below 0'),
  define('identity', ['x'], (a) => a.value('x')!, 'x itself'),
);
