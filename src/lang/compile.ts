import type { HostTensor } from '../ir/index.ts';
import { checkProgram } from './check.ts';
import { Diagnostic, LangError } from './diagnostics.ts';
import { backwardGraph, declareParams, entryMethods, initialParams, methodGraph, type EntryGraph, type ParamInfo } from './lower.ts';
import type { ModelInstance } from './model.ts';
import { fileSystem, loadProgram, type Module, type Program, type SourceHost } from './modules.ts';
import { Session } from './scope.ts';
import { lowerTrain, type TrainPlan } from './train.ts';

export interface LoadOptions {
  /** How files are read (default: the file system). */
  readonly host?: SourceHost;
  /** The entry file's text, when it is not read from `path` (an editor buffer, a test). */
  readonly text?: string;
}

export interface LowerOptions extends LoadOptions {
  /** The model to lower; needed when the file declares several. */
  readonly model?: string;
}

/** A model file lowered to graphs: its parameters, forward and backward passes and training step. */
export interface LoweredModel {
  readonly program: Program;
  readonly module: Module;
  readonly name: string;
  readonly instance: ModelInstance;
  readonly params: readonly ParamInfo[];
  readonly forward: EntryGraph;
  /** Undefined when the model has no parameters or a non-f32 output. */
  readonly backward?: EntryGraph;
  /** Other methods with typed parameters (`embed(x: f32[N, 2]) = ...`), each a schedule of its own. */
  readonly methods: ReadonlyMap<string, EntryGraph>;
  /** The model's train block, lowered; undefined when the file has none for this model. */
  readonly train?: TrainPlan;
  /** The parameters' initial values for a seed (the train block's seed by default, else 0). */
  initialParams(seed?: number): HostTensor[];
}

/** Parses a model file and its imports and checks names and calls; throws LangError with every problem found. */
export function loadChecked(path: string, options: LoadOptions = {}): Program {
  const program = loadProgram(path, options.host ?? fileSystem, options.text);
  const problems = checkProgram(program);
  if (problems.length) throw new LangError(problems);
  return program;
}

/** The names of the models a file declares itself. */
export const modelsOf = (m: Module): string[] => [...m.own.values()].filter((d) => d.kind === 'model').map((d) => d.name.name);

/** Lowers one model of a file to its graphs (shape inference included: every shape error is a diagnostic). */
export function lowerModelFile(path: string, options: LowerOptions = {}): LoweredModel {
  const program = loadChecked(path, options);
  return lowerModel(program, options.model);
}

export function lowerModel(program: Program, model?: string): LoweredModel {
  const module = program.entry;
  const name = chooseModel(module, model);
  const session = new Session(program);
  const ctor = session.model(module, name)!;
  const decl = ctor.decl;
  const instance = ctor.instantiate([], { file: module.file, span: decl.name.span, call: decl.name.span });
  if (!instance.method('forward'))
    throw new LangError([new Diagnostic('name', `model ${name} has no forward method`, module.file, decl.name.span, {
      help: 'declare one: forward(x: f32[N, 4]) = ...',
    })]);
  const params = declareParams(instance);
  const forward = methodGraph(instance, params, 'forward');
  const methods = new Map<string, EntryGraph>();
  for (const m of entryMethods(instance)) {
    if (m === 'forward') continue;
    const decl = instance.method(m)!;
    if (m === 'backward' || m === 'train_step')
      throw new LangError([new Diagnostic('name', `a method may not be called ${m}: that is the name of a schedule axonic derives`, module.file, decl.name.span)]);
    methods.set(m, methodGraph(instance, params, m));
  }
  const backward = backwardGraph(instance, params, forward);
  const trainDecl = module.trains.find((t) => t.name.name === name);
  const train = trainDecl ? lowerTrain(session, module, trainDecl, instance, params) : undefined;
  return {
    program, module, name, instance, params, forward, backward, methods, train,
    initialParams: (seed = train?.seed ?? 0) => initialParams(instance, params, seed),
  };
}

function chooseModel(module: Module, wanted: string | undefined): string {
  const own = modelsOf(module);
  const file = module.file;
  const whole = { start: 0, end: 0 };
  if (wanted !== undefined) {
    const decl = module.own.get(wanted) ?? module.imported.get(wanted)?.module.own.get(wanted);
    if (decl?.kind === 'model') return wanted;
    throw new LangError([new Diagnostic('name', `${file.path} has no model ${wanted}`, file, whole, {
      help: own.length ? `its models: ${own.join(', ')}` : 'it declares no model',
    })]);
  }
  if (own.length === 1) return own[0];
  if (own.length === 0) throw new LangError([new Diagnostic('name', `${file.path} declares no model`, file, whole, { help: 'declare one: model Name { forward(x: f32[N, 4]) = ... }' })]);
  throw new LangError([new Diagnostic('name', `${file.path} declares ${own.length} models (${own.join(', ')}): say which one`, file, whole, {
    help: `pass --model NAME (or { model: 'NAME' }), e.g. --model ${own[0]}`,
  })]);
}
