/**
 * Metric and label name rules as Prometheus 3 applies them: legacy names are
 * `[a-zA-Z_:][a-zA-Z0-9_:]*` (labels without `:`); any non-empty valid UTF-8 string may be
 * used when quoted.
 * @module
 */

/** Whether `name` is a legacy (unquoted) metric name. */
export function isLegacyMetricName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 ||
      (i > 0 && c >= 48 && c <= 57);
    if (!ok) return false;
  }
  return true;
}

/** Whether `name` is a legacy (unquoted) label name. */
export function isLegacyLabelName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 ||
      (i > 0 && c >= 48 && c <= 57);
    if (!ok) return false;
  }
  return true;
}

/** Whether `name` is valid under UTF-8 validation: non-empty, with no lone surrogates. */
export function isValidUTF8Name(name: string): boolean {
  return name.length > 0 && isWellFormed(name);
}

function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}
