/**
 * Service-registry and platform discovery blocks: Consul, Nomad, Eureka, Marathon, Kuma,
 * Nerve, Serverset, Triton, Docker, Docker Swarm, PuppetDB, Uyuni. Parsed and validated
 * only; Beacon does not query these systems.
 * @module
 */

import * as v from 'valibot';
import {
  block,
  checkHttpUrl,
  http,
  httpRules,
  int,
  opt,
  optDefault,
  parseGoUrl,
  refreshInterval,
  str,
  strList,
} from './common.ts';
import { durationSchema, secretSchema, urlProblem } from '../schema_types.ts';
import { tlsConfigSchema } from '../http_client.ts';

const secretSet = (s: { reveal(): string } | undefined) => s !== undefined && s.reveal() !== '';

/** A `consul_sd_configs` entry. */
export const consulSDSchema = block('consul.plain', {
  ...http,
  server: optDefault(str, 'localhost:8500'),
  path_prefix: opt(str),
  token: opt(secretSchema),
  datacenter: opt(str),
  namespace: opt(str),
  partition: opt(str),
  tag_separator: optDefault(str, ','),
  scheme: optDefault(str, 'http'),
  username: opt(str),
  password: opt(secretSchema),
  allow_stale: optDefault(v.boolean(), true),
  refresh_interval: refreshInterval(30_000),
  services: opt(strList),
  tags: opt(strList),
  node_meta: opt(v.record(v.string(), str)),
  filter: opt(str),
  health_filter: opt(str),
}, (c) => {
  if (c.server.trim() === '') return 'consul SD configuration requires a server address';
  if ((c.username || secretSet(c.password)) && c.basic_auth) {
    return 'at most one of consul SD configuration username and password and basic auth can be configured';
  }
  if (secretSet(c.token) && (c.authorization || c.oauth2)) {
    return 'at most one of consul SD token, authorization, or oauth2 can be configured';
  }
  return httpRules(c);
});

/** A `nomad_sd_configs` entry. */
export const nomadSDSchema = block(
  'nomad.plain',
  {
    ...http,
    allow_stale: optDefault(v.boolean(), true),
    namespace: optDefault(str, 'default'),
    refresh_interval: refreshInterval(60_000),
    region: optDefault(str, 'global'),
    server: optDefault(str, 'http://localhost:4646'),
    tag_separator: optDefault(str, ','),
  },
  (c) => c.server.trim() === '' ? 'nomad SD configuration requires a server address' : httpRules(c),
);

/** A `eureka_sd_configs` entry. */
export const eurekaSDSchema = block('eureka.plain', {
  ...http,
  server: optDefault(str, ''),
  refresh_interval: refreshInterval(30_000),
}, (c) => {
  if (c.server === '') return 'eureka_sd: empty or null eureka server';
  const why = urlProblem(c.server);
  if (why) return `parse ${JSON.stringify(c.server)}: ${why}`;
  const u = parseGoUrl(c.server)!;
  if (u.scheme === '' || u.host === '') return 'eureka_sd: invalid eureka server URL';
  return httpRules(c);
});

/** A `marathon_sd_configs` entry. */
export const marathonSDSchema = block('marathon.plain', {
  ...http,
  servers: opt(strList),
  refresh_interval: refreshInterval(30_000),
  auth_token: opt(secretSchema),
  auth_token_file: optDefault(str, ''),
}, (c) => {
  if (!c.servers || c.servers.length === 0) {
    return 'marathon_sd: must contain at least one Marathon server';
  }
  const token = secretSet(c.auth_token);
  if (token && c.auth_token_file !== '') {
    return 'marathon_sd: at most one of auth_token & auth_token_file must be configured';
  }
  if (token || c.auth_token_file !== '') {
    if (c.basic_auth) {
      return 'marathon_sd: at most one of basic_auth, auth_token & auth_token_file must be configured';
    }
    if (secretSet(c.bearer_token) || c.bearer_token_file) {
      return 'marathon_sd: at most one of bearer_token, bearer_token_file, auth_token & auth_token_file must be configured';
    }
    if (c.authorization) {
      return 'marathon_sd: at most one of auth_token, auth_token_file & authorization must be configured';
    }
  }
  return httpRules(c);
});

/** A `kuma_sd_configs` entry. */
export const kumaSDSchema = block('xds.plainKumaConf', {
  ...http,
  refresh_interval: refreshInterval(15_000),
  fetch_timeout: optDefault(durationSchema, '2m'),
  server: optDefault(str, ''),
  client_id: opt(str),
}, (c) => {
  if (c.server === '') return 'kuma SD server must not be empty: ';
  const why = urlProblem(c.server);
  if (why) return `parse ${JSON.stringify(c.server)}: ${why}`;
  const u = parseGoUrl(c.server)!;
  if (u.scheme === '' || u.host === '') {
    return `kuma SD server must not be empty and have a scheme: ${c.server}`;
  }
  return httpRules(c);
});

function zookeeper(kind: 'nerve' | 'serverset') {
  return block(`zookeeper.plain`, {
    servers: opt(strList),
    paths: opt(strList),
    timeout: optDefault(durationSchema, '10s'),
  }, (c) => {
    if (!c.servers || c.servers.length === 0) {
      return `${kind} SD config must contain at least one Zookeeper server`;
    }
    if (!c.paths || c.paths.length === 0) return `${kind} SD config must contain at least one path`;
    for (const p of c.paths) {
      if (!p.startsWith('/')) return `${kind} SD config paths must begin with '/': ${p}`;
    }
    return undefined;
  });
}

/** A `nerve_sd_configs` entry (Zookeeper). */
export const nerveSDSchema = zookeeper('nerve');
/** A `serverset_sd_configs` entry (Zookeeper). */
export const serversetSDSchema = zookeeper('serverset');

/** A `triton_sd_configs` entry. */
export const tritonSDSchema = block('triton.plain', {
  account: optDefault(str, ''),
  role: optDefault(str, 'container'),
  dns_suffix: optDefault(str, ''),
  endpoint: optDefault(str, ''),
  groups: opt(strList),
  port: optDefault(int, 9163),
  refresh_interval: refreshInterval(60_000),
  tls_config: opt(tlsConfigSchema),
  version: optDefault(int, 1),
}, (c) => {
  if (c.role !== 'container' && c.role !== 'cn') {
    return "triton SD configuration requires role to be 'container' or 'cn'";
  }
  if (c.account === '') return 'triton SD configuration requires an account';
  if (c.dns_suffix === '') return 'triton SD configuration requires a dns_suffix';
  if (c.endpoint === '') return 'triton SD configuration requires an endpoint';
  if (c.refresh_interval.ms <= 0) {
    return 'triton SD configuration requires RefreshInterval to be a positive integer';
  }
  return undefined;
});

const mobyFilter = block('moby.Filter', { name: optDefault(str, ''), values: opt(strList) });

function hostRule(host: string): string | undefined {
  if (host === '') return 'host missing';
  const why = urlProblem(host);
  return why ? `parse ${JSON.stringify(host)}: ${why}` : undefined;
}

/** A `docker_sd_configs` entry. */
export const dockerSDSchema = block('moby.plain', {
  ...http,
  host: optDefault(str, ''),
  port: optDefault(int, 80),
  filters: opt(v.array(mobyFilter)),
  host_networking_host: optDefault(str, 'localhost'),
  refresh_interval: refreshInterval(60_000),
  match_first_network: optDefault(v.boolean(), true),
}, (c) => hostRule(c.host) ?? httpRules(c));

/** A `dockerswarm_sd_configs` entry. */
export const dockerswarmSDSchema = block('moby.plain', {
  ...http,
  host: optDefault(str, ''),
  role: optDefault(str, ''),
  port: optDefault(int, 80),
  filters: opt(v.array(mobyFilter)),
  refresh_interval: refreshInterval(60_000),
}, (c) => {
  const host = hostRule(c.host);
  if (host) return host;
  if (c.role === '') return 'role missing (one of: tasks, services, nodes)';
  if (!['services', 'nodes', 'tasks'].includes(c.role)) {
    return `invalid role ${c.role}, expected tasks, services, or nodes`;
  }
  return httpRules(c);
});

/** A `puppetdb_sd_configs` entry. */
export const puppetdbSDSchema = block('puppetdb.plain', {
  ...http,
  refresh_interval: refreshInterval(60_000),
  url: optDefault(str, ''),
  query: optDefault(str, ''),
  include_parameters: optDefault(v.boolean(), false),
  port: optDefault(int, 80),
}, (c) => checkHttpUrl(c.url) ?? (c.query === '' ? 'query missing' : httpRules(c)));

/** A `uyuni_sd_configs` entry. */
export const uyuniSDSchema = block('uyuni.plain', {
  ...http,
  server: optDefault(str, ''),
  username: optDefault(str, ''),
  password: opt(secretSchema),
  entitlement: optDefault(str, 'monitoring_entitled'),
  separator: optDefault(str, ','),
  refresh_interval: refreshInterval(60_000),
}, (c) => {
  if (c.server === '') return 'Uyuni SD configuration requires server host';
  const why = urlProblem(c.server);
  if (why) return `Uyuni Server URL is not valid: parse ${JSON.stringify(c.server)}: ${why}`;
  if (c.username === '') return 'Uyuni SD configuration requires a username';
  if (!secretSet(c.password)) return 'Uyuni SD configuration requires a password';
  return httpRules(c);
});
