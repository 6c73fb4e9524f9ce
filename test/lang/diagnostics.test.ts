import { describe, expect, test } from 'vitest';
import { LangError } from '../../src/lang/diagnostics.ts';
import { lowerModelFile } from '../../src/lang/compile.ts';
import type { SourceHost } from '../../src/lang/modules.ts';

/** The error a model file's text gives, as the CLI prints it. */
function errorOf(text: string, host?: SourceHost): LangError {
  try {
    lowerModelFile('model.axon', { text, host });
  } catch (e) {
    if (e instanceof LangError) return e;
    throw e;
  }
  throw new Error('the model lowered without an error');
}

describe('syntax errors show file:line:col, the line, a caret and what was expected', () => {
  test('a missing closing parenthesis', () => {
    const e = errorOf('model M {\n  h = linear(3\n  forward(x: f32[N, 2]) = h(x)\n}\n');
    expect(e.code).toBe('syntax');
    expect(e.message).toBe(
      [
        "model.axon:3:3: error: expected ')' or ',', found 'forward'",
        ' 3 |   forward(x: f32[N, 2]) = h(x)',
        '   |   ^^^^^^^',
        "model.axon:2:13: note: the '(' it would close",
        ' 2 |   h = linear(3',
        '   |             ^',
      ].join('\n'),
    );
  });

  test('a mismatched bracket names the bracket it should close', () => {
    const e = errorOf('fn f(x) = sum([x, x)\n');
    expect(e.message).toBe(
      [
        "model.axon:1:20: error: expected ']', found ')'",
        ' 1 | fn f(x) = sum([x, x)',
        '   |                    ^',
        "model.axon:1:15: note: to close this '['",
        ' 1 | fn f(x) = sum([x, x)',
        '   |               ^',
      ].join('\n'),
    );
  });

  test('an unclosed block points at its brace', () => {
    const e = errorOf('model M {\n  forward(x: f32[N, 2]) = x\n');
    expect(e.message).toBe(
      ["model.axon:1:9: error: unclosed '{': the file ends before it is closed", ' 1 | model M {', '   |         ^', "  = help: add '}' to close it"].join('\n'),
    );
  });

  test('a keyword where a name goes', () => {
    const e = errorOf('let model = 3\n');
    expect(e.message).toContain("model.axon:1:5: error: expected a name, found the keyword 'model'");
    expect(e.message).toContain("  = help: keyword 'model' is reserved: choose another name");
  });
});

describe('semantic errors are located the same way', () => {
  test('a shape conflict points at the operator', () => {
    const e = errorOf('model M {\n  param w: f32[3, 4] = 0.5\n  forward(x: f32[N, 2]) = x @ w\n}\n');
    expect(e.code).toBe('shape');
    expect(e.message).toBe(
      [
        'model.axon:3:29: error: matmul: contracted dimensions differ: 2 (axis 1 of the first) vs 3 (axis 0 of the second) (operands: f32[N,2], f32[3,4])',
        ' 3 |   forward(x: f32[N, 2]) = x @ w',
        '   |                             ^',
      ].join('\n'),
    );
  });

  test('an unknown name suggests the closest one', () => {
    const e = errorOf('model M {\n  h = linear(4, act = relo)\n  forward(x: f32[N, 2]) = h(x)\n}\n');
    expect(e.code).toBe('name');
    expect(e.message).toBe(
      ["model.axon:2:23: error: unknown name 'relo'", ' 2 |   h = linear(4, act = relo)', "   |                       ^^^^ did you mean 'relu'?"].join('\n'),
    );
  });

  test('wrong arity names the signature', () => {
    const e = errorOf('fn f(x) = relu(x, 2)\nmodel M { forward(x: f32[N, 2]) = f(x) }\n');
    expect(e.code).toBe('arity');
    expect(e.message).toBe(['model.axon:1:19: error: relu takes 1 argument, got 2', ' 1 | fn f(x) = relu(x, 2)', '   |                   ^', '  = help: its signature is relu(x)'].join('\n'));
  });

  test('every static problem of a file is reported at once', () => {
    const e = errorOf('fn f(x) = relo(x)\nfn g(y) = sum(y, axs = 1)\nmodel M { forward(x: f32[N, 2]) = f(x) }\n');
    expect(e.diagnostics.map((d) => [d.code, d.loc.line, d.loc.col])).toEqual([
      ['name', 1, 11],
      ['arity', 2, 18],
    ]);
  });

  test('a layer used on inputs of two sizes: both uses are shown', () => {
    const e = errorOf('model M {\n  h = linear(3)\n  forward(x: f32[N, 2]) = h(h(x))\n}\n');
    expect(e.code).toBe('shape');
    expect(e.message).toContain('model.axon:3:27: error: parameter h.weights is [3, 3] for this use, but [2, 3] for an earlier one');
    expect(e.message).toContain('model.axon:3:29: note: its first use makes it [2, 3]');
  });

  test('a declared result type that the body does not give', () => {
    const e = errorOf('model M {\n  h = linear(3)\n  forward(x: f32[N, 2]) -> f32[N, 4] = h(x)\n}\n');
    expect(e.message.split('\n')[0]).toBe('model.axon:3:28: error: the result of M.forward must be f32[N,4], got f32[N,3]: axis 1 is 3, not 4');
  });

  test('recursion is refused before anything is lowered', () => {
    const e = errorOf('fn f(x) = g(x)\nfn g(x) = f(x) + 1\nmodel M { forward(x: f32[N, 2]) = f(x) }\n');
    expect(e.message.split('\n')[0]).toBe('model.axon:2:11: error: f → g → f: functions cannot recurse');
  });

  test('constructs of other parts of axonic say what they wait for', () => {
    const e = errorOf('model M {\n  c = conv1d(8, 3)\n  forward(x: f32[N, 16, 2]) = c(x)\n}\n');
    expect(e.code).toBe('unsupported');
    expect(e.message.split('\n')[0]).toMatch(/^model\.axon:2:7: error: conv1d is not available in this build of axonic: it is a layer of the nn work/);
  });
});

describe('imports', () => {
  const files: Record<string, string> = {
    'model.axon': 'import "b.axon"\nfn fa(x) = x\n',
    'b.axon': 'import "c.axon"\nfn fb(x) = x\n',
    'c.axon': 'import "model.axon"\nfn fc(x) = x\n',
    'lib.axon': 'fn double(x) = 2 * x\n',
    'use.axon': 'import "lib.axon" as L\nmodel M { forward(x: f32[N]) = L.double(x) + L.tripple(x) }\n',
  };
  const host: SourceHost = {
    read: (path) => {
      const name = path.split('/').pop()!;
      if (!(name in files)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return files[name];
    },
  };

  test('a cycle is reported at the import that closes it, with the chain', () => {
    const e = errorOf(files['model.axon'], host);
    expect(e.code).toBe('import');
    expect(e.message).toBe(
      [
        'c.axon:1:8: error: import cycle: model.axon → b.axon → c.axon → model.axon',
        ' 1 | import "model.axon"',
        '   |        ^^^^^^^^^^^^',
        'model.axon:1:8: note: model.axon imports "b.axon" here',
        ' 1 | import "b.axon"',
        '   |        ^^^^^^^^',
        'b.axon:1:8: note: b.axon imports "c.axon" here',
        ' 1 | import "c.axon"',
        '   |        ^^^^^^^^',
        '  = help: files may not import each other in a circle: move what both need into a third file that both import',
      ].join('\n'),
    );
  });

  test('a missing file, and an unknown member of an imported file', () => {
    expect(errorOf('import "nope.axon"\n', host).message.split('\n')[0]).toMatch(/^model\.axon:1:8: error: cannot import "nope\.axon": no such file/);
    const e = errorOf(files['use.axon'], host);
    expect(e.message.split('\n')[0]).toBe('model.axon:2:48: error: "lib.axon" declares no \'tripple\'');
  });
});
