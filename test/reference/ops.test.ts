import { describe, expect, it } from 'vitest';
import { OP_NAMES, type OpName } from '../../src/ir/index.ts';
import { BINARY_CASES } from './binary-cases.ts';
import { DOT_CASES } from './dot-cases.ts';
import { LOOP_CASES } from './loop-cases.ts';
import { MOVEMENT_CASES } from './movement-cases.ts';
import { runRefCase, type RefCase, type RefTable } from './ref-case.ts';
import { REDUCE_CASES } from './reduce-cases.ts';
import { SCAN_CASES } from './scan-cases.ts';
import { SELECT_CAST_CASES } from './select-cast-cases.ts';
import { SOURCE_CASES } from './source-cases.ts';
import { UNARY_CASES } from './unary-cases.ts';
import { WHILE_CASES } from './while-cases.ts';
import { WINDOW_COND_CASES } from './window-cond-cases.ts';

const TABLE: RefTable = {
  ...UNARY_CASES,
  ...BINARY_CASES,
  ...SELECT_CAST_CASES,
  ...REDUCE_CASES,
  ...MOVEMENT_CASES,
  ...DOT_CASES,
  ...SOURCE_CASES,
  ...LOOP_CASES,
  ...SCAN_CASES,
  ...WHILE_CASES,
  ...WINDOW_COND_CASES,
};

describe.each(OP_NAMES)('reference evaluation of %s', (op: OpName) => {
  const cases = (TABLE[op] ?? []) as readonly RefCase[];

  it('has cases in the table', () => {
    expect(cases.length, `add rows for ${op} to test/reference/*-cases.ts`).toBeGreaterThan(0);
  });

  for (const c of cases) it(c.name, () => runRefCase(op, c));
});
