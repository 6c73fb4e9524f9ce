import { zeros, type Tensor } from '../../builder/index.ts';
import { isConcrete } from '../../builder/concrete.ts';
import { callSite } from '../../builder/location.ts';
import { lift } from '../../builder/operand.ts';
import { Tensor as TensorClass } from '../../builder/tensor.ts';
import { formatShape, formatType, ShapeError, type Shape } from '../../ir/index.ts';
import { ZephyrError } from './errors.ts';
import { initializerBase, type Initializer } from './initializers.ts';
import { skeletonOf } from './skeleton.ts';

/**
 * `validate(params.w, shape, initializer)`: states the shape (and initialiser) of a parameter and
 * returns it as a Tensor — use what it returns. Under `zephyr.trace`, where `params` is a
 * skeleton, it declares the parameter (a stand-in of zeros flows on; its values are thrown away);
 * with real parameters it checks the shape. Expressions about parameters are documentation in
 * zephyr, so there is no expression argument (decision D-ZP-1).
 */
export function validate(param: unknown, shape: Shape, initializer: Initializer = initializerBase): Tensor {
  const site = callSite();
  const skeleton = skeletonOf(param);
  if (skeleton) return zeros(skeleton.recorder.declare(skeleton.path, shape, initializer, site));
  if (!(param instanceof TensorClass) && !isConcrete(param))
    throw new ZephyrError(`zephyr.validate: expected a parameter (params.name) or an array, got ${describe(param)}`);
  const t = lift('zephyr.validate', param);
  if (formatShape(t.shape) !== formatShape(shape))
    throw new ShapeError('zephyr.validate', `incompatible shapes: the parameter is ${formatType(t)}, declared ${formatShape(shape)}`, [formatType(t)], site);
  return t;
}

function describe(x: unknown): string {
  if (x === undefined) return 'undefined (is the key missing from params?)';
  if (x === null) return 'null';
  return typeof x === 'object' ? `a ${x.constructor?.name ?? 'object'}` : `a ${typeof x}`;
}
