/**
 * The data model: labels, names, matchers and the stale marker.
 * @module
 */
export * from './labels.ts';
export * from './names.ts';
export * from './stale.ts';
export * from './regex.ts';
export * from './matcher.ts';
