/**
 * The text/template parser: builds parse trees for the main template and every `define` and
 * `block` in it, with Go's checks (defined functions and variables, `break` inside `range`,
 * pipeline shapes) and Go's error messages.
 * @module
 */
import type { ArgNode, CommandNode, ListNode, Node, NumberNode, PipeNode } from './ast.ts';
import { nodeString } from './ast.ts';
import { TemplateError } from './errors.ts';
import { lex, type Token, type TokenType } from './lexer.ts';
import { parseGoFloat, parseGoInt, unquote } from './literals.ts';

/** A parsed template: its text, its name and the trees of all templates it defines. */
export interface ParsedTemplate {
  /** The name used in error messages (`template: NAME:1:3: …`). */
  readonly name: string;
  /** The source text, for positions in error messages. */
  readonly text: string;
  /** Every template by name, the main one included. */
  readonly trees: ReadonlyMap<string, ListNode>;
  /** Every function name the text calls, with its position, for late checks. */
  readonly functions: readonly { readonly name: string; readonly pos: number }[];
}

/** Options for {@link parse}. */
export interface ParseOptions {
  /** Whether a function name exists; unknown names are parse errors, as in Go. */
  hasFunction?: (name: string) => boolean;
}

class Parser {
  readonly tokens: Token[];
  i = 0;
  vars: string[] = ['$'];
  rangeDepth = 0;
  last: Token;
  readonly trees = new Map<string, ListNode>();
  readonly functions: { name: string; pos: number }[] = [];

  constructor(
    readonly text: string,
    readonly name: string,
    readonly hasFunction: (name: string) => boolean,
  ) {
    this.tokens = lex(text);
    this.last = this.tokens[0];
  }

  error(msg: string, pos = this.last.pos): never {
    throw parseError(this.name, this.text, pos, msg);
  }

  next(): Token {
    const t = this.tokens[Math.min(this.i, this.tokens.length - 1)];
    this.i++;
    this.last = t;
    return t;
  }
  backup(n = 1) {
    this.i -= n;
  }
  peek(): Token {
    return this.tokens[Math.min(this.i, this.tokens.length - 1)];
  }
  nextNonSpace(): Token {
    let t: Token;
    do t = this.next(); while (t.type === 'space');
    return t;
  }
  peekNonSpace(): Token {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }
  isKeyword(t: Token, word: string): boolean {
    return t.type === 'keyword' && t.val === word;
  }

  tokenString(t: Token): string {
    switch (t.type) {
      case 'eof':
        return 'EOF';
      case 'error':
        return t.val;
      case 'keyword':
        return `<${t.val}>`;
      case 'leftDelim':
      case 'rightDelim':
      case 'text':
      default: {
        const q = JSON.stringify(t.val);
        return t.val.length > 10 ? `${JSON.stringify(t.val.slice(0, 10))}...` : q;
      }
    }
  }

  unexpected(t: Token, context: string): never {
    if (t.type === 'error') this.error(t.val, t.pos);
    this.error(`unexpected ${this.tokenString(t)} in ${context}`, t.pos);
  }

  expect(type: TokenType, context: string): Token {
    const t = this.nextNonSpace();
    if (t.type !== type) this.unexpected(t, context);
    return t;
  }

  add(name: string, root: ListNode) {
    const existing = this.trees.get(name);
    if (existing === undefined || isEmptyTree(existing)) {
      this.trees.set(name, root);
      return;
    }
    if (!isEmptyTree(root)) this.error(`template: multiple definition of template "${name}"`);
  }

  parse(): ParsedTemplate {
    const root: ListNode = { type: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().type !== 'eof') {
      if (this.peek().type === 'leftDelim') {
        const save = this.i;
        this.next();
        if (this.isKeyword(this.nextNonSpace(), 'define')) {
          this.parseDefinition();
          continue;
        }
        this.i = save;
      }
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') this.error(`unexpected {{${n.type}}}`);
      root.nodes.push(n);
    }
    if (this.peek().type === 'error') this.unexpected(this.peek(), 'input');
    this.add(this.name, root);
    return { name: this.name, text: this.text, trees: this.trees, functions: this.functions };
  }

  withFreshScope<T>(fn: () => T): T {
    const [vars, depth] = [this.vars, this.rangeDepth];
    this.vars = ['$'];
    this.rangeDepth = 0;
    try {
      return fn();
    } finally {
      this.vars = vars;
      this.rangeDepth = depth;
    }
  }

  parseDefinition() {
    const context = 'define clause';
    const t = this.nextNonSpace();
    if (t.type !== 'string' && t.type !== 'rawString') this.unexpected(t, context);
    const name = this.unquoteOrFail(t);
    this.expect('rightDelim', context);
    this.withFreshScope(() => {
      const [list, end] = this.itemList();
      if (end.type !== 'end') this.error(`unexpected ${nodeString(end)} in ${context}`);
      this.add(name, list);
    });
  }

  unquoteOrFail(t: Token): string {
    const s = unquote(t.val);
    if (s === undefined) this.error('invalid syntax', t.pos);
    return s;
  }

  itemList(): [ListNode, Node] {
    const list: ListNode = { type: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().type !== 'eof') {
      const n = this.textOrAction();
      if (n.type === 'end' || n.type === 'else') return [list, n];
      list.nodes.push(n);
    }
    const t = this.peekNonSpace();
    if (t.type === 'error') this.unexpected(t, 'input');
    this.error('unexpected EOF');
  }

  textOrAction(): Node {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'text':
        return { type: 'text', pos: t.pos, text: t.val };
      case 'leftDelim':
        return this.action();
      case 'comment':
        return { type: 'comment', pos: t.pos };
    }
    this.unexpected(t, 'input');
  }

  action(): Node {
    const t = this.nextNonSpace();
    if (t.type === 'keyword') {
      switch (t.val) {
        case 'block':
          return this.blockControl();
        case 'break':
        case 'continue': {
          const r = this.nextNonSpace();
          if (r.type !== 'rightDelim') this.unexpected(r, `{{${t.val}}}`);
          if (this.rangeDepth === 0) this.error(`{{${t.val}}} outside {{range}}`, t.pos);
          return { type: t.val, pos: t.pos };
        }
        case 'else': {
          const p = this.peekNonSpace();
          if (this.isKeyword(p, 'if') || this.isKeyword(p, 'with')) {
            return { type: 'else', pos: p.pos };
          }
          const r = this.expect('rightDelim', 'else');
          return { type: 'else', pos: r.pos };
        }
        case 'end':
          return { type: 'end', pos: this.expect('rightDelim', 'end').pos };
        case 'if':
        case 'range':
        case 'with':
          return this.control(t.val);
        case 'template':
          return this.templateControl();
      }
    }
    this.backup();
    const pos = this.peek().pos;
    return { type: 'action', pos, pipe: this.pipeline('command', 'rightDelim') };
  }

  control(context: 'if' | 'range' | 'with'): Node {
    const mark = this.vars.length;
    try {
      const pipe = this.pipeline(context, 'rightDelim');
      if (context === 'range') this.rangeDepth++;
      const [list, next] = this.itemList();
      if (context === 'range') this.rangeDepth--;
      let elseList: ListNode | undefined;
      if (next.type === 'else') {
        const p = this.peekNonSpace();
        if ((context === 'if' || context === 'with') && this.isKeyword(p, context)) {
          this.nextNonSpace();
          elseList = { type: 'list', pos: next.pos, nodes: [this.control(context)] };
        } else {
          let end: Node;
          [elseList, end] = this.itemList();
          if (end.type !== 'end') this.error(`expected end; found ${nodeString(end)}`);
        }
      }
      return { type: context, pos: pipe.pos, pipe, list, elseList };
    } finally {
      this.vars.length = mark;
    }
  }

  templateControl(): Node {
    const context = 'template clause';
    const t = this.nextNonSpace();
    if (t.type !== 'string' && t.type !== 'rawString') this.unexpected(t, context);
    const name = this.unquoteOrFail(t);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().type !== 'rightDelim') {
      this.backup();
      pipe = this.pipeline(context, 'rightDelim');
    }
    return { type: 'template', pos: t.pos, name, pipe };
  }

  blockControl(): Node {
    const context = 'block clause';
    const t = this.nextNonSpace();
    if (t.type !== 'string' && t.type !== 'rawString') this.unexpected(t, context);
    const name = this.unquoteOrFail(t);
    const pipe = this.pipeline(context, 'rightDelim');
    this.withFreshScope(() => {
      const [list, end] = this.itemList();
      if (end.type !== 'end') this.error(`unexpected ${nodeString(end)} in ${context}`);
      this.add(name, list);
    });
    return { type: 'template', pos: t.pos, name, pipe };
  }

  pipeline(context: string, end: 'rightDelim' | 'rightParen'): PipeNode {
    const first = this.peekNonSpace();
    const pipe: PipeNode = { type: 'pipe', pos: first.pos, isAssign: false, decl: [], cmds: [] };
    decls: while (this.peekNonSpace().type === 'variable') {
      const v = this.nextNonSpace();
      const next = this.peekNonSpace();
      if (next.type === 'assign' || next.type === 'declare') {
        pipe.isAssign = next.type === 'assign';
        this.nextNonSpace();
        pipe.decl.push({ pos: v.pos, name: v.val });
        this.vars.push(v.val);
      } else if (next.type === 'char' && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push({ pos: v.pos, name: v.val });
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().type;
          if (p === 'variable' || p === 'rightDelim' || p === 'rightParen') continue decls;
          this.error('range can only initialize variables');
        }
        this.error(`too many declarations in ${context}`);
      } else {
        // `$x foo` or `$x.f`: $x is an operand, not a declaration.
        this.i = this.tokens.indexOf(v);
      }
      break;
    }
    while (true) {
      const t = this.nextNonSpace();
      if (t.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.type) {
        case 'bool':
        case 'charConstant':
        case 'dot':
        case 'field':
        case 'identifier':
        case 'number':
        case 'nil':
        case 'rawString':
        case 'string':
        case 'variable':
        case 'leftParen':
          this.backup();
          pipe.cmds.push(this.command());
          continue;
      }
      this.unexpected(t, context);
    }
  }

  checkPipeline(pipe: PipeNode, context: string) {
    if (pipe.cmds.length === 0) this.error(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      const t = c.args[0].type;
      if (t === 'bool' || t === 'dot' || t === 'nil' || t === 'number' || t === 'string') {
        this.error(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  command(): CommandNode {
    const cmd: CommandNode = { type: 'command', pos: this.peekNonSpace().pos, args: [] };
    while (true) {
      this.peekNonSpace();
      const op = this.operand();
      if (op) cmd.args.push(op);
      const t = this.next();
      if (t.type === 'space') continue;
      if (t.type === 'rightDelim' || t.type === 'rightParen') this.backup();
      else if (t.type !== 'pipe') this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.error('empty command');
    return cmd;
  }

  operand(): ArgNode | undefined {
    const node = this.term();
    if (!node || this.peek().type !== 'field') return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === 'field') fields.push(this.next().val.slice(1));
    switch (node.type) {
      case 'field':
        return { type: 'field', pos, ident: [...node.ident, ...fields] };
      case 'variable':
        return { type: 'variable', pos, ident: [...node.ident, ...fields] };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        this.error(`unexpected . after term "${nodeString(node)}"`);
    }
    return { type: 'chain', pos, node, fields };
  }

  term(): ArgNode | undefined {
    const t = this.nextNonSpace();
    switch (t.type) {
      case 'identifier':
        if (!this.hasFunction(t.val)) this.error(`function "${t.val}" not defined`, t.pos);
        this.functions.push({ name: t.val, pos: t.pos });
        return { type: 'identifier', pos: t.pos, name: t.val };
      case 'dot':
        return { type: 'dot', pos: t.pos };
      case 'nil':
        return { type: 'nil', pos: t.pos };
      case 'variable': {
        if (!this.vars.includes(t.val)) this.error(`undefined variable "${t.val}"`, t.pos);
        return { type: 'variable', pos: t.pos, ident: [t.val] };
      }
      case 'field':
        return { type: 'field', pos: t.pos, ident: [t.val.slice(1)] };
      case 'bool':
        return { type: 'bool', pos: t.pos, value: t.val === 'true' };
      case 'charConstant':
      case 'number':
        return this.number(t);
      case 'leftParen':
        return this.pipeline('parenthesized pipeline', 'rightParen');
      case 'string':
      case 'rawString':
        return { type: 'string', pos: t.pos, quoted: t.val, text: this.unquoteOrFail(t) };
    }
    this.backup();
    return undefined;
  }

  number(t: Token): NumberNode {
    const text = t.val;
    if (t.type === 'charConstant') {
      const s = unquote(text);
      if (s === undefined) this.error(`malformed character constant: ${text}`, t.pos);
      const cp = s.codePointAt(0)!;
      return {
        type: 'number',
        pos: t.pos,
        text,
        isInt: true,
        int: BigInt(cp),
        isFloat: true,
        float: cp,
      };
    }
    if (text.endsWith('i') && !/^0[xX]/.test(text)) {
      this.error(`complex numbers are not supported: "${text}"`, t.pos);
    }
    let isInt = false;
    let int = 0n;
    let isFloat = false;
    let float = 0;
    const i = parseGoInt(text);
    if (i !== undefined) {
      [isInt, int, isFloat, float] = [true, i, true, Number(i)];
    } else {
      const f = parseGoFloat(text.replaceAll('_', ''));
      if (f !== undefined) {
        if (!/[.eEpP]/.test(text) && !/^[+-]?0[xX]/.test(text)) {
          this.error(`integer overflow: "${text}"`, t.pos);
        }
        isFloat = true;
        float = f;
        if (Number.isInteger(f) && Math.abs(f) < 2 ** 63) [isInt, int] = [true, BigInt(f)];
      }
    }
    if (!isInt && !isFloat) this.error(`illegal number syntax: "${text}"`, t.pos);
    return { type: 'number', pos: t.pos, text, isInt, int, isFloat, float };
  }
}

/** A parse error in Go's form: `template: NAME:LINE: MSG`. */
export function parseError(name: string, text: string, pos: number, msg: string): TemplateError {
  let line = 1;
  for (let k = 0; k < pos && k < text.length; k++) if (text.charCodeAt(k) === 10) line++;
  return new TemplateError(`template: ${name}:${line}: ${msg}`, 'parse');
}

/** Whether a tree has only whitespace text and comments (Go's `IsEmptyTree`). */
function isEmptyTree(list: ListNode): boolean {
  return list.nodes.every((n) =>
    n.type === 'comment' || (n.type === 'text' && n.text.trim() === '') ||
    (n.type === 'list' && isEmptyTree(n))
  );
}

/**
 * Parses template text. Unknown functions are accepted unless `opts.hasFunction` is given.
 * @throws {TemplateError} with Go's message, e.g. `template: name:1: unclosed action`.
 */
export function parse(text: string, name: string, opts: ParseOptions = {}): ParsedTemplate {
  return new Parser(text, name, opts.hasFunction ?? (() => true)).parse();
}
