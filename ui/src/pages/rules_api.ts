/**
 * The shapes of `/api/v1/rules` and `/api/v1/alerts`.
 * @module
 */

/** An active alert of an alerting rule. */
export interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  activeAt?: string;
  value?: string;
}

/** A recording or alerting rule. */
export interface Rule {
  type: 'alerting' | 'recording';
  name: string;
  query: string;
  health: string;
  lastError?: string;
  lastEvaluation?: string;
  evaluationTime?: number;
  labels?: Record<string, string>;
  // alerting only
  state?: string;
  duration?: number;
  keepFiringFor?: number;
  annotations?: Record<string, string>;
  alerts?: Alert[];
}

/** A rule group. */
export interface RuleGroup {
  name: string;
  file: string;
  interval: number;
  limit?: number;
  rules: Rule[];
  evaluationTime?: number;
  lastEvaluation?: string;
}
