/** Source location of a builder call or a model-file construct. */
export interface SourceLoc {
  file: string;
  line: number;
  col: number;
}

export const formatLoc = (loc: SourceLoc): string => `${loc.file}:${loc.line}:${loc.col}`;

/** Base of every error axonic throws on purpose; `name` tells the kind. */
export class AxonicError extends Error {
  override name = 'AxonicError';
}

/** A shape or dtype rule failed: names the op, the operand types and, when known, the call site. */
export class ShapeError extends AxonicError {
  override name = 'ShapeError';
  constructor(
    readonly op: string,
    readonly detail: string,
    readonly operands: string[],
    readonly loc?: SourceLoc,
  ) {
    super(
      `${op}: ${detail}` +
        (operands.length ? ` (operands: ${operands.join(', ')})` : '') +
        (loc ? ` at ${formatLoc(loc)}` : ''),
    );
  }
  withLoc(loc: SourceLoc | undefined): ShapeError {
    return loc && !this.loc ? new ShapeError(this.op, this.detail, this.operands, loc) : this;
  }
}

/** Malformed IR text: line and column of the offending token, the line itself and a caret. */
export class ParseError extends AxonicError {
  override name = 'ParseError';
  constructor(
    readonly detail: string,
    readonly line: number,
    readonly col: number,
    sourceLine: string,
    file = '<ir>',
  ) {
    super(`${file}:${line}:${col}: ${detail}\n  ${sourceLine}\n  ${' '.repeat(Math.max(0, col - 1))}^`);
  }
}

/** A graph broke an invariant (a pass bug, or hand-written IR that is not well formed). */
export class VerifyError extends AxonicError {
  override name = 'VerifyError';
}

/** A compiled function was called with an argument of the wrong rank, shape or dtype. */
export class InputError extends AxonicError {
  override name = 'InputError';
  constructor(
    readonly argument: string,
    readonly expected: string,
    readonly actual: string,
    detail?: string,
    options?: ErrorOptions,
  ) {
    super(`argument ${argument}: expected ${expected}, got ${actual}${detail ? ` (${detail})` : ''}`, options);
  }
}

/** A kernel or buffer exceeds what the adapter allows. */
export class LimitError extends AxonicError {
  override name = 'LimitError';
}

/** The WebGPU device failed (lost, validation error, out of memory). */
export class DeviceError extends AxonicError {
  override name = 'DeviceError';
}
