/**
 * The PromQL editor: CodeMirror with codemirror-promql's highlighting, linting (inline parse
 * errors) and completion fed by Beacon's own API.
 * @module
 */
import { EditorView, highlightActiveLine, keymap, placeholder } from '@codemirror/view';
import { EditorState, Prec } from '@codemirror/state';
import { autocompletion, closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import {
  defaultKeymap,
  history,
  historyKeymap,
  insertNewlineAndIndent,
} from '@codemirror/commands';
import { bracketMatching, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { forEachDiagnostic, lintKeymap } from '@codemirror/lint';
import { tags } from '@lezer/highlight';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';
import { baseUrl } from '../api.ts';

const highlight = HighlightStyle.define([
  { tag: tags.number, color: 'var(--hl-number)' },
  { tag: tags.string, color: 'var(--hl-string)' },
  { tag: tags.keyword, color: 'var(--hl-keyword)', fontWeight: 'bold' },
  { tag: [tags.operatorKeyword, tags.modifier], color: 'var(--hl-keyword)', fontWeight: 'bold' },
  { tag: tags.function(tags.variableName), color: 'var(--hl-function)' },
  { tag: tags.labelName, color: 'var(--hl-label)' },
  {
    tag: [tags.operator, tags.arithmeticOperator, tags.logicOperator],
    color: 'var(--hl-operator)',
  },
  { tag: [tags.paren, tags.brace, tags.squareBracket], color: 'var(--fg-muted)' },
  { tag: tags.comment, color: 'var(--fg-muted)', fontStyle: 'italic' },
  { tag: tags.invalid, color: 'var(--bad)' },
]);

const theme = EditorView.theme({
  '&': { fontSize: '14px', background: 'var(--bg-input)', color: 'var(--fg)' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--fg)', padding: '6px 0' },
  '&.cm-focused': { outline: 'none' },
  '.cm-activeLine': { background: 'transparent' },
  '.cm-tooltip': {
    background: 'var(--bg-raised)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
  },
  '.cm-tooltip-autocomplete ul li[aria-selected]': {
    background: 'var(--accent)',
    color: 'var(--accent-fg)',
  },
  '.cm-completionDetail': { color: 'var(--fg-muted)', fontStyle: 'normal', marginLeft: '1em' },
  '.cm-placeholder': { color: 'var(--fg-muted)' },
});

/** A mounted editor. */
export interface Editor {
  value(): string;
  focus(): void;
  destroy(): void;
}

/** Mounts an editor in `parent`; Enter runs `onExecute`, Shift+Enter inserts a newline. */
export function createEditor(
  parent: HTMLElement,
  doc: string,
  onExecute: () => void,
  onChange: (value: string) => void,
  onDiagnostics: (messages: string[]) => void = () => {},
): Editor {
  let shown = '';
  const promql = new PromQLExtension()
    .setComplete({
      remote: {
        url: baseUrl().href.replace(/\/$/, ''),
        httpMethod: 'GET',
        // Completion is a convenience: a failing lookup must not surface as a page error.
        httpErrorHandler: () => {},
        cache: { maxAge: 60_000 },
      },
    })
    .activateLinter(true);
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        theme,
        history(),
        closeBrackets(),
        bracketMatching(),
        highlightActiveLine(),
        autocompletion(),
        syntaxHighlighting(highlight),
        placeholder('Expression (press Shift+Enter for newlines)'),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': 'PromQL expression' }),
        Prec.high(keymap.of([
          { key: 'Enter', run: () => (onExecute(), true) },
          { key: 'Shift-Enter', run: insertNewlineAndIndent },
        ])),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...lintKeymap]),
        promql.asExtension(),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange(u.state.doc.toString());
          // The underline needs a pointer to read; the messages also go below the editor.
          const messages: string[] = [];
          forEachDiagnostic(u.state, (d) => void messages.push(d.message));
          const key = messages.join('\n');
          if (key !== shown) {
            shown = key;
            onDiagnostics(messages);
          }
        }),
      ],
    }),
  });
  return {
    value: () => view.state.doc.toString(),
    focus: () => view.focus(),
    destroy: () => {
      view.destroy();
      promql.destroy();
    },
  };
}
