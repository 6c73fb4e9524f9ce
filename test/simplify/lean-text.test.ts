import { describe, expect, it } from 'vitest';
import { checkLean } from './lean-text.ts';

const lines = (...ls: string[]) => ls.join('\n') + '\n';

/** The checker itself, on hand-written text: it must see what it is there to see. */
describe('the lean-text checker', () => {
  it('accepts a graph whose every result is used once computed', () => {
    const text = lines(
      'func @main(%0: f32[2], %1: f32[2]) -> (f32[2]) {',
      '  %2: f32[2] = add %0, %1 @m.ts:1:2',
      '  %3: f32[2] = mul %2, %2',
      '  return %3',
      '}',
    );
    expect(checkLean(text)).toEqual({ dead: [], duplicates: [] });
  });

  it('reports a dead result and a repeated right-hand side, ignoring locations', () => {
    const text = lines(
      'func @main(%0: f32[2], %1: f32[2]) -> (f32[2]) {',
      '  %2: f32[2] = add %0, %1 @m.ts:1:2',
      '  %3: f32[2] = add %0, %1 @m.ts:7:2',
      '  %4: f32[2] = exp %0',
      '  %5: f32[2] = mul %2, %3',
      '  return %5',
      '}',
    );
    expect(checkLean(text)).toEqual({ dead: ['%4 (line 4)'], duplicates: ['lines 2 and 3: add %0, %1'] });
  });

  it('scopes duplicates to their block, treats region parameters as interfaces and sees yields as uses', () => {
    const text = lines(
      'func @main(%0: f32[2], %1: f32[2]) -> (f32[2]) {',
      '  %2: f32[] = constant[shape=[], dtype=f32, value=[1]]',
      '  %3: f32[2] = loop[trips=2, carried=1] %0, %2 body(%4: f32[2], %5: f32[]) {',
      '    %6: f32[] = constant[shape=[], dtype=f32, value=[1]]',
      '    %7: f32[2] = add %4, %6',
      '    %8: f32[2] = add %4, %6',
      '    yield %7',
      '  } @m.ts:3:1',
      '  %9: f32[2] = custom_vjp %3 fwd(%10: f32[2]) {',
      '    %11: f32[] = constant[shape=[], dtype=f32, value=[2]]',
      '    %12: f32[2] = mul %10, %11',
      '    yield %12',
      '  } bwd(%13: f32[2], %14: f32[2], %15: f32[2]) {',
      '    %16: f32[] = constant[shape=[], dtype=f32, value=[2]]',
      '    %17: f32[2] = mul %15, %16',
      '    %18: f32[2] = exp %13',
      '    yield %17',
      '  }',
      '  return %9',
      '}',
    );
    expect(checkLean(text)).toEqual({ dead: ['%8 (line 6)', '%18 (line 16)'], duplicates: ['lines 5 and 6: add %4, %6'] });
  });

  it('takes a loop as live when one of its results is used, and dead when none is', () => {
    const text = lines(
      'func @main(%0: f32[2], %1: i32[]) -> (f32[2]) {',
      '  %2: f32[2], %3: i32[] = loop[trips=2, carried=2] %0, %1 body(%4: f32[2], %5: i32[]) {',
      '    %6: f32[] = cast[dtype=f32] %5',
      '    %7: f32[2] = add %4, %6',
      '    %8: i32[] = constant[shape=[], dtype=i32, value=[1]]',
      '    %9: i32[] = add %5, %8',
      '    yield %7, %9',
      '  }',
      '  %10: f32[2], %11: i32[] = loop[trips=3, carried=2] %0, %1 body(%12: f32[2], %13: i32[]) {',
      '    yield %12, %13',
      '  }',
      '  return %2',
      '}',
    );
    expect(checkLean(text)).toEqual({ dead: ['%10, %11 (line 9)'], duplicates: [] });
  });
  it('compares region ops by their regions too: same bodies are duplicates, different bodies are not', () => {
    const node = (out: number, k: number, c: string) => [
      `  %${out}: f32[2] = custom_vjp %0 fwd(%${k}: f32[2]) {`,
      `    %${k + 1}: f32[2] = ${c} %${k}`,
      `    yield %${k + 1}`,
      `  } bwd(%${k + 2}: f32[2], %${k + 3}: f32[2], %${k + 4}: f32[2]) {`,
      `    yield %${k + 4}`,
      '  }',
    ];
    const text = (c2: string) =>
      lines(
        'func @main(%0: f32[2]) -> (f32[2], f32[2]) {',
        ...node(1, 10, 'exp'),
        ...node(2, 20, c2),
        '  return %1, %2',
        '}',
      );
    expect(checkLean(text('exp'))).toEqual({ dead: [], duplicates: ['lines 2 and 8: custom_vjp %0'] });
    expect(checkLean(text('sin'))).toEqual({ dead: [], duplicates: [] });
  });
});
