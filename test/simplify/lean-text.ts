/**
 * Checks printed IR text (not graph objects) for the two things a simplified graph must not
 * hold: a dead value (a line none of whose results a later line or a return/yield uses) and a
 * duplicate subexpression (two lines of one block with the same right-hand side: op, attributes
 * and operands). Function and region parameters are interfaces and may go unused. A line with
 * several results (a loop) is live when one of them is used: a loop's carried state that another
 * state reads must be computed even when its final value goes unused.
 */

const LOC = / @\S+$/;
const PARAM = /%\d+: \w+\[[^\]]*\]/;
/** ` body(%5: f32[2], %6: i32[]) {` at the end of a line that opens a region. */
const REGION_HEAD = new RegExp(` \\w+\\(((?:${PARAM.source}(?:, )?)*)\\) \\{$`);
const VALUE = /%\d+/g;

export interface LeanReport {
  /** Results of lines that nothing uses, with their line numbers (1-based). */
  readonly dead: readonly string[];
  /** Right-hand sides written twice in one block, with both line numbers. */
  readonly duplicates: readonly string[];
}

/** Region text with its values renumbered in order of appearance (regions are isolated). */
const normalise = (lines: readonly string[]): string => {
  const local = new Map<string, string>();
  return lines.join('\n').replace(VALUE, (v) => {
    if (!local.has(v)) local.set(v, `%r${local.size}`);
    return local.get(v)!;
  });
};

export function checkLean(text: string): LeanReport {
  const defined: { results: string[]; lineNo: number }[] = [];
  const used = new Set<string>();
  const duplicates: string[] = [];
  // One map of right-hand sides per open block (function body, each region body).
  const blocks: Map<string, number>[] = [];
  // Nodes with regions still open: their right-hand side is the head and the regions' text.
  const open: { rhs: string; lineNo: number; block: Map<string, number>; body: string[] }[] = [];
  const record = (block: Map<string, number>, rhs: string, lineNo: number) => {
    const earlier = block.get(rhs);
    if (earlier !== undefined) duplicates.push(`lines ${earlier} and ${lineNo}: ${rhs.split('\n')[0]}`);
    else block.set(rhs, lineNo);
  };
  text.split('\n').forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim().replace(LOC, '');
    if (line === '') return;
    for (const node of open) node.body.push(line);
    if (line.startsWith('func ')) {
      blocks.push(new Map());
      return;
    }
    if (line.startsWith('}')) {
      blocks.pop();
      // `} bwd(...) {`: the next region of the same node.
      if (REGION_HEAD.test(line)) blocks.push(new Map());
      else if (open.length > 0 && blocks.length === open.length) {
        const node = open.pop()!;
        record(node.block, `${node.rhs}\n${normalise(node.body)}`, node.lineNo);
      }
      return;
    }
    if (line.startsWith('return') || line.startsWith('yield')) {
      for (const v of line.match(VALUE) ?? []) used.add(v);
      return;
    }
    const eq = line.indexOf(' = ');
    if (eq < 0) throw new Error(`line ${lineNo} is not IR: ${raw}`);
    const head = line.match(REGION_HEAD);
    const rhs = head ? line.slice(eq + 3, line.length - head[0].length) : line.slice(eq + 3);
    defined.push({ results: line.slice(0, eq).match(VALUE) ?? [], lineNo });
    for (const v of rhs.match(VALUE) ?? []) used.add(v);
    const block = blocks[blocks.length - 1];
    if (head) {
      open.push({ rhs, lineNo, block, body: [head[0]] });
      blocks.push(new Map());
    } else record(block, rhs, lineNo);
  });
  const dead = defined
    .filter(({ results }) => !results.some((v) => used.has(v)))
    .map(({ results, lineNo }) => `${results.join(', ')} (line ${lineNo})`);
  return { dead, duplicates };
}
