/**
 * Service-discovery config blocks: every `<name>_sd_configs` key Prometheus 3 accepts, plus
 * `static_configs`, as valibot entries to spread into scrape and Alertmanager configs.
 * Each block's cross-field rules run inside its schema, so an error's path names the entry.
 * @module
 */

import * as v from 'valibot';
import { sdList } from './common.ts';
import { staticConfigSchema } from './static.ts';
import { fileSDSchema } from './file.ts';
import { httpSDSchema } from './http.ts';
import { dnsSDSchema } from './dns.ts';
import { kubernetesSDSchema } from './kubernetes.ts';
import { registrationSDSchema } from './registration.ts';
import {
  awsSDSchema,
  ec2SDSchema,
  ecsSDSchema,
  elasticacheSDSchema,
  lightsailSDSchema,
  mskSDSchema,
  rdsSDSchema,
} from './aws.ts';
import { azureSDSchema } from './azure.ts';
import {
  digitaloceanSDSchema,
  gceSDSchema,
  hetznerSDSchema,
  ionosSDSchema,
  linodeSDSchema,
  ociSDSchema,
  openstackSDSchema,
  outscaleSDSchema,
  ovhcloudSDSchema,
  scalewaySDSchema,
  stackitSDSchema,
  vultrSDSchema,
} from './cloud.ts';
import {
  consulSDSchema,
  dockerSDSchema,
  dockerswarmSDSchema,
  eurekaSDSchema,
  kumaSDSchema,
  marathonSDSchema,
  nerveSDSchema,
  nomadSDSchema,
  puppetdbSDSchema,
  serversetSDSchema,
  tritonSDSchema,
  uyuniSDSchema,
} from './services.ts';

export {
  checkStaticConfig,
  checkTargetAddress,
  type StaticConfig,
  staticConfigSchema,
} from './static.ts';
export { checkFileSD, type FileSDConfig, fileSDSchema } from './file.ts';
export { checkHttpSD, type HttpSDConfig, httpSDSchema } from './http.ts';
export { checkDnsSD, type DnsSDConfig, dnsSDSchema } from './dns.ts';
export {
  checkKubernetesSD,
  fieldSelectorProblem,
  KUBERNETES_ROLES,
  type KubernetesRole,
  type KubernetesSDConfig,
  kubernetesSDSchema,
  labelSelectorProblem,
} from './kubernetes.ts';
export { checkAzureSD } from './azure.ts';
export {
  checkRegistrationSD,
  type RegistrationSDConfig,
  registrationSDSchema,
} from './registration.ts';
export { checkAwsFilters } from './aws.ts';

/** The schema of one entry of each SD list, by config key. */
export const sdSchemas = {
  static_configs: staticConfigSchema,
  file_sd_configs: fileSDSchema,
  http_sd_configs: httpSDSchema,
  dns_sd_configs: dnsSDSchema,
  kubernetes_sd_configs: kubernetesSDSchema,
  consul_sd_configs: consulSDSchema,
  aws_sd_configs: awsSDSchema,
  ec2_sd_configs: ec2SDSchema,
  ecs_sd_configs: ecsSDSchema,
  elasticache_sd_configs: elasticacheSDSchema,
  lightsail_sd_configs: lightsailSDSchema,
  msk_sd_configs: mskSDSchema,
  rds_sd_configs: rdsSDSchema,
  azure_sd_configs: azureSDSchema,
  gce_sd_configs: gceSDSchema,
  openstack_sd_configs: openstackSDSchema,
  digitalocean_sd_configs: digitaloceanSDSchema,
  docker_sd_configs: dockerSDSchema,
  dockerswarm_sd_configs: dockerswarmSDSchema,
  eureka_sd_configs: eurekaSDSchema,
  hetzner_sd_configs: hetznerSDSchema,
  ionos_sd_configs: ionosSDSchema,
  kuma_sd_configs: kumaSDSchema,
  linode_sd_configs: linodeSDSchema,
  marathon_sd_configs: marathonSDSchema,
  nerve_sd_configs: nerveSDSchema,
  nomad_sd_configs: nomadSDSchema,
  serverset_sd_configs: serversetSDSchema,
  triton_sd_configs: tritonSDSchema,
  uyuni_sd_configs: uyuniSDSchema,
  vultr_sd_configs: vultrSDSchema,
  scaleway_sd_configs: scalewaySDSchema,
  puppetdb_sd_configs: puppetdbSDSchema,
  ovhcloud_sd_configs: ovhcloudSDSchema,
  stackit_sd_configs: stackitSDSchema,
  outscale_sd_configs: outscaleSDSchema,
  oci_sd_configs: ociSDSchema,
  registration_sd_configs: registrationSDSchema,
};

/** A service-discovery config key, e.g. `kubernetes_sd_configs`. */
export type SDKey = keyof typeof sdSchemas;

type SDEntries = { [K in SDKey]: ReturnType<typeof sdList<(typeof sdSchemas)[K]>> };

/** Valibot entries for every SD list, to spread into a strict scrape or Alertmanager config. */
export const sdConfigEntries: SDEntries = Object.fromEntries(
  Object.entries(sdSchemas).map(([key, schema]) => [key, sdList(key, schema)]),
) as SDEntries;

/** Every SD config key, in a stable order (static first). */
export const SD_KEYS: readonly SDKey[] = Object.keys(sdSchemas) as SDKey[];

/** The mechanisms Beacon discovers targets with; others parse, then report "unsupported". */
export const SD_IMPLEMENTED: ReadonlySet<string> = new Set([
  'static_configs',
  'file_sd_configs',
  'http_sd_configs',
  'dns_sd_configs',
  'kubernetes_sd_configs',
  'registration_sd_configs',
]);

/** The parsed SD lists of a config object (each key present only when configured). */
export type SDConfigs = { [K in SDKey]?: v.InferOutput<(typeof sdSchemas)[K]>[] };

/** The SD keys a parsed config uses, e.g. to report unsupported mechanisms. */
export function usedSDKeys(cfg: Partial<Record<string, unknown>>): SDKey[] {
  return SD_KEYS.filter((k) => Array.isArray(cfg[k]) && (cfg[k] as unknown[]).length > 0);
}
