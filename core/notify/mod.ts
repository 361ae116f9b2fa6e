/**
 * Notifications: the alert model, the Alertmanager client (Prometheus's notifier) and Beacon's
 * built-in Alertmanager — routing tree, aggregation groups with Alertmanager's timings,
 * notification log, silences, inhibition and time intervals — plus the config schemas of the
 * `route`, `receivers`, `inhibit_rules` and `time_intervals` sections and the template data
 * notifier plugins render.
 *
 * @example Built-in routing
 * ```ts
 * const routing = v.parse(routingConfigSchema, yaml);
 * const dispatcher = new Dispatcher({
 *   route: buildRoute(routing.route!),
 *   receivers: await buildReceivers(routing.receivers, resolveNotifier),
 *   inhibitRules: compileInhibitRules(routing.inhibit_rules),
 *   silences: new Silences(),
 * });
 * dispatcher.send([newAlert({ labels: { alertname: 'Down' }, startsAt: Date.now() })]);
 * ```
 * @module
 */
export {
  type Alert,
  type AlertInit,
  alertStatus,
  fingerprint,
  formatTime,
  isResolved,
  newAlert,
  type PostableAlert,
  toPostableAlert,
} from './alert.ts';
export { type Clock, ManualClock, systemClock, type TimerHandle } from './clock.ts';
export {
  type ApiMatcher,
  formatMatcher,
  fromApiMatcher,
  MatcherParseError,
  parseMatcher,
  parseMatchers,
  toApiMatcher,
} from './matchers.ts';
export {
  checkRouting,
  type InhibitRuleConfig,
  inhibitRulesSchema,
  type ReceiverConfig,
  receiverIntegrations,
  receiversSchema,
  ROUTE_DEFAULTS,
  type RouteConfig,
  routeSchema,
  type RoutingConfig,
  routingConfigSchema,
  routingSectionSchemas,
  type TimeIntervalConfig,
  timeIntervalsSchema,
  type TimePeriodConfig,
} from './config.ts';
export { compileTimeIntervals, type IntervalPredicate } from './time_interval.ts';
export { buildRoute, formatLabelSet, groupKey, Route } from './route.ts';
export {
  type Silence,
  SilenceError,
  type SilenceInput,
  Silences,
  type SilencesOptions,
  type SilenceState,
  silenceState,
  type SilenceStore,
} from './silences.ts';
export { compileInhibitRules, Inhibitor, type InhibitRule } from './inhibit.ts';
export {
  needsUpdate,
  type NflogEntry,
  type NflogKey,
  type NflogStore,
  NotificationLog,
  type NotificationLogOptions,
} from './nflog.ts';
export {
  type Integration,
  integrationName,
  type Notifier,
  type NotifyContext,
  NotifyError,
  notifyWithRetry,
  postJSON,
  type PostOptions,
  redactURL,
  type RetryOptions,
  type RetryResult,
} from './integration.ts';
export {
  AlertList,
  DEFAULT_TEMPLATES,
  expandNotification,
  expandNotificationSync,
  goTimeJSON,
  KV,
  NotificationData,
  notificationData,
  type NotificationInfo,
  NOTIFY_FUNCS,
  Pair,
  quoteMeta,
  TemplateAlert,
} from './template_data.ts';
export {
  type AlertSink,
  type AlertState,
  Dispatcher,
  DispatcherMetrics,
  type DispatcherOptions,
  type GroupState,
} from './dispatcher.ts';
export {
  AlertmanagerClient,
  type AlertmanagerClientOptions,
  alertmanagerURLs,
  alertsPath,
  NOTIFIER_DEFAULTS,
  type NotifierConfig,
  prepareAlert,
  staticGroups,
} from './alertmanager_client.ts';
export { alertmanagersApi, type AlertmanagerSource } from './api.ts';
export { buildReceivers, type NotifierResolver } from './receivers.ts';
export {
  durationField,
  exactlyOne,
  httpConfigClient,
  httpConfigField,
  type ReadFile,
  secretField,
  secretValue,
  sendResolvedField,
  stringField,
  templateField,
  truncateRunes,
} from './notifier_schema.ts';
export { type AlertmanagerApiDeps, alertmanagerApiV2 } from './api_v2.ts';
