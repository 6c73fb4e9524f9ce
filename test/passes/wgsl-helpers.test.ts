import { describe, expect, it } from 'vitest';
import { helperNames, helperSources } from '../../passes/wgsl/helpers.ts';

/**
 * WGSL resolves functions wherever they are declared, so a helper that forgets a callee in its
 * deps still compiles as long as some other helper pulls the callee in, and fails in the first
 * kernel that uses it alone (ax_exp2_scaled once called ax_ldexp without listing it).
 */
describe('WGSL helpers', () => {
  it.each(helperNames())('%s brings every helper it calls', (name) => {
    const source = helperSources([name]).join('\n');
    const defined = new Set([...source.matchAll(/\bfn (ax_\w+)\(/g)].map((m) => m[1]));
    const called = new Set([...source.matchAll(/\b(ax_\w+)\(/g)].map((m) => m[1]));
    expect([...called].filter((f) => !defined.has(f))).toEqual([]);
  });
});
