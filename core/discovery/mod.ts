/**
 * Service discovery: the target-group model, the {@link Discoverer} seam that mechanisms
 * implement (static and file live in plugins/discovery), and the manager that runs them per
 * job and throttles their updates. See README.md in this folder.
 * @module
 */
export { parseTargetGroups, type TargetGroup } from './target_group.ts';
export {
  type Discoverer,
  type DiscovererContext,
  type DiscoveryMechanism,
  type DiscoveryProvider,
  isDiscoveryProvider,
} from './discoverer.ts';
export {
  configFingerprint,
  DiscoveryManager,
  type DiscoveryManagerOptions,
  type SDConfigSet,
} from './manager.ts';
export { RefreshDiscoverer, type RefreshOptions, sharedCounter, sleep } from './refresh.ts';
