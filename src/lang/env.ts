import type { LangValue } from './values.ts';

/** A name whose value is made when it is read (functions and models of a module, parameters of a model). */
export class Lazy {
  constructor(readonly make: () => LangValue) {}
}

/** A scope: names to values, and the scope it is nested in. */
export class Env {
  private readonly vars = new Map<string, LangValue | Lazy>();
  constructor(readonly parent?: Env) {}

  define(name: string, value: LangValue | Lazy): this {
    this.vars.set(name, value);
    return this;
  }

  has(name: string): boolean {
    return this.vars.has(name) || (this.parent?.has(name) ?? false);
  }

  lookup(name: string): LangValue | undefined {
    const v = this.vars.get(name);
    if (v !== undefined) return v instanceof Lazy ? v.make() : v;
    return this.parent?.lookup(name);
  }

  /** Every visible name, innermost first (for "did you mean"). */
  *names(): Generator<string> {
    yield* this.vars.keys();
    if (this.parent) yield* this.parent.names();
  }
}
