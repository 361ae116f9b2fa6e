/**
 * Go text/template as Prometheus uses it for alert labels and annotations (and Alertmanager
 * for notifications): the language, the builtin functions, Go's fmt verbs, and Prometheus's
 * template functions. Asynchronous `query` calls are supported without slowing down
 * templates that make none.
 * @module
 */
export { FuncError, TemplateError } from './errors.ts';
export type { ParsedTemplate } from './parser.ts';
export { type ExecOptions, execute, fail, type ParamType, type TemplateFunc } from './exec.ts';
export {
  ALERT_TEMPLATE_PREFIX,
  AlertTemplateData,
  alertTemplateData,
  expandAlertTemplate,
  type ExpandOptions,
  expandTemplate,
  expandTemplateSyncOrAsync,
  parseTemplate,
  type ParseTemplateOptions,
  type UserFunc,
} from './expand.ts';
export {
  contextFuncs,
  type QueryFunc,
  type QuerySample,
  STATIC_FUNCS,
  TemplateSample,
} from './prometheus.ts';
export {
  humanize,
  humanize1024,
  humanizeDuration,
  humanizePercentage,
  humanizeTimestamp,
} from './prometheus.ts';
export { formatFloat, formatGoFloat, goQuote, sprint, sprintf } from './format.ts';
export { formatGoDuration, GoDuration, GoTime } from './time.ts';
export { BUILTINS, htmlEscape, jsEscape, queryEscape } from './builtins.ts';
