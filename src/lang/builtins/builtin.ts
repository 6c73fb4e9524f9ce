import { bindArgs, sig, type BoundArgs, type Signature } from '../signature.ts';
import { Callable, type ArgValue, type CallSite, type LangValue } from '../values.ts';

/** A function of the language implemented in TypeScript on the builder API. */
export class Builtin extends Callable {
  readonly what: string;
  constructor(
    readonly signature: Signature,
    private readonly impl: (args: BoundArgs) => LangValue,
    /** One line for docs and `axonic check --builtins`. */
    readonly doc = '',
  ) {
    super();
    this.what = `the builtin function ${signature.name}`;
  }
  get name(): string {
    return this.signature.name;
  }
  call(args: readonly ArgValue[], site: CallSite): LangValue {
    return this.impl(bindArgs(this.signature, args, site));
  }
}

/** `define('sum', ['x', 'axis?', 'keepdims?'], (a) => ..., 'doc')`. */
export const define = (name: string, params: readonly string[], impl: (a: BoundArgs) => LangValue, doc = ''): Builtin =>
  new Builtin(sig(name, ...params), impl, doc);

/** A table of builtins by name. */
export const table = (...builtins: Builtin[]): Map<string, Builtin> => new Map(builtins.map((b) => [b.name, b]));
