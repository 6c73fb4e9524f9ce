import { formatType, isDType, ShapeError, type DType, type Shape, type TensorType } from '../ir/index.ts';

/** The declared type of a traced argument: a dtype and a shape whose dims may be names ('N'). */
export class Spec implements TensorType {
  readonly shape: Shape;
  constructor(
    readonly dtype: DType,
    shape: Shape,
  ) {
    this.shape = Object.freeze([...shape]);
  }
  toString(): string {
    return `spec(${formatType(this)})`;
  }
}

/** `ax.spec('f32', ['N', 784])`: an argument type for ax.trace and ax.jit's `specs`. */
export function spec(dtype: DType, shape: Shape = []): Spec {
  if (!isDType(dtype)) throw new ShapeError('spec', `unknown dtype ${String(dtype)} (use f32, i32, u32 or bool)`, []);
  for (const d of shape)
    if (typeof d === 'string' ? !/^[A-Za-z_][\w]*$/.test(d) : !(Number.isInteger(d) && d >= 0))
      throw new ShapeError('spec', `[${shape.join(',')}] is not a shape: dims are non-negative integers or names like 'N'`, []);
  return new Spec(dtype, shape);
}
