import { describe, expect, it } from 'vitest';
import { AFTER_AUTODIFF_RULES, DEFAULT_RULES, exactRules } from '../../passes/simplify/index.ts';
import { ARITH_CASES } from './cases-arith.ts';
import { CSE_DCE_CASES } from './cases-cse-dce.ts';
import { FOLD_CASES } from './cases-fold.ts';
import { SHAPE_CASES } from './cases-shape.ts';
import { checkGolden } from './golden.ts';

const TABLES = { arithmetic: ARITH_CASES, 'movement and reduction': SHAPE_CASES, 'constant folding': FOLD_CASES, 'CSE and DCE': CSE_DCE_CASES };

for (const [table, cases] of Object.entries(TABLES))
  describe(`simplify, golden IR: ${table}`, () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => checkGolden(c));
  });

describe('the rule tables', () => {
  const all = [...DEFAULT_RULES, ...AFTER_AUTODIFF_RULES];

  it('every hand-written rule fires in some golden case (folding rules are generated per op)', () => {
    const declared = new Set(Object.values(TABLES).flatMap((cases) => cases.flatMap((c) => c.fires ?? [])));
    const handWritten = all.filter((r) => !r.name.startsWith('fold-') && !r.name.endsWith('-implicit-broadcast'));
    expect(handWritten.filter((r) => !declared.has(r.name)).map((r) => r.name)).toEqual([]);
  });

  it('rule names are unique, notes say what they do, and each records where it is written', () => {
    const names = all.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const r of all) {
      expect(r.note, r.name).toMatch(/->/);
      expect(r.source, r.name).toMatch(/^passes\/simplify\/rules-[a-z]+\.ts:\d+$/);
    }
  });

  it('only sum-of-broadcast and a sum of a sum may change rounding', () => {
    expect(all.filter((r) => !exactRules([r]).length).map((r) => r.name)).toEqual(['sum-of-broadcast', 'reduce_sum-of-reduce_sum']);
  });
});
