/**
 * Cloud-provider service discovery blocks other than AWS and Azure: GCE, OCI, OpenStack,
 * Outscale, OVHcloud, Scaleway, STACKIT, IONOS, Hetzner, Linode, Vultr, DigitalOcean.
 * Parsed and validated only; Beacon does not query these APIs.
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
import { secretSchema, urlProblem } from '../schema_types.ts';
import { tlsConfigSchema } from '../http_client.ts';

const secretSet = (s: { reveal(): string } | undefined) => s !== undefined && s.reveal() !== '';

/** A `gce_sd_configs` entry. */
export const gceSDSchema = block('gce.plain', {
  project: optDefault(str, ''),
  zone: optDefault(str, ''),
  filter: opt(str),
  refresh_interval: refreshInterval(60_000),
  port: optDefault(int, 80),
  tag_separator: optDefault(str, ','),
}, (c) => {
  if (c.project === '') return 'GCE SD configuration requires a project';
  if (c.zone === '') return 'GCE SD configuration requires a zone';
  return undefined;
});

/** An `oci_sd_configs` entry (Oracle Cloud). */
export const ociSDSchema = block('oci.plain', {
  ...http,
  auth: optDefault(str, 'api_key'),
  tenancy: optDefault(str, ''),
  user: optDefault(str, ''),
  fingerprint: optDefault(str, ''),
  key_file: optDefault(str, ''),
  key_passphrase: opt(secretSchema),
  key_passphrase_file: optDefault(str, ''),
  region: optDefault(str, ''),
  compartments: opt(strList),
  port: optDefault(int, 80),
  refresh_interval: refreshInterval(60_000),
}, (c) => {
  if (c.region === '') return 'oci_sd: region is required';
  const passphrase = secretSet(c.key_passphrase);
  if (c.auth === 'api_key') {
    for (const k of ['tenancy', 'user', 'fingerprint', 'key_file'] as const) {
      if (c[k] === '') return `oci_sd: api_key auth requires ${k}`;
    }
    if (passphrase && c.key_passphrase_file !== '') {
      return 'oci_sd: at most one of key_passphrase and key_passphrase_file must be configured';
    }
  } else if (c.auth === 'instance_principal') {
    if (
      c.tenancy || c.user || c.fingerprint || c.key_file || passphrase || c.key_passphrase_file
    ) {
      return 'oci_sd: instance_principal auth must not have tenancy, user, fingerprint, key_file, key_passphrase, or key_passphrase_file set';
    }
  } else {
    return `oci_sd: unknown auth method ${
      JSON.stringify(c.auth)
    }, expected "api_key" or "instance_principal"`;
  }
  const empty = (c.compartments ?? []).indexOf('');
  if (empty >= 0) return `oci_sd: compartments[${empty}] must not be empty`;
  if (c.refresh_interval.ms <= 0) {
    return `oci_sd: refresh_interval must be positive, got ${c.refresh_interval}`;
  }
  return httpRules(c);
});

/** An `openstack_sd_configs` entry. */
export const openstackSDSchema = block('openstack.plain', {
  identity_endpoint: opt(str),
  username: opt(str),
  userid: opt(str),
  password: opt(secretSchema),
  project_name: opt(str),
  project_id: opt(str),
  domain_name: opt(str),
  domain_id: opt(str),
  application_credential_name: opt(str),
  application_credential_id: opt(str),
  application_credential_secret: opt(secretSchema),
  role: optDefault(
    v.picklist(
      ['', 'hypervisor', 'instance', 'loadbalancer'],
      (issue) => `unknown OpenStack SD role ${JSON.stringify(String(issue.input))}`,
    ),
    '',
  ),
  region: optDefault(str, ''),
  refresh_interval: refreshInterval(60_000),
  port: optDefault(int, 80),
  all_tenants: optDefault(v.boolean(), false),
  tls_config: opt(tlsConfigSchema),
  availability: optDefault(str, 'public'),
}, (c) => {
  if (!['public', 'internal', 'admin'].includes(c.availability)) {
    return `unknown availability ${c.availability}, must be one of admin, internal or public`;
  }
  if (c.role === '') return 'role missing (one of: instance, hypervisor, loadbalancer)';
  if (c.region === '') return 'openstack SD configuration requires a region';
  return undefined;
});

/** An `outscale_sd_configs` entry. */
export const outscaleSDSchema = block('outscale.plain', {
  ...http,
  endpoint: opt(str),
  region: optDefault(str, 'eu-west-2'),
  access_key: optDefault(str, ''),
  secret_key: opt(secretSchema),
  secret_key_file: optDefault(str, ''),
  refresh_interval: refreshInterval(60_000),
  port: optDefault(int, 80),
}, (c) => {
  if (c.region === '') return 'outscale SD configuration requires a region';
  if (c.access_key === '') return 'outscale SD configuration requires access_key';
  const key = secretSet(c.secret_key);
  if (!key && c.secret_key_file === '') {
    return 'one of secret_key & secret_key_file must be configured';
  }
  if (key && c.secret_key_file !== '') {
    return 'at most one of secret_key & secret_key_file must be configured';
  }
  return httpRules(c);
});

/** An `ovhcloud_sd_configs` entry. */
export const ovhcloudSDSchema = block('ovhcloud.plain', {
  endpoint: optDefault(str, 'ovh-eu'),
  application_key: optDefault(str, ''),
  application_secret: opt(secretSchema),
  consumer_key: opt(secretSchema),
  refresh_interval: refreshInterval(60_000),
  service: optDefault(str, ''),
}, (c) => {
  if (c.endpoint === '') return 'endpoint can not be empty';
  if (c.application_key === '') return 'application key can not be empty';
  if (!secretSet(c.application_secret)) return 'application secret can not be empty';
  if (!secretSet(c.consumer_key)) return 'consumer key can not be empty';
  if (c.service !== 'dedicated_server' && c.service !== 'vps') {
    return `unknown service: ${c.service}`;
  }
  return undefined;
});

/** A `scaleway_sd_configs` entry. */
export const scalewaySDSchema = block('scaleway.plain', {
  ...http,
  project_id: optDefault(str, ''),
  api_url: optDefault(str, 'https://api.scaleway.com'),
  zone: optDefault(str, 'fr-par-1'),
  access_key: optDefault(str, ''),
  secret_key: opt(secretSchema),
  secret_key_file: optDefault(str, ''),
  name_filter: opt(str),
  tags_filter: opt(strList),
  refresh_interval: refreshInterval(60_000),
  port: optDefault(int, 80),
  role: optDefault(
    v.picklist(
      ['', 'instance', 'baremetal'],
      (issue) => `unknown role ${JSON.stringify(String(issue.input))}`,
    ),
    '',
  ),
}, (c) => {
  if (c.role === '') return 'role missing (one of: instance, baremetal)';
  if (c.project_id === '') return 'project_id is mandatory';
  const key = secretSet(c.secret_key);
  if (!key && c.secret_key_file === '') {
    return 'one of secret_key & secret_key_file must be configured';
  }
  if (key && c.secret_key_file !== '') {
    return 'at most one of secret_key & secret_key_file must be configured';
  }
  if (c.access_key === '') return 'access_key is mandatory';
  return httpRules(c);
});

/** A `stackit_sd_configs` entry. */
export const stackitSDSchema = block('stackit.plain', {
  ...http,
  project: optDefault(str, ''),
  refresh_interval: refreshInterval(60_000),
  port: optDefault(int, 80),
  region: optDefault(str, 'eu01'),
  endpoint: optDefault(str, ''),
  service_account_key: opt(secretSchema),
  private_key: opt(secretSchema),
  service_account_key_path: opt(str),
  private_key_path: opt(str),
  credentials_file_path: opt(str),
}, (c) => {
  if (c.endpoint === '' && c.region === '') return 'stackit_sd: endpoint and region missing';
  const why = urlProblem(c.endpoint) ??
    (c.endpoint.startsWith(':') ? 'missing protocol scheme' : undefined);
  if (why) {
    return `stackit_sd: invalid endpoint ${JSON.stringify(c.endpoint)}: parse ${
      JSON.stringify(c.endpoint)
    }: ${why}`;
  }
  return httpRules(c);
});

/** An `ionos_sd_configs` entry. */
export const ionosSDSchema = block('ionos.plain', {
  ...http,
  datacenter_id: optDefault(str, ''),
  refresh_interval: refreshInterval(60_000),
  port: optDefault(int, 80),
}, (c) => c.datacenter_id === '' ? "datacenter id can't be empty" : httpRules(c));

/** A `hetzner_sd_configs` entry. */
export const hetznerSDSchema = block('hetzner.plain', {
  ...http,
  refresh_interval: refreshInterval(60_000),
  port: optDefault(int, 80),
  role: optDefault(
    v.picklist(
      ['', 'robot', 'hcloud'],
      (issue) => `unknown role ${JSON.stringify(String(issue.input))}`,
    ),
    '',
  ),
  label_selector: opt(str),
}, (c) => c.role === '' ? 'role missing (one of: robot, hcloud)' : httpRules(c));

/** A `linode_sd_configs` entry. */
export const linodeSDSchema = block('linode.plain', {
  ...http,
  refresh_interval: refreshInterval(60_000),
  port: optDefault(int, 80),
  tag_separator: optDefault(str, ','),
  region: optDefault(str, ''),
}, httpRules);

/** A `vultr_sd_configs` entry. */
export const vultrSDSchema = block('vultr.plain', {
  ...http,
  refresh_interval: refreshInterval(60_000),
  port: optDefault(int, 80),
}, httpRules);

/** A `digitalocean_sd_configs` entry. */
export const digitaloceanSDSchema = block('digitalocean.plain', {
  ...http,
  refresh_interval: refreshInterval(60_000),
  port: optDefault(int, 80),
  role: optDefault(
    v.picklist(
      ['droplets', 'databases'],
      (issue) => `unknown DigitalOcean SD role ${JSON.stringify(String(issue.input))}`,
    ),
    'droplets',
  ),
}, httpRules);
