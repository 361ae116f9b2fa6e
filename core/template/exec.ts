/**
 * The executor: walks a parse tree with Go text/template semantics. It is written as
 * generators that yield only when a function returns a Promise (e.g. `query`), so templates
 * without asynchronous functions run synchronously with no promise per node.
 * @module
 */
import type {
  ArgNode,
  BranchNode,
  CommandNode,
  ListNode,
  Node,
  NumberNode,
  PipeNode,
} from './ast.ts';
import { nodeString } from './ast.ts';
import { FuncError, TemplateError } from './errors.ts';
import { sprintValue } from './format.ts';
import type { ParsedTemplate } from './parser.ts';
import { kindOf, mapGet, mapKeys, truth, typeName, utf8Length } from './values.ts';

/** A parameter type of a template function, for Go's argument checks and conversions. */
export type ParamType =
  | 'any'
  | 'value'
  | 'string'
  | 'float64'
  | 'int'
  | 'bool'
  | { readonly name: string; readonly check: (v: unknown) => boolean };

/** A function callable from templates, with Go-like typed parameters. */
export interface TemplateFunc {
  /** Fixed parameters. */
  readonly params: readonly ParamType[];
  /** The type of extra arguments, when the function is variadic. */
  readonly variadic?: ParamType;
  /** The implementation; throw to fail with `error calling NAME: …`; may return a Promise. */
  readonly fn: (...args: never[]) => unknown;
}

/** Functions by name (a `Map` will do). */
export type FuncMap = Pick<ReadonlyMap<string, TemplateFunc>, 'get' | 'has'>;

/** Options for {@link execute}. */
export interface ExecOptions {
  /** Missing map keys: `zero` (Prometheus's default, prints `<no value>`) or `error`. */
  readonly missingKey?: 'zero' | 'error';
  /** The template to run; defaults to the parsed text's own name. */
  readonly entry?: string;
}

type Gen<T> = Generator<PromiseLike<unknown>, T, unknown>;
type Signal = 'break' | 'continue' | undefined;

const MISSING: unique symbol = Symbol('missing');
type Final = unknown | typeof MISSING;
// Go allows 100000 nested template calls; JS stacks hold fewer generator frames.
const MAX_DEPTH = 500;

interface Variable {
  name: string;
  value: unknown;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' &&
    typeof (v as { then?: unknown }).then === 'function';
}

function paramName(t: ParamType): string {
  if (typeof t === 'object') return t.name;
  return t === 'any' ? 'interface {}' : t === 'value' ? 'reflect.Value' : t;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class State {
  node: { pos: number; str: () => string } | undefined;
  vars: Variable[];
  depth = 0;
  readonly out: string[] = [];

  constructor(
    readonly parsed: ParsedTemplate,
    public tmplName: string,
    readonly funcs: FuncMap,
    readonly missingKey: 'zero' | 'error',
    data: unknown,
  ) {
    this.vars = [{ name: '$', value: data }];
  }

  at(n: ArgNode | CommandNode | Node) {
    this.node = { pos: n.pos, str: () => nodeString(n) };
  }

  errorf(msg: string): never {
    const name = this.tmplName;
    if (!this.node) throw new TemplateError(`template: ${name}: ${msg}`, 'exec');
    const text = this.parsed.text;
    const pos = this.node.pos;
    const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
    let line = 1;
    for (let k = 0; k < lineStart; k++) if (text.charCodeAt(k) === 10) line++;
    const col = utf8Length(text.slice(lineStart, pos));
    const loc = `${this.parsed.name}:${line}:${col}`;
    throw new TemplateError(
      `template: ${loc}: executing ${JSON.stringify(name)} at <${this.node.str()}>: ${msg}`,
      'exec',
    );
  }

  *walk(dot: unknown, node: Node): Gen<Signal> {
    this.at(node);
    switch (node.type) {
      case 'text':
        this.out.push(node.text);
        return;
      case 'action': {
        const v = yield* this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, v);
        return;
      }
      case 'break':
      case 'continue':
        return node.type;
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        try {
          const v = yield* this.evalPipeline(dot, node.pipe);
          if (truth(v)) return yield* this.walk(node.type === 'with' ? v : dot, node.list);
          if (node.elseList) return yield* this.walk(dot, node.elseList);
          return;
        } finally {
          this.vars.length = mark;
        }
      }
      case 'list':
        for (const n of node.nodes) {
          const s = yield* this.walk(dot, n);
          if (s) return s;
        }
        return;
      case 'range':
        yield* this.walkRange(dot, node);
        return;
      case 'template':
        yield* this.walkTemplate(dot, node.name, node.pipe, node);
        return;
    }
  }

  *walkRange(dot: unknown, r: BranchNode): Gen<void> {
    const mark = this.vars.length;
    try {
      const val = yield* this.evalPipeline(dot, r.pipe);
      const inner = this.vars.length;
      const decl = r.pipe.decl;
      let ran = false;
      switch (kindOf(val)) {
        case 'slice': {
          const arr = val as unknown[];
          for (let i = 0; i < arr.length; i++) {
            ran = true;
            if ((yield* this.rangeOnce(r, inner, BigInt(i), arr[i])) === 'break') break;
          }
          break;
        }
        case 'map': {
          const m = val as object;
          for (const k of mapKeys(m)) {
            ran = true;
            if ((yield* this.rangeOnce(r, inner, k, mapGet(m, k))) === 'break') break;
          }
          break;
        }
        case 'int': {
          if (decl.length > 1) {
            this.errorf(`can't use ${sprintValue(val)} to iterate over more than one variable`);
          }
          for (let i = 0n; i < (val as bigint); i++) {
            ran = true;
            if ((yield* this.rangeOnce(r, inner, i, i)) === 'break') break;
          }
          break;
        }
        case 'invalid':
        case 'nil':
          break;
        case 'func':
          this.errorf(`range over ${typeName(val)} is not supported`);
          break;
        default:
          this.errorf(`range can't iterate over ${sprintValue(val)}`);
      }
      if (!ran && r.elseList) yield* this.walk(dot, r.elseList);
    } finally {
      this.vars.length = mark;
    }
  }

  *rangeOnce(r: BranchNode, inner: number, index: unknown, elem: unknown): Gen<Signal> {
    const decl = r.pipe.decl;
    if (decl.length > 0) {
      if (r.pipe.isAssign) {
        if (decl.length > 1) {
          this.setVar(decl[0].name, index);
          this.setVar(decl[1].name, elem);
        } else this.setVar(decl[0].name, elem);
      } else if (decl.length === 1) this.vars[this.vars.length - 1].value = elem;
      else {
        this.vars[this.vars.length - 2].value = index;
        this.vars[this.vars.length - 1].value = elem;
      }
    }
    try {
      return yield* this.walk(elem, r.list);
    } finally {
      this.vars.length = inner;
    }
  }

  *walkTemplate(dot: unknown, name: string, pipe: PipeNode | undefined, node: Node): Gen<void> {
    this.at(node);
    const tree = this.parsed.trees.get(name);
    if (!tree) this.errorf(`template ${JSON.stringify(name)} not defined`);
    if (this.depth >= MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
    const newDot = pipe ? yield* this.evalPipeline(dot, pipe) : undefined;
    const saved = [this.tmplName, this.vars, this.depth] as const;
    this.tmplName = name;
    this.vars = [{ name: '$', value: newDot }];
    this.depth++;
    try {
      yield* this.walk(newDot, tree);
    } finally {
      [this.tmplName, this.vars, this.depth] = saved;
    }
  }

  printValue(node: Node, v: unknown) {
    this.at(node);
    if (typeof v === 'string') this.out.push(v);
    else if (v === undefined) this.out.push('<no value>');
    else if (typeof v === 'function') {
      this.errorf(`can't print ${nodeString(node)} of type ${typeName(v)}`);
    } else this.out.push(sprintValue(v));
  }

  varValue(name: string): unknown {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) return this.vars[i].value;
    }
    this.errorf(`undefined variable: ${name}`);
  }

  setVar(name: string, value: unknown) {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  *evalPipeline(dot: unknown, pipe: PipeNode): Gen<unknown> {
    this.at(pipe);
    let value: unknown = MISSING;
    for (const cmd of pipe.cmds) value = yield* this.evalCommand(dot, cmd, value);
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.setVar(d.name, value);
      else this.vars.push({ name: d.name, value });
    }
    return value;
  }

  notAFunction(args: readonly ArgNode[], final: Final) {
    if (args.length > 1 || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
    }
  }

  *evalCommand(dot: unknown, cmd: CommandNode, final: Final): Gen<unknown> {
    const first = cmd.args[0];
    switch (first.type) {
      case 'field':
        this.at(first);
        return yield* this.evalFieldChain(dot, dot, first, first.ident, cmd.args, final);
      case 'chain':
        return yield* this.evalChain(dot, first, cmd.args, final);
      case 'identifier':
        return yield* this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return yield* this.evalPipeline(dot, first);
      case 'variable':
        return yield* this.evalVariable(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        this.errorf('nil is not a command');
        break;
      case 'number':
        return this.idealConstant(first);
      case 'string':
        return first.text;
    }
    this.errorf(`can't evaluate command ${JSON.stringify(nodeString(first))}`);
  }

  idealConstant(n: NumberNode): unknown {
    const hexInt = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !hexInt && !n.text.startsWith("'") && /[.eEpP]/.test(n.text)) return n.float;
    if (n.isInt) return n.int;
    this.errorf(`${n.text} overflows int`);
  }

  *evalChain(
    dot: unknown,
    chain: Extract<ArgNode, { type: 'chain' }>,
    args: readonly ArgNode[] | undefined,
    final: Final,
  ): Gen<unknown> {
    this.at(chain);
    if (chain.node.type === 'nil') {
      this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    }
    const recv = yield* this.evalArg(dot, undefined, chain.node);
    return yield* this.evalFieldChain(dot, recv, chain, chain.fields, args, final);
  }

  *evalVariable(
    dot: unknown,
    v: Extract<ArgNode, { type: 'variable' }>,
    args: readonly ArgNode[] | undefined,
    final: Final,
  ): Gen<unknown> {
    this.at(v);
    const value = this.varValue(v.ident[0]);
    if (v.ident.length === 1) {
      if (args) this.notAFunction(args, final);
      return value;
    }
    return yield* this.evalFieldChain(dot, value, v, v.ident.slice(1), args, final);
  }

  *evalFieldChain(
    dot: unknown,
    receiver: unknown,
    node: ArgNode,
    ident: readonly string[],
    args: readonly ArgNode[] | undefined,
    final: Final,
  ): Gen<unknown> {
    const n = ident.length;
    for (let i = 0; i < n - 1; i++) {
      receiver = yield* this.evalField(dot, ident[i], node, undefined, MISSING, receiver);
    }
    return yield* this.evalField(dot, ident[n - 1], node, args, final, receiver);
  }

  *evalField(
    dot: unknown,
    name: string,
    node: ArgNode,
    args: readonly ArgNode[] | undefined,
    final: Final,
    receiver: unknown,
  ): Gen<unknown> {
    if (receiver === undefined) {
      if (this.missingKey === 'error') this.errorf(`nil data; no entry for key "${name}"`);
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${name}`);
    const hasArgs = (args !== undefined && args.length > 1) || final !== MISSING;
    const kind = kindOf(receiver);
    // Go looks up methods before fields and map keys, on every named type: Alertmanager
    // templates call `.Alerts.Firing` on a slice and `.CommonLabels.SortedPairs` on a map.
    // Exported (capitalised) names only, so JavaScript's own Map and Array methods stay hidden.
    const member = (receiver as Record<string, unknown>)[name];
    if (kind === 'struct' || (/^\p{Lu}/u.test(name) && typeof member === 'function')) {
      const obj = receiver as Record<string, unknown>;
      if (typeof member === 'function') {
        const method: TemplateFunc = {
          params: [],
          variadic: 'any',
          fn: (...a: unknown[]) => (member as (...x: unknown[]) => unknown).apply(obj, a),
        };
        return yield* this.evalCall(dot, method, false, node, name, args, final);
      }
      if (name in obj) {
        if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
        return member === undefined ? null : member;
      }
    } else if (kind === 'map') {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      const v = mapGet(receiver as object, name);
      if (v === undefined && this.missingKey === 'error') {
        this.errorf(`map has no entry for key "${name}"`);
      }
      return v;
    }
    this.errorf(`can't evaluate field ${name} in type ${typeName(receiver)}`);
  }

  *evalFunction(
    dot: unknown,
    node: Extract<ArgNode, { type: 'identifier' }>,
    cmd: CommandNode | ArgNode,
    args: readonly ArgNode[] | undefined,
    final: Final,
  ): Gen<unknown> {
    this.at(node);
    const fn = this.funcs.get(node.name);
    if (!fn) this.errorf(`"${node.name}" is not a defined function`);
    return yield* this.evalCall(dot, fn, BUILTIN_NAMES.has(node.name), cmd, node.name, args, final);
  }

  *evalCall(
    dot: unknown,
    fn: TemplateFunc,
    isBuiltin: boolean,
    node: CommandNode | ArgNode,
    name: string,
    args: readonly ArgNode[] | undefined,
    final: Final,
  ): Gen<unknown> {
    const argNodes = args ? args.slice(1) : [];
    const numIn = argNodes.length + (final !== MISSING ? 1 : 0);
    const numFixed = fn.params.length;
    if (fn.variadic !== undefined) {
      if (numIn < numFixed) {
        this.errorf(
          `wrong number of args for ${name}: want at least ${numFixed} got ${argNodes.length}`,
        );
      }
    } else if (numIn !== numFixed) {
      this.errorf(`wrong number of args for ${name}: want ${numFixed} got ${numIn}`);
    }
    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: unknown;
      for (const a of argNodes) {
        v = yield* this.evalArg(dot, 'value', a);
        if (truth(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = final;
      return v;
    }
    const argv: unknown[] = [];
    let i = 0;
    for (; i < numFixed && i < argNodes.length; i++) {
      argv.push(yield* this.evalArg(dot, fn.params[i], argNodes[i]));
    }
    if (fn.variadic !== undefined) {
      for (; i < argNodes.length; i++) {
        argv.push(yield* this.evalArg(dot, fn.variadic, argNodes[i]));
      }
    }
    if (final !== MISSING) {
      const t = argv.length < numFixed ? fn.params[argv.length] : fn.variadic!;
      argv.push(this.validateType(final, t));
    }
    let result: unknown;
    try {
      result = (fn.fn as (...a: unknown[]) => unknown)(...argv);
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      this.at(node);
      this.errorf(`error calling ${name}: ${errorMessage(e)}`);
    }
    if (isThenable(result)) {
      try {
        result = yield result;
      } catch (e) {
        if (e instanceof TemplateError) throw e;
        this.at(node);
        this.errorf(`error calling ${name}: ${errorMessage(e)}`);
      }
    }
    return result;
  }

  *evalArg(dot: unknown, typ: ParamType | undefined, n: ArgNode): Gen<unknown> {
    this.at(n);
    switch (n.type) {
      case 'dot':
        return this.validateType(dot, typ);
      case 'nil':
        if (typ === undefined || typ === 'any' || typ === 'value' || typeof typ === 'object') {
          return null;
        }
        this.errorf(`cannot assign nil to ${paramName(typ)}`);
        break;
      case 'field':
        return this.validateType(
          yield* this.evalFieldChain(dot, dot, n, n.ident, [n], MISSING),
          typ,
        );
      case 'variable':
        return this.validateType(yield* this.evalVariable(dot, n, undefined, MISSING), typ);
      case 'pipe':
        return this.validateType(yield* this.evalPipeline(dot, n), typ);
      case 'identifier':
        return this.validateType(yield* this.evalFunction(dot, n, n, undefined, MISSING), typ);
      case 'chain':
        return this.validateType(yield* this.evalChain(dot, n, undefined, MISSING), typ);
    }
    switch (typ) {
      case 'bool':
        if (n.type === 'bool') return n.value;
        this.errorf(`expected bool; found ${nodeString(n)}`);
        break;
      case 'float64':
        if (n.type === 'number' && n.isFloat) return n.float;
        this.errorf(`expected float; found ${nodeString(n)}`);
        break;
      case 'int':
        if (n.type === 'number' && n.isInt) return n.int;
        this.errorf(`expected integer; found ${nodeString(n)}`);
        break;
      case 'string':
        if (n.type === 'string') return n.text;
        this.errorf(`expected string; found ${nodeString(n)}`);
        break;
      case undefined:
      case 'any':
      case 'value':
        switch (n.type) {
          case 'bool':
            return n.value;
          case 'number':
            return this.idealConstant(n);
          case 'string':
            return n.text;
        }
    }
    this.errorf(`can't handle ${nodeString(n)} for arg of type ${paramName(typ!)}`);
  }

  validateType(value: unknown, typ: ParamType | undefined): unknown {
    if (typ === undefined || typ === 'value') return value;
    if (value === undefined) {
      if (typ === 'any' || typeof typ === 'object') return null;
      this.errorf(`invalid value; expected ${paramName(typ)}`);
    }
    let ok: boolean;
    switch (typ) {
      case 'any':
        return value;
      case 'string':
        ok = typeof value === 'string';
        break;
      case 'float64':
        ok = typeof value === 'number';
        break;
      case 'int':
        ok = typeof value === 'bigint';
        break;
      case 'bool':
        ok = typeof value === 'boolean';
        break;
      default:
        ok = value === null || typ.check(value);
    }
    if (!ok) {
      this.errorf(`wrong type for value; expected ${paramName(typ)}; got ${typeName(value)}`);
    }
    return value;
  }
}

/** Names whose functions get Go's builtin treatment (short-circuit `and`/`or`). */
const BUILTIN_NAMES = new Set(['and', 'or']);

/** Throws a {@link FuncError}; a helper for function implementations. */
export function fail(message: string): never {
  throw new FuncError(message);
}

function drive(gen: Gen<void>, state: State): string | Promise<string> {
  const r = gen.next();
  if (r.done) return state.out.join('');
  return continueAsync(gen, r.value, state);
}

async function continueAsync(
  gen: Gen<void>,
  pending: PromiseLike<unknown>,
  state: State,
): Promise<string> {
  let p = pending;
  while (true) {
    let value: unknown;
    let error: unknown;
    let failed = false;
    try {
      value = await p;
    } catch (e) {
      error = e;
      failed = true;
    }
    const r = failed ? gen.throw(error) : gen.next(value);
    if (r.done) return state.out.join('');
    p = r.value;
  }
}

/**
 * Executes a parsed template on `data`. Returns a string when no function returned a Promise,
 * otherwise a Promise of the string.
 * @throws {TemplateError} (or rejects with one) on any execution error.
 */
export function execute(
  parsed: ParsedTemplate,
  data: unknown,
  funcs: FuncMap,
  opts: ExecOptions = {},
): string | Promise<string> {
  const entry = opts.entry ?? parsed.name;
  const tree: ListNode | undefined = parsed.trees.get(entry);
  const state = new State(parsed, entry, funcs, opts.missingKey ?? 'zero', data);
  if (!tree) {
    throw new TemplateError(
      `template: no template ${JSON.stringify(entry)} associated with template ${
        JSON.stringify(parsed.name)
      }`,
      'exec',
    );
  }
  const gen = (function* (): Gen<void> {
    yield* state.walk(data, tree);
  })();
  return drive(gen, state);
}
