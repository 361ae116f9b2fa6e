/**
 * The entry point of the Node.js bundle (`dist/beacon.mjs`). Node has no `import.meta.main`,
 * so unlike `mod.ts` this module runs the CLI when loaded; nothing else imports it.
 * @module
 */
import { runCli } from '../entry.ts';

await runCli();
