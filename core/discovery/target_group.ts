/**
 * Target groups: what every discovery mechanism produces, and the `[{targets, labels}]` list
 * that file and HTTP discovery read.
 * @module
 */
import * as v from 'valibot';
import { staticConfigSchema } from '../config/mod.ts';

/**
 * A set of targets sharing labels, identified by `source` within its discoverer. An update
 * with a known source and no targets removes that group's targets.
 */
export interface TargetGroup {
  /** One label set per target; each carries `__address__`. */
  targets: Record<string, string>[];
  /** Labels common to all targets (a target's own label wins). */
  labels: Record<string, string>;
  /** Unique within the discoverer, e.g. `0` or `/etc/sd/nodes.json:2`. */
  source: string;
}

const groupListSchema = v.nullable(v.array(
  v.pipe(v.custom<unknown>((x) => x !== null, 'nil target group item found'), staticConfigSchema),
));

/**
 * Reads a decoded `[{targets, labels}]` list (file_sd, http_sd) into groups, adding `meta` to
 * each group's labels and naming group `i` by `source(i)`.
 * @throws {Error} naming the first problem by its path, e.g. `0.targets: …`.
 */
export function parseTargetGroups(
  data: unknown,
  meta: Record<string, string>,
  source: (i: number) => string,
): TargetGroup[] {
  const r = v.safeParse(groupListSchema, data ?? null);
  if (!r.success) {
    const issue = r.issues[0];
    const where = v.getDotPath(issue);
    throw new Error(where ? `${where}: ${issue.message}` : issue.message);
  }
  return (r.output ?? []).map((g, i) => ({
    targets: (g.targets ?? []).map((t) => ({ __address__: t })),
    labels: { ...(g.labels ?? {}), ...meta },
    source: source(i),
  }));
}
