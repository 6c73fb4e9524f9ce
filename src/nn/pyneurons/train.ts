import { grad, mean, multiply, square, subtract, treeMap, type Operand, type Tensor } from '../../builder/index.ts';
import { abs } from './activations.ts';
import type { Model } from './model.ts';

/** Mean absolute error with the sign VJP: `∂mae/∂ŷ = −sign(y − ŷ)/N` (decision D-PN-3). */
export const mae = (y: Operand, yhat: Operand): Tensor => mean(abs(subtract(y, yhat)));

/** Mean squared error. */
export const mse = (y: Operand, yhat: Operand): Tensor => mean(square(subtract(y, yhat)));

/** A model that maps one input to one output. */
export type UnaryModel = Model<unknown, [x: any], Operand>;

/** `fit`'s loss: `mae(y, model(x))`. */
export const loss = (model: UnaryModel, x: Operand, y: Operand): Tensor => mae(y, model(x));

/** One gradient-descent update of a parameter: `w − lr·g`. */
export const gd = (lr: Operand, w: Operand, g: Operand): Tensor => subtract(w, multiply(lr, g));

/**
 * One gradient step on `loss(model, x, y)` (learning rate first): a new model of the same class.
 * Call it inside a traced function (ax.jit, or ax.loop for many steps in one program).
 */
export function fit<M extends UnaryModel>(lr: Operand, model: M, x: Operand, y: Operand): M {
  const gradients = grad(loss)(model, x, y);
  return treeMap<Operand, Tensor>((w, g) => gd(lr, w, g), model, gradients) as unknown as M;
}
