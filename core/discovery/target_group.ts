/**
 * Target groups: what every discovery mechanism produces.
 * @module
 */

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
