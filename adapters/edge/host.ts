/**
 * A {@link Host} for platforms without a file system or a process (Cloudflare Workers, Deno
 * Deploy): files come from a map filled from bindings or the bundle, the environment from a
 * record, and serving belongs to the platform, so `serve` refuses.
 * @module
 */
import type { Host, HostServer } from '../../core/host.ts';

/** What {@link createEdgeHost} serves from. */
export interface EdgeHostOptions {
  /** Runtime name and version for the build info, e.g. `{ name: 'workerd', version: '…' }`. */
  runtime: { name: string; version: string };
  /** Absolute path → text: the config file, rule files, credential files. */
  files: Readonly<Record<string, string>>;
  /** Environment values (bindings), read by `${VAR}` expansion in the config. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Reported as the instance's hostname (default `edge`). */
  hostname?: string;
  /** Receives log lines (default `console.error`). */
  write?: (line: string) => void;
}

/** Creates the file-less host; see the module doc. */
export function createEdgeHost(o: EdgeHostOptions): Host {
  const files = new Map(Object.entries(o.files).map(([p, text]) => [normalize(p), text]));
  const write = o.write ?? ((line: string) => console.error(line));
  const started = Date.now() / 1000;
  return {
    runtime: o.runtime,
    serve(): Promise<HostServer> {
      return Promise.reject(new Error('the edge platform serves requests itself'));
    },
    readTextFile(path: string): Promise<string> {
      const text = files.get(normalize(path));
      if (text === undefined) {
        return Promise.reject(new Error(`${path}: no such file in the edge bundle or bindings`));
      }
      return Promise.resolve(text);
    },
    expandGlob(pattern: string): Promise<string[]> {
      const re = globRegExp(normalize(pattern));
      return Promise.resolve([...files.keys()].filter((p) => re.test(p)).sort());
    },
    // Nothing changes under an isolate: files are fixed for its life.
    watch: () => () => {},
    resolvePath: normalize,
    onSignal: () => () => {},
    env: (name: string) => o.env?.[name],
    hostname: () => o.hostname ?? 'edge',
    cwd: () => '/',
    processInfo: { startTimeSeconds: started, read: () => ({}) },
    writeErr: write,
    writeOut: write,
    readStdin: () => Promise.resolve(new Uint8Array(0)),
    exit(code: number): never {
      throw new Error(`exit(${code}) is not possible on the edge`);
    },
  };
}

/** Absolute, `/`-separated, without `.` and `..` segments. */
function normalize(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return '/' + out.join('/');
}

// `*` and `?` stay inside one path element; `[…]` is a character class.
function globRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        const body = pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
