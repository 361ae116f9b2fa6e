/**
 * What every page provides to the router.
 * @module
 */

/** A page renders into `main` and may return a cleanup for when the user leaves it. */
export interface Page {
  title: string;
  render(main: HTMLElement, params: URLSearchParams, section: string): void | (() => void);
}
