/**
 * The queries of the PromQL differential test: every function and aggregation Prometheus 2.42
 * and Beacon share, every binary operator and vector matching form, subqueries, `offset`, `@`,
 * classic histograms, label functions, staleness and edge values (NaN, ±Inf).
 */
import { T0 } from './promql_differential_data.ts';

/** One query; `beacon` is Beacon's spelling when Prometheus 3 renamed the function. */
export interface CorpusQuery {
  q: string;
  beacon?: string;
}

const secs = (ms: number) => String((T0 + ms) / 1000);
/** `@` times off the sample grid and off whole minutes (see the data module). */
const AT_MID = secs(3_617_500);
const AT_EARLY = secs(1_234_123);

const COUNTER = 'http_requests_total';
const GAUGE = 'node_temp_celsius';
const RANGE_SELECTORS = [
  `${COUNTER}[5m]`,
  `${GAUGE}[10m]`,
  `weird_gauge[3m]`,
  `queue_length[7m]`,
];

const OVER_TIME = [
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'last_over_time',
  'present_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'absent_over_time',
  'changes',
  'resets',
  'delta',
  'idelta',
  'deriv',
  'rate',
  'increase',
  'irate',
];

const MATH = [
  'abs',
  'ceil',
  'floor',
  'exp',
  'ln',
  'log2',
  'log10',
  'sqrt',
  'sgn',
  'round',
  'sin',
  'cos',
  'tan',
  'asin',
  'acos',
  'atan',
  'sinh',
  'cosh',
  'tanh',
  'asinh',
  'acosh',
  'atanh',
  'deg',
  'rad',
];

const DATE = [
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'days_in_month',
  'hour',
  'minute',
  'month',
  'year',
];

const AGGR = ['sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count'];

const ARITH = ['+', '-', '*', '/', '%', '^', 'atan2'];
const COMPARE = ['==', '!=', '>', '<', '>=', '<='];

function generated(): string[] {
  const out: string[] = [];
  for (const f of OVER_TIME) for (const sel of RANGE_SELECTORS) out.push(`${f}(${sel})`);
  for (const f of MATH) {
    out.push(`${f}(${GAUGE})`);
    out.push(`${f}(weird_gauge)`);
  }
  out.push('abs(-rate(http_requests_total[2m]))', 'sqrt(-node_temp_celsius)');
  out.push('acos(node_temp_celsius / 100)', 'atanh(node_temp_celsius / 100)');
  for (const f of DATE) {
    out.push(`${f}()`);
    out.push(`${f}(batch_last_success_timestamp_seconds)`);
    out.push(`${f}(vector(1700000000))`);
  }
  for (const a of AGGR) {
    out.push(`${a}(${GAUGE})`);
    out.push(`${a} by (job) (rate(${COUNTER}[5m]))`);
    out.push(`${a} without (instance, method) (${COUNTER})`);
    out.push(`${a}(weird_gauge)`);
  }
  for (const op of ARITH) {
    out.push(`${GAUGE} ${op} 3`);
    out.push(`2 ${op} ${GAUGE}`);
    out.push(
      `rate(${COUNTER}[5m]) ${op} on (job, instance) group_left sum by (job, instance) (rate(${COUNTER}[5m]))`,
    );
    out.push(`weird_gauge ${op} weird_gauge`);
  }
  for (const op of COMPARE) {
    out.push(`${GAUGE} ${op} 40`);
    out.push(`${GAUGE} ${op} bool 40`);
    out.push(`queue_length ${op} on (queue) queue_length offset 1m`);
    out.push(`queue_length ${op} bool ignoring (queue) group_left max(queue_length)`);
    out.push(`1 ${op} bool 2`);
    out.push(`weird_gauge ${op} 1`);
  }
  return out;
}

const HANDWRITTEN: string[] = [
  // Selectors, matchers, staleness.
  'http_requests_total',
  'http_requests_total{job="api"}',
  'http_requests_total{job!="api"}',
  'http_requests_total{instance=~"a.*"}',
  'http_requests_total{instance!~"a.*", code="500"}',
  '{__name__=~"http_requests_total|up", job="web"}',
  '{__name__=~"req_duration.*", le=""}',
  'up == 0',
  'batch_last_success_timestamp_seconds',
  'http_requests_total{job="web", instance="b:9090"}',
  'weird_gauge',
  'http_requests_total[1m]',
  'weird_gauge[1m]',
  'http_requests_total offset 10m',
  'http_requests_total offset -10m',
  'rate(http_requests_total[5m] offset 30m)',
  'rate(http_requests_total[5m] offset -7m)',
  `http_requests_total @ ${AT_MID}`,
  `rate(http_requests_total[5m] @ ${AT_MID})`,
  `rate(http_requests_total[5m] @ ${AT_EARLY} offset 5m)`,
  'http_requests_total @ start()',
  'http_requests_total @ end()',
  'rate(http_requests_total[5m] @ end())',
  `node_temp_celsius - node_temp_celsius @ ${AT_MID}`,
  `sum(node_temp_celsius @ ${AT_EARLY})`,
  'node_temp_celsius offset 1h',
  // Functions with parameters.
  'clamp(node_temp_celsius, 0, 40)',
  'clamp(node_temp_celsius, 40, 0)',
  'clamp_min(node_temp_celsius, 40)',
  'clamp_max(node_temp_celsius, 40)',
  'clamp(weird_gauge, -1, 1)',
  'round(node_temp_celsius, 0.5)',
  'round(node_temp_celsius, 3)',
  'round(-node_temp_celsius, 0.25)',
  'quantile_over_time(0.5, node_temp_celsius[10m])',
  'quantile_over_time(0.9, http_requests_total[5m])',
  'quantile_over_time(0, queue_length[10m])',
  'quantile_over_time(1.5, queue_length[10m])',
  'quantile_over_time(-1, queue_length[10m])',
  'quantile_over_time(0.3, weird_gauge[5m])',
  'predict_linear(node_temp_celsius[10m], 600)',
  'predict_linear(http_requests_total[5m], 3600)',
  'predict_linear(queue_length[15m], -300)',
  'deriv(node_temp_celsius[10m])',
  'deriv(http_requests_total[1m])',
  'timestamp(node_temp_celsius)',
  'timestamp(http_requests_total offset 5m)',
  `timestamp(up @ ${AT_MID})`,
  'timestamp(batch_last_success_timestamp_seconds)',
  'time()',
  'time() - batch_last_success_timestamp_seconds',
  'vector(1)',
  'vector(time())',
  'scalar(up{instance="a:9090", job="api"})',
  'scalar(up)',
  'scalar(sum(up))',
  'node_temp_celsius * scalar(count(up))',
  'pi()',
  'pi() * 2',
  'sgn(weird_gauge)',
  'sort(node_temp_celsius)',
  'sort_desc(node_temp_celsius)',
  'sort(rate(http_requests_total[5m]))',
  'sort_desc(sum by (job, instance) (rate(http_requests_total[5m])))',
  'absent(nonexistent_metric)',
  'absent(nonexistent_metric{job="x", instance=~"y"})',
  'absent(up)',
  'absent(sum(nonexistent_metric))',
  'absent(nonexistent_metric{job="x"} offset 5m)',
  'absent_over_time(nonexistent_metric{job="x"}[5m])',
  'absent_over_time(batch_last_success_timestamp_seconds[10m])',
  'absent_over_time(http_requests_total{job="web", instance="b:9090", code="500"}[5m])',
  'present_over_time(batch_last_success_timestamp_seconds[10m])',
  'last_over_time(batch_last_success_timestamp_seconds[30m])',
  'count_over_time(http_requests_total{job="web", code="500"}[10m])',
  'increase(http_requests_total{job="api", instance="a:9090", method="get", code="200"}[10m])',
  'rate(http_requests_total{job="api", instance="a:9090", method="get", code="200"}[3m])',
  'resets(http_requests_total[30m])',
  'changes(up[1h])',
  'changes(queue_length[1h])',
  'irate(http_requests_total[30s])',
  'rate(fresh_jobs_total[5m])',
  'increase(fresh_jobs_total[10m])',
  'rate(http_requests_total[30s])',
  'rate(http_requests_total[20s])',
  'increase(http_requests_total[1h])',
  'delta(queue_length[1h])',
  'idelta(node_temp_celsius[1m])',
  // Label functions.
  'label_replace(path_hits_total, "prefix", "$1", "path", "/([^/]+)/.*")',
  'label_replace(path_hits_total, "host", "$1", "host", "([^.]+)\\\\..*")',
  'label_replace(path_hits_total, "foo", "", "path", ".*")',
  'label_replace(path_hits_total, "path", "x", "nonexistent", "")',
  'label_replace(path_hits_total, "new", "$0-$1", "path", "/api/(v[0-9])/.*")',
  'label_replace(up, "instance", "$1", "instance", "(.*):.*")',
  'label_replace(rate(path_hits_total[5m]), "__name__", "renamed", "", "")',
  'label_join(path_hits_total, "joined", "-", "path", "host")',
  'label_join(path_hits_total, "joined", "", "path")',
  'label_join(path_hits_total, "path", ",", "host", "__name__")',
  'label_join(up, "empty", "-")',
  // Aggregations with parameters.
  'topk(3, node_temp_celsius)',
  'bottomk(2, node_temp_celsius)',
  'topk by (job) (2, rate(http_requests_total[5m]))',
  'bottomk without (code, method) (1, rate(http_requests_total[5m]))',
  'topk(0, node_temp_celsius)',
  'topk(100, node_temp_celsius)',
  'topk(2.7, node_temp_celsius)',
  'topk(scalar(count(build_info)), node_temp_celsius)',
  'quantile(0.5, node_temp_celsius)',
  'quantile(0.9, rate(http_requests_total[5m]))',
  'quantile by (job) (0.25, rate(http_requests_total[5m]))',
  'quantile(2, node_temp_celsius)',
  'quantile(-0.5, node_temp_celsius)',
  'quantile(0.5, weird_gauge)',
  'count_values("version", deploy_version)',
  'count_values("value", queue_length)',
  'count_values by (job) ("v", up)',
  'count_values("version", build_info)',
  'count_values("x", weird_gauge)',
  'count_values("x", node_temp_celsius / 3)',
  'sum by (job) (http_requests_total)',
  'sum without (instance) (http_requests_total)',
  'sum by (nonexistent) (http_requests_total)',
  'sum(http_requests_total) by (job, code)',
  'avg by (zone) (node_temp_celsius)',
  'max by (instance) (node_temp_celsius)',
  'min without () (node_temp_celsius)',
  'count by (__name__) ({__name__=~"http_requests_total|up|build_info"})',
  'group by (job) (up)',
  'stddev by (job) (rate(http_requests_total[5m]))',
  'stdvar without (zone) (node_temp_celsius)',
  'avg(weird_gauge{kind="inf"})',
  'sum(weird_gauge{kind!="nan"})',
  'max(weird_gauge{kind="mixed"})',
  'min(weird_gauge)',
  'sum(sum by (job) (up))',
  'count(count by (job) (up))',
  'sum by (job) (rate(http_requests_total[5m])) / on (job) group_left sum by (job) (up)',
  // Vector matching and set operators.
  'http_requests_total{code="500"} / ignoring (code) http_requests_total{code="200"}',
  'rate(http_requests_total{code="500"}[5m]) / ignoring (code) rate(http_requests_total{code="200"}[5m])',
  'sum by (job, instance) (rate(http_requests_total[5m])) * on (job, instance) group_left (version) build_info',
  'build_info * on (job, instance) group_right (version) sum by (job, instance) (http_requests_total)',
  'http_requests_total * on (job, instance) group_left (version) build_info',
  'http_requests_total + ignoring (method, code) group_left up',
  'up * on (job, instance) group_left build_info',
  'build_info + on (instance) group_left up',
  'up + on (instance) group_right (version) build_info',
  'up == on (job, instance) group_left build_info',
  'http_requests_total * on (job, instance) up',
  'http_requests_total * on () group_left scalar(sum(up))',
  'node_temp_celsius > on (instance) group_left max by (instance) (node_temp_celsius) - 1',
  'node_temp_celsius - on () group_left avg(node_temp_celsius)',
  'node_temp_celsius / ignoring (zone) group_left sum without (zone) (node_temp_celsius)',
  'up and on (job) build_info',
  'up and build_info',
  'up or build_info',
  'up or on (instance) build_info',
  'up unless on (job) build_info',
  'up unless build_info',
  'http_requests_total and http_requests_total offset 1h',
  'http_requests_total unless http_requests_total offset 1h',
  'node_temp_celsius and ignoring (zone) node_temp_celsius{zone="z1"}',
  'node_temp_celsius > 40 or node_temp_celsius < 38',
  'node_temp_celsius > 40 and node_temp_celsius < 42',
  '(node_temp_celsius > 40) unless on (instance) (node_temp_celsius < 38)',
  'up or vector(0)',
  'sum(nonexistent_metric) or vector(0)',
  'vector(1) and on () up{instance="c"} == 0',
  'up + up',
  'up + on () group_left vector(1)',
  'up + 1 == bool 2',
  'up * -1',
  '-up',
  '- - node_temp_celsius',
  '+node_temp_celsius',
  'node_temp_celsius ^ 2 ^ 0.5',
  '2 ^ 3 ^ 2',
  '-2 ^ 2',
  '1 + 2 * 3 - 4 / 5 % 3',
  '(1 + 2) * 3',
  '10 atan2 3',
  'node_temp_celsius atan2 on (instance, zone, job) node_temp_celsius offset 5m',
  'node_temp_celsius % 7',
  'node_temp_celsius % -7',
  '-node_temp_celsius % 7',
  '1 / 0',
  '-1 / 0',
  '0 / 0',
  'node_temp_celsius / 0',
  'node_temp_celsius{instance="c"} ^ 0.5',
  'NaN',
  'Inf',
  '-Inf',
  '0x1F',
  '1e3',
  '.5 + 1.5e-3',
  'NaN == NaN',
  'NaN == bool NaN',
  'NaN != bool NaN',
  'Inf > bool -Inf',
  'weird_gauge == bool weird_gauge',
  'weird_gauge > 0',
  'weird_gauge != 0',
  'weird_gauge{kind="nan"} == NaN',
  // Classic histograms.
  'histogram_quantile(0.5, rate(req_duration_seconds_bucket[5m]))',
  'histogram_quantile(0.9, sum by (le) (rate(req_duration_seconds_bucket[5m])))',
  'histogram_quantile(0.99, sum by (job, le) (rate(req_duration_seconds_bucket[10m])))',
  'histogram_quantile(0, sum by (le) (rate(req_duration_seconds_bucket[5m])))',
  'histogram_quantile(1, sum by (le) (rate(req_duration_seconds_bucket[5m])))',
  'histogram_quantile(1.5, sum by (le) (rate(req_duration_seconds_bucket[5m])))',
  'histogram_quantile(-1, sum by (le) (rate(req_duration_seconds_bucket[5m])))',
  'histogram_quantile(0.5, req_duration_seconds_bucket)',
  'histogram_quantile(0.8, sum by (le) (increase(req_duration_seconds_bucket[1h])))',
  'histogram_quantile(0.5, sum by (le) (rate(req_duration_seconds_bucket{le!="+Inf"}[5m])))',
  'histogram_quantile(0.5, sum by (le) (rate(req_duration_seconds_bucket{le=~"1|\\\\+Inf"}[5m])))',
  'histogram_quantile(0.5, rate(req_duration_seconds_bucket[1m]) * 0)',
  'histogram_quantile(0.5, label_replace(req_duration_seconds_bucket, "le", "foo", "le", "5"))',
  'histogram_quantile(scalar(vector(0.75)), sum by (le, instance) (rate(req_duration_seconds_bucket[5m])))',
  'histogram_quantile(0.5, max_over_time(req_duration_seconds_bucket[5m]))',
  'rate(req_duration_seconds_sum[5m]) / rate(req_duration_seconds_count[5m])',
  'sum by (job) (rate(req_duration_seconds_sum[5m])) / sum by (job) (rate(req_duration_seconds_count[5m]))',
  'req_duration_seconds_bucket{le="+Inf"} - ignoring (le) req_duration_seconds_count',
  'histogram_count(req_duration_seconds_count)',
  'histogram_sum(req_duration_seconds_count)',
  'histogram_fraction(0, 1, req_duration_seconds_count)',
  // Subqueries.
  'max_over_time(rate(http_requests_total[5m])[30m:1m])',
  'max_over_time(rate(http_requests_total[5m])[30m:])',
  'avg_over_time(node_temp_celsius[10m:30s])',
  'max_over_time(node_temp_celsius[5m:1m])',
  'max_over_time(node_temp_celsius[5m:1m] offset 1m)',
  'min_over_time(sum by (job) (rate(http_requests_total[1m]))[15m:45s])',
  'rate(http_requests_total[10m:1m])',
  'increase(sum(http_requests_total)[20m:2m])',
  'deriv(sum(node_temp_celsius)[10m:1m])',
  'count_over_time(up[10m:1m])',
  'last_over_time(node_temp_celsius[5m:1m] offset 10m)',
  `max_over_time(node_temp_celsius[5m:1m] @ ${AT_MID})`,
  'sum_over_time(queue_length[7m:17s])',
  'max_over_time(max_over_time(node_temp_celsius[5m:1m])[10m:2m])',
  'quantile_over_time(0.5, rate(http_requests_total[5m])[20m:1m])',
  'stddev_over_time(node_temp_celsius[20m:90s])',
  'changes(queue_length[30m:1m])',
  'absent_over_time(nonexistent_metric[5m:1m])',
  'timestamp(node_temp_celsius[5m:1m])',
  'node_temp_celsius[5m:1m]',
  'rate(http_requests_total[5m])[10m:2m]',
  'predict_linear(node_temp_celsius[20m:1m], 600)',
  // Scalars, strings, misc.
  '42',
  '"a string"',
  'scalar(vector(5)) * 2',
  'vector(scalar(sum(up)))',
  'time() > bool 0',
  'minute() + hour() * 60',
  'year(vector(0))',
  'month(vector(-1))',
  'days_in_month(vector(1709251200))',
  'day_of_week(vector(1709251200))',
  'sum(up) by (job) > 1',
  'count(up == 1) / count(up)',
  'avg(rate(http_requests_total[5m])) * 60',
  'rate(http_requests_total[5m]) > 0.5',
  'exp(node_temp_celsius)',
  'ln(weird_gauge{kind="mixed"})',
  'sum by (path) (rate(path_hits_total[5m]))',
  'topk(1, sum by (path) (rate(path_hits_total[5m])))',
  'max_over_time(deploy_version[1h])',
  'sum(deploy_version) + count(deploy_version)',
  'group(deploy_version) by (instance)',
  'stddev(deploy_version)',
  'stdvar(deploy_version)',
  'quantile(0.5, deploy_version)',
  'avg(deploy_version)',
  // Edge cases: NaN and infinities in ordering and selection, staleness, collisions.
  'sort(weird_gauge)',
  'sort_desc(weird_gauge)',
  'topk(2, weird_gauge)',
  'bottomk(2, weird_gauge)',
  'topk(1, weird_gauge{kind="mixed"} or node_temp_celsius)',
  'quantile_over_time(0.5, weird_gauge[10m])',
  'predict_linear(weird_gauge[5m], 60)',
  'deriv(weird_gauge[5m])',
  'deriv(up[5m])',
  'stddev_over_time(up[10m])',
  'avg_over_time(weird_gauge{kind="inf"}[5m])',
  'sum_over_time(weird_gauge{kind="mixed"}[2m])',
  'last_over_time(http_requests_total{job="web", instance="b:9090", method="post", code="500"}[10m])',
  'irate(http_requests_total{job="web", instance="b:9090"}[2m])',
  'idelta(http_requests_total{job="web", instance="b:9090"}[2m])',
  'changes(http_requests_total[1h])',
  'resets(http_requests_total{job="api"}[1h])',
  'timestamp(timestamp(up))',
  '-up offset 5m',
  'sort(-up)',
  'max_over_time((up == 1)[10m:1m])',
  'rate(http_requests_total[5m:30s])',
  'avg_over_time((node_temp_celsius > 40)[10m:1m])',
  'count_over_time((node_temp_celsius > 40)[30m:1m])',
  'sum(rate(http_requests_total[5m])) by (job) > bool 1',
  'label_replace(node_temp_celsius, "zone", "", "zone", ".*")',
  'label_replace(node_temp_celsius, "zone", "$1", "zone", "z(.)")',
  'sum without (le) (req_duration_seconds_bucket)',
  'up * on (job, instance) group_left (instance) build_info',
  'build_info * on (job, instance) group_left (version) up',
  'up > on (job) group_left max by (job) (up) - 1',
  'sum by (job) (up) == bool on (job) count by (job) (up)',
  'rate(http_requests_total[5m] @ start())',
  'rate(http_requests_total[5m] @ end() offset 1h)',
  `sum_over_time(up[10m:1m] @ ${AT_MID} offset 10m)`,
  'absent(up{job="nonexistent"} offset 1h)',
  'absent_over_time(up{job="nonexistent"}[1h] offset 1h)',
  'vector(1) + on () group_right up',
  'up + on () group_left vector(1) * 0',
  'count(up) by (instance) > 1',
  'sum(http_requests_total{code="500"}) / sum(http_requests_total)',
  '(sum by (job) (rate(http_requests_total{code="500"}[5m])) / sum by (job) (rate(http_requests_total[5m]))) * 100',
  'clamp_max(clamp_min(node_temp_celsius, 39), 41)',
  'round(rate(http_requests_total[5m]), 0.01)',
  'ceil(weird_gauge)',
  'exp(weird_gauge)',
  'sqrt(weird_gauge)',
  'ln(node_temp_celsius)',
  'log2(deploy_version)',
  'weird_gauge ^ 0',
  '0 ^ weird_gauge',
  'weird_gauge % 0',
  'weird_gauge % Inf',
  'node_temp_celsius % Inf',
  '-Inf % 3',
  'count_values("v", sgn(node_temp_celsius))',
  'count_values("le", req_duration_seconds_bucket)',
  'group without (le) (req_duration_seconds_bucket)',
  'stddev(weird_gauge)',
  'stdvar(weird_gauge{kind!="nan"})',
  'avg(weird_gauge{kind=~"inf|mixed"})',
  'quantile(0.99, weird_gauge{kind="mixed"} or node_temp_celsius)',
  'sum by (__name__) ({__name__=~"up|deploy_version"})',
  'max by (__name__, job) ({__name__=~"up|build_info"})',
  'count({__name__=~".+"})',
  'count by (__name__) ({__name__=~".+"})',
  // Errors (both sides must fail with the same error type).
  'rate(node_temp_celsius)',
  'sum(http_requests_total[5m])',
  'http_requests_total{',
  'label_replace(up, "x", "y", "instance", "(")',
  'label_replace(up, "invalid-name", "y", "instance", "(.*)")',
  'up + on (job) build_info',
  'http_requests_total + ignoring (code) http_requests_total',
  'build_info * on (job) group_left up',
  'count_values("invalid-label", up)',
  'unknown_function(up)',
  'histogram_quantile(0.5)',
  'topk(up, node_temp_celsius)',
  'x[5m] offset',
  '{job="api"}',
  '{__name__=~".*"}[1m] @ 0 offset 1m',
  'label_join(up, "__name__", "", "job")',
];

/** Functions Prometheus 3 renamed; Beacon is queried with its 3.x name. */
const RENAMED: CorpusQuery[] = [
  {
    q: 'holt_winters(node_temp_celsius[10m], 0.5, 0.5)',
    beacon: 'double_exponential_smoothing(node_temp_celsius[10m], 0.5, 0.5)',
  },
  {
    q: 'holt_winters(http_requests_total[5m], 0.1, 0.9)',
    beacon: 'double_exponential_smoothing(http_requests_total[5m], 0.1, 0.9)',
  },
  {
    q: 'holt_winters(queue_length[15m:1m], 0.3, 0.7)',
    beacon: 'double_exponential_smoothing(queue_length[15m:1m], 0.3, 0.7)',
  },
  {
    q: 'holt_winters(node_temp_celsius[10m], 1.5, 0.5)',
    beacon: 'double_exponential_smoothing(node_temp_celsius[10m], 1.5, 0.5)',
  },
];

/** The whole corpus, without duplicates. */
export function corpus(): CorpusQuery[] {
  const seen = new Set<string>();
  const out: CorpusQuery[] = [];
  for (const q of [...generated(), ...HANDWRITTEN].map((q) => ({ q })).concat(RENAMED)) {
    if (seen.has(q.q)) continue;
    seen.add(q.q);
    out.push(q);
  }
  return out;
}
