import { AxonicError, formatLoc, formatShape, ShapeError, type SourceLoc } from '../../ir/index.ts';

/** A misuse of zephyr's parameter declarations (a placeholder used as a value, a leaf used as a group...). */
export class ZephyrError extends AxonicError {
  override name = 'ZephyrError';
}

/** Where and how a parameter was declared. */
export interface Declaration {
  readonly shape: readonly number[];
  readonly site: SourceLoc | undefined;
}

const where = (d: Declaration): string => (d.site ? formatLoc(d.site) : 'an unknown call site');

/** One parameter declared with two different shapes: names both call sites. */
export class ParameterShapeError extends ShapeError {
  override name = 'ParameterShapeError';
  constructor(
    readonly path: string,
    readonly first: Declaration,
    readonly second: Declaration,
  ) {
    super(
      'zephyr.validate',
      `${path} is declared as ${formatShape(first.shape)} at ${where(first)} and as ${formatShape(second.shape)} at ` +
        `${where(second)}; a parameter has one shape: give the two uses different parameters or make the shapes agree`,
      [],
    );
  }
}
