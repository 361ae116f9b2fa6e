/**
 * A small, lenient syntax check for Go templates in alert labels and annotations, used when
 * no full template parser is supplied. It catches what real rule files get wrong — unclosed
 * `{{`, misspelt variables (`$label`), unbalanced `{{end}}` — and never rejects a template
 * that Go would accept, because variable scopes are treated generously.
 * @module
 */

/** The variables Prometheus declares in front of every alert template. */
export const ALERT_TEMPLATE_PRELUDE =
  '{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}' +
  '{{$externalURL := .ExternalURL}}{{$value := .Value}}';

const OPENERS = new Set(['if', 'range', 'with', 'block', 'define']);

/**
 * Throws `Error('template: NAME:LINE: …')` (Go's wording) when `text` has an unclosed action,
 * an undefined variable, or an `{{end}}`/`{{else}}` without its block.
 */
export function basicTemplateCheck(text: string, name: string): void {
  const fail = (at: number, msg: string): never => {
    throw new Error(`template: ${name}:${lineAt(text, at)}: ${msg}`);
  };
  const declared = new Set<string>(['$']);
  let depth = 0;
  let i = 0;
  for (;;) {
    const open = text.indexOf('{{', i);
    if (open < 0) break;
    let start = open + 2;
    if (text[start] === '-' && /\s/.test(text[start + 1] ?? '')) start++;
    const body = scanAction(text, start);
    if (body === undefined) fail(open, 'unclosed action');
    const { end, inner, comment } = body!;
    i = end;
    if (comment) continue;
    const code = inner.replace(/\s-$/, '').trim();
    const keyword = /^[a-z]+/.exec(code)?.[0] ?? '';
    if (OPENERS.has(keyword)) depth++;
    else if (keyword === 'end') {
      if (depth === 0) fail(open, 'unexpected {{end}}');
      depth--;
    } else if (keyword === 'else' && depth === 0) fail(open, 'unexpected {{else}}');
    // Declarations: `$x :=`, `$i, $e :=` (range), optionally after a keyword.
    const decl = /^(?:(?:if|range|with|else\s+if|else\s+with)\s+)?(\$\w*)\s*(?:,\s*(\$\w*)\s*)?:=/
      .exec(code);
    const fresh = decl ? [decl[1], decl[2]].filter((x): x is string => !!x) : [];
    for (const v of variablesOf(code)) {
      if (!declared.has(v) && !fresh.includes(v)) fail(open, `undefined variable ${goQuote(v)}`);
    }
    for (const v of fresh) declared.add(v);
  }
  if (depth > 0) fail(text.length, 'unexpected EOF');
}

/** Finds the `}}` closing an action that starts at `from`, skipping quoted text. */
function scanAction(
  text: string,
  from: number,
): { end: number; inner: string; comment: boolean } | undefined {
  const lead = text.slice(from).match(/^\s*/)![0].length;
  if (text.startsWith('/*', from + lead)) {
    const close = text.indexOf('*/', from + lead + 2);
    if (close < 0) return undefined;
    const m = /^\s*(?:-\s)?\s*\}\}/.exec(text.slice(close + 2));
    return m ? { end: close + 2 + m[0].length, inner: '', comment: true } : undefined;
  }
  let j = from;
  while (j < text.length) {
    const c = text[j];
    if (c === '"' || c === "'") {
      j++;
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\n') return undefined;
        j += text[j] === '\\' ? 2 : 1;
      }
      j++;
    } else if (c === '`') {
      const close = text.indexOf('`', j + 1);
      if (close < 0) return undefined;
      j = close + 1;
    } else if (c === '}' && text[j + 1] === '}') {
      return { end: j + 2, inner: text.slice(from, j), comment: false };
    } else j++;
  }
  return undefined;
}

/** The variable names (`$`, `$labels`) an action uses, outside string literals. */
function variablesOf(code: string): string[] {
  const bare = code.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  return [...bare.matchAll(/\$\w*/g)].map((m) => m[0]);
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let k = 0; k < offset && k < text.length; k++) if (text.charCodeAt(k) === 10) line++;
  return line;
}

function goQuote(s: string): string {
  return JSON.stringify(s);
}
