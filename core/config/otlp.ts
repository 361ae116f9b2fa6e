/**
 * The `otlp` section: how OTLP metrics received over HTTP are translated into series.
 * @module
 */

import * as v from 'valibot';
import { bool, str, strict, strList } from './schema_helpers.ts';

/** OTLP metric-name translation strategies Prometheus accepts. */
export const OTLP_TRANSLATION_STRATEGIES = [
  'UnderscoreEscapingWithSuffixes',
  'UnderscoreEscapingWithoutSuffixes',
  'NoUTF8EscapingWithSuffixes',
  'NoTranslation',
] as const;

/** Strategies that keep UTF-8 names, so they need `utf8` name validation. */
export const OTLP_UTF8_STRATEGIES: readonly string[] = [
  'NoUTF8EscapingWithSuffixes',
  'NoTranslation',
];

function attributesProblem(list: string[], adjective: string): string | undefined {
  const seen = new Set<string>();
  const problems: string[] = [];
  for (const raw of list) {
    const attr = raw.trim();
    if (attr === '') problems.push(`empty ${adjective} OTel resource attribute`);
    else if (seen.has(attr)) {
      problems.push(`duplicated ${adjective} OTel resource attribute ${JSON.stringify(attr)}`);
    }
    seen.add(attr);
  }
  return problems.length ? problems.join('\n') : undefined;
}

const otlpObject = strict('otlp_config', {
  promote_all_resource_attributes: v.optional(bool, false),
  promote_resource_attributes: v.optional(strList, []),
  ignore_resource_attributes: v.optional(strList, []),
  translation_strategy: v.pipe(
    v.optional(str, 'UnderscoreEscapingWithSuffixes'),
    v.check(
      (s) => (OTLP_TRANSLATION_STRATEGIES as readonly string[]).includes(s),
      (issue) => `unsupported OTLP translation strategy ${JSON.stringify(issue.input)}`,
    ),
  ),
  keep_identifying_resource_attributes: v.optional(bool, false),
  convert_histograms_to_nhcb: v.optional(bool, false),
  promote_scope_metadata: v.optional(bool, false),
  label_name_underscore_sanitization: v.optional(bool, true),
  label_name_preserve_multiple_underscores: v.optional(bool, true),
});

/** The `otlp` section with Prometheus's attribute rules; attribute names come back trimmed. */
export const otlpSchema = v.pipe(
  v.pipe(v.optional(v.nullable(otlpObject), {}), v.transform((x) => x ?? otlpDefaults())),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const c = dataset.value;
    let msg: string | undefined;
    if (c.promote_all_resource_attributes) {
      if (c.promote_resource_attributes.length > 0) {
        msg =
          "'promote_all_resource_attributes' and 'promote_resource_attributes' cannot be configured simultaneously";
      } else {
        const why = attributesProblem(c.ignore_resource_attributes, 'ignored');
        if (why) msg = `invalid 'ignore_resource_attributes': ${why}`;
      }
    } else if (c.ignore_resource_attributes.length > 0) {
      msg =
        "'ignore_resource_attributes' cannot be configured unless 'promote_all_resource_attributes' is true";
    } else {
      const why = attributesProblem(c.promote_resource_attributes, 'promoted');
      if (why) msg = `invalid 'promote_resource_attributes': ${why}`;
    }
    if (msg) addIssue({ message: msg });
  }),
  v.transform((c) => ({
    ...c,
    promote_resource_attributes: c.promote_resource_attributes.map((s) => s.trim()),
    ignore_resource_attributes: c.ignore_resource_attributes.map((s) => s.trim()),
  })),
);

function otlpDefaults(): v.InferOutput<typeof otlpObject> {
  return v.parse(otlpObject, {});
}

/** The effective `otlp` section. */
export type OTLPConfig = v.InferOutput<typeof otlpSchema>;
