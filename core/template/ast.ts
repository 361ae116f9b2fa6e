/**
 * Parse tree of a template, mirroring Go's text/template/parse nodes, and their source form
 * (used in error messages as Go's `Node.String()` is).
 * @module
 */

/** A number literal with its possible Go interpretations. */
export interface NumberNode {
  readonly type: 'number';
  readonly pos: number;
  readonly text: string;
  readonly isInt: boolean;
  readonly int: bigint;
  readonly isFloat: boolean;
  readonly float: number;
}

/** An operand of a command. */
export type ArgNode =
  | { readonly type: 'field'; readonly pos: number; readonly ident: readonly string[] }
  | { readonly type: 'variable'; readonly pos: number; readonly ident: readonly string[] }
  | { readonly type: 'identifier'; readonly pos: number; readonly name: string }
  | {
    readonly type: 'chain';
    readonly pos: number;
    readonly node: ArgNode;
    readonly fields: readonly string[];
  }
  | { readonly type: 'dot'; readonly pos: number }
  | { readonly type: 'nil'; readonly pos: number }
  | { readonly type: 'bool'; readonly pos: number; readonly value: boolean }
  | NumberNode
  | {
    readonly type: 'string';
    readonly pos: number;
    readonly quoted: string;
    readonly text: string;
  }
  | PipeNode;

/** A pipeline stage: a function, method or value with its arguments. */
export interface CommandNode {
  readonly type: 'command';
  readonly pos: number;
  readonly args: ArgNode[];
}

/** A pipeline with optional variable declarations (`$x := …`) or assignments (`$x = …`). */
export interface PipeNode {
  readonly type: 'pipe';
  readonly pos: number;
  isAssign: boolean;
  readonly decl: { readonly pos: number; readonly name: string }[];
  readonly cmds: CommandNode[];
}

/** A sequence of nodes. */
export interface ListNode {
  readonly type: 'list';
  readonly pos: number;
  readonly nodes: Node[];
}

/** A control structure with a pipeline and bodies. */
export interface BranchNode {
  readonly type: 'if' | 'with' | 'range';
  readonly pos: number;
  readonly pipe: PipeNode;
  readonly list: ListNode;
  readonly elseList: ListNode | undefined;
}

/** A statement of the template body. */
export type Node =
  | { readonly type: 'text'; readonly pos: number; readonly text: string }
  | { readonly type: 'action'; readonly pos: number; readonly pipe: PipeNode }
  | { readonly type: 'comment'; readonly pos: number }
  | BranchNode
  | {
    readonly type: 'template';
    readonly pos: number;
    readonly name: string;
    readonly pipe: PipeNode | undefined;
  }
  | { readonly type: 'break' | 'continue'; readonly pos: number }
  | ListNode
  | { readonly type: 'end' | 'else'; readonly pos: number };

/** Go's `String()` of a node, for `at <…>` in error messages. */
export function nodeString(n: ArgNode | CommandNode | Node): string {
  switch (n.type) {
    case 'field':
      return '.' + n.ident.join('.');
    case 'variable':
      return n.ident.join('.');
    case 'identifier':
      return n.name;
    case 'chain': {
      const inner = n.node.type === 'pipe' ? `(${nodeString(n.node)})` : nodeString(n.node);
      return inner + n.fields.map((f) => '.' + f).join('');
    }
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(n.value);
    case 'number':
      return n.text;
    case 'string':
      return n.quoted;
    case 'pipe': {
      let s = '';
      if (n.decl.length > 0) {
        s = n.decl.map((d) => d.name).join(', ') + (n.isAssign ? ' = ' : ' := ');
      }
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command':
      return n.args.map((a) => (a.type === 'pipe' ? `(${nodeString(a)})` : nodeString(a))).join(
        ' ',
      );
    case 'text':
      return n.text;
    case 'action':
      return `{{${nodeString(n.pipe)}}}`;
    case 'comment':
      return '{{/* */}}';
    case 'if':
    case 'with':
    case 'range': {
      const body = n.list.nodes.map(nodeString).join('');
      const els = n.elseList ? `{{else}}${n.elseList.nodes.map(nodeString).join('')}` : '';
      return `{{${n.type} ${nodeString(n.pipe)}}}${body}${els}{{end}}`;
    }
    case 'template':
      return n.pipe
        ? `{{template ${JSON.stringify(n.name)} ${nodeString(n.pipe)}}}`
        : `{{template ${JSON.stringify(n.name)}}}`;
    case 'break':
    case 'continue':
    case 'end':
    case 'else':
      return `{{${n.type}}}`;
    case 'list':
      return n.nodes.map(nodeString).join('');
  }
}
