/**
 * AWS service discovery: `ec2_sd_configs`, `lightsail_sd_configs`, `ecs_sd_configs`,
 * `elasticache_sd_configs`, `msk_sd_configs`, `rds_sd_configs` and the combined
 * `aws_sd_configs` (with a `role`). Parsed and validated only; Beacon does not query AWS.
 * @module
 */

import * as v from 'valibot';
import {
  block,
  http,
  httpRules,
  int,
  opt,
  optDefault,
  refreshInterval,
  str,
  strList,
} from './common.ts';
import type { HttpClientConfig } from '../http_client.ts';
import { secretSchema } from '../schema_types.ts';

const filterSchema = block('aws.Filter', { name: optDefault(str, ''), values: opt(strList) });

const common = {
  ...http,
  region: optDefault(str, ''),
  endpoint: optDefault(str, ''),
  access_key: opt(str),
  secret_key: opt(secretSchema),
  profile: opt(str),
  role_arn: opt(str),
  external_id: opt(str),
  refresh_interval: refreshInterval(60_000),
  port: optDefault(int, 80),
};

/** EC2 and RDS reject a filter without values. */
export function checkAwsFilters(c: HttpClientConfig & { filters?: { values?: string[] }[] }) {
  for (const f of c.filters ?? []) {
    if (!f.values || f.values.length === 0) {
      return 'EC2 SD configuration filter values cannot be empty';
    }
  }
  return httpRules(c);
}

/** An `ec2_sd_configs` entry. */
export const ec2SDSchema = block('aws.plain', {
  ...common,
  filters: opt(v.array(filterSchema)),
}, checkAwsFilters);

/** A `lightsail_sd_configs` entry. */
export const lightsailSDSchema = block('aws.plain', common, httpRules);

const withClusters = {
  ...common,
  clusters: opt(strList),
  request_concurrency: opt(int),
};

/** An `ecs_sd_configs` entry. */
export const ecsSDSchema = block('aws.plain', withClusters, httpRules);
/** An `elasticache_sd_configs` entry. */
export const elasticacheSDSchema = block('aws.plain', withClusters, httpRules);
/** An `msk_sd_configs` entry. */
export const mskSDSchema = block('aws.plain', withClusters, httpRules);
/** An `rds_sd_configs` entry. */
export const rdsSDSchema = block('aws.plain', {
  ...withClusters,
  filters: opt(v.array(filterSchema)),
}, httpRules);

/** Roles of the combined `aws_sd_configs` block. */
export const AWS_ROLES = ['ec2', 'ecs', 'elasticache', 'lightsail', 'msk', 'rds'] as const;

/** An `aws_sd_configs` entry: one of the AWS mechanisms chosen by `role`. */
export const awsSDSchema = block('aws.plain', {
  ...common,
  role: optDefault(
    v.picklist(
      ['', ...AWS_ROLES],
      (issue) => `unknown AWS SD role ${JSON.stringify(String(issue.input))}`,
    ),
    '',
  ),
  filters: opt(v.array(filterSchema)),
  clusters: opt(strList),
}, (c) => c.role === '' ? 'unknown AWS SD role ""' : httpRules(c));
