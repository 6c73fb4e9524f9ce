import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { ConstDecl, Decl, EnergyDecl, FnDecl, ImportDecl, ModelDecl, ModuleAst, TrainDecl } from './ast.ts';
import { AxonicError } from '../ir/index.ts';
import { Diagnostic, LangError, type Note } from './diagnostics.ts';
import { parseModule } from './parse.ts';
import { SourceFile } from './source.ts';

/** A top-level declaration that gives a name (imports give names too, but are kept apart). */
export type NamedDecl = ConstDecl | FnDecl | ModelDecl | EnergyDecl | TrainDecl;

/** One parsed model file and the declarations it sees. */
export interface Module {
  readonly file: SourceFile;
  readonly ast: ModuleAst;
  /** Its own declarations by name (train blocks are keyed by the model they train). */
  readonly own: ReadonlyMap<string, NamedDecl>;
  readonly trains: readonly TrainDecl[];
  /** Names it imports unqualified: each maps to the module that declares it. */
  readonly imported: ReadonlyMap<string, { readonly module: Module; readonly via: ImportDecl }>;
  /** `import "x.axon" as X`: X's module. */
  readonly aliases: ReadonlyMap<string, { readonly module: Module; readonly via: ImportDecl }>;
}

/** How files are found and read: the file system, or a map of texts in tests. */
export interface SourceHost {
  read(path: string): string;
}

export const fileSystem: SourceHost = { read: (path) => readFileSync(path, 'utf8') };

/** A path as diagnostics show it: relative to the working directory when inside it. */
export function displayPath(path: string): string {
  const abs = resolve(path);
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : abs;
}

/** Every file of one compilation, by absolute path: diagnostics of any of them can show their lines. */
export class Program {
  readonly modules = new Map<string, Module>();
  constructor(readonly entry: Module) {}
  fileOf(displayed: string): SourceFile | undefined {
    for (const m of this.modules.values()) if (m.file.path === displayed) return m.file;
    return undefined;
  }
}

const describeDecl = (d: NamedDecl): string => (d.kind === 'const' ? 'constant' : d.kind === 'fn' ? 'function' : d.kind);

/**
 * Loads a model file and, depth first, the files it imports (paths relative to the importing
 * file). A file imported twice is loaded once; an import that leads back to a file still loading
 * is a cycle, reported at that import with the chain that closes it.
 */
export function loadProgram(entryPath: string, host: SourceHost = fileSystem, text?: string): Program {
  const modules = new Map<string, Module>();
  const loading: { path: string; via?: { file: SourceFile; decl: ImportDecl } }[] = [];

  const load = (absolute: string, via?: { file: SourceFile; decl: ImportDecl }): Module => {
    const known = modules.get(absolute);
    if (known) return known;
    const open = loading.findIndex((l) => l.path === absolute);
    if (open >= 0) throw cycleError(loading.slice(open), via!);
    let source: string;
    try {
      source = text !== undefined && loading.length === 0 ? text : host.read(absolute);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
      if (!via) throw new ModuleReadError(`cannot read ${displayPath(absolute)}: ${why}`);
      throw new LangError([new Diagnostic('import', `cannot import "${via.decl.path}": ${why} (looked for ${displayPath(absolute)})`, via.file, via.decl.pathSpan)]);
    }
    const file = new SourceFile(displayPath(absolute), source);
    const ast = parseModule(file);
    loading.push({ path: absolute, via });
    try {
      const module = link(file, ast, (decl) => load(resolve(dirname(absolute), decl.path), { file, decl }));
      modules.set(absolute, module);
      return module;
    } finally {
      loading.pop();
    }
  };

  const entry = load(resolve(entryPath));
  const program = new Program(entry);
  for (const [k, m] of modules) program.modules.set(k, m);
  return program;
}

/** A file the user named cannot be read: there is no source line to show, so it is one line. */
export class ModuleReadError extends AxonicError {
  override name = 'ModuleReadError';
}

function cycleError(chain: readonly { path: string; via?: { file: SourceFile; decl: ImportDecl } }[], closing: { file: SourceFile; decl: ImportDecl }): LangError {
  const names = [...chain.map((c) => displayPath(c.path)), displayPath(chain[0].path)];
  const notes: Note[] = chain
    .slice(1)
    .map((c) => c.via!)
    .map((v) => ({ message: `${v.file.path} imports "${v.decl.path}" here`, file: v.file, span: v.decl.pathSpan }));
  return new LangError([
    new Diagnostic('import', `import cycle: ${names.join(' → ')}`, closing.file, closing.decl.pathSpan, {
      notes,
      help: 'files may not import each other in a circle: move what both need into a third file that both import',
    }),
  ]);
}

/** Builds a module's name tables: its own declarations, then its imports, with duplicates reported. */
function link(file: SourceFile, ast: ModuleAst, importModule: (d: ImportDecl) => Module): Module {
  const own = new Map<string, NamedDecl>();
  const trains: TrainDecl[] = [];
  const errors: Diagnostic[] = [];
  const spanOf = (d: Decl) => (d.kind === 'import' ? d.pathSpan : d.name.span);
  for (const d of ast.decls) {
    if (d.kind === 'import') continue;
    if (d.kind === 'train') {
      const twice = trains.find((t) => t.name.name === d.name.name);
      if (twice)
        errors.push(new Diagnostic('name', `model ${d.name.name} has two train blocks`, file, d.name.span, {
          notes: [{ message: 'the first one is here', file, span: twice.name.span }],
        }));
      trains.push(d);
      continue;
    }
    const first = own.get(d.name.name);
    if (first)
      errors.push(new Diagnostic('name', `${d.name.name} is declared twice`, file, d.name.span, {
        notes: [{ message: `the first declaration (a ${describeDecl(first)}) is here`, file, span: spanOf(first) }],
      }));
    else own.set(d.name.name, d);
  }
  const imported = new Map<string, { module: Module; via: ImportDecl }>();
  const aliases = new Map<string, { module: Module; via: ImportDecl }>();
  for (const d of ast.decls) {
    if (d.kind !== 'import') continue;
    const module = importModule(d);
    if (d.alias) {
      const clash = own.get(d.alias.name) ?? aliases.get(d.alias.name)?.via;
      if (clash)
        errors.push(new Diagnostic('name', `the import alias ${d.alias.name} is already a name of this file`, file, d.alias.span, {
          notes: [{ message: 'it is declared here', file, span: clash.kind === 'import' ? clash.alias!.span : clash.name.span }],
        }));
      else aliases.set(d.alias.name, { module, via: d });
      continue;
    }
    for (const [name] of module.own) {
      const local = own.get(name);
      const other = imported.get(name);
      if (local)
        errors.push(new Diagnostic('name', `${name} is declared here and also imported from "${d.path}"`, file, local.name.span, {
          notes: [{ message: 'the import is here', file, span: d.pathSpan }],
          help: `rename one of them, or import the file under a name: import "${d.path}" as M (then write M.${name})`,
        }));
      else if (other && other.module !== module)
        errors.push(new Diagnostic('name', `${name} is imported from both "${other.via.path}" and "${d.path}"`, file, d.pathSpan, {
          notes: [{ message: 'the first import is here', file, span: other.via.pathSpan }],
          help: `import one of the files under a name: import "${d.path}" as M`,
        }));
      else imported.set(name, { module, via: d });
    }
  }
  if (errors.length) throw new LangError(errors);
  return { file, ast, own, trains, imported, aliases };
}
