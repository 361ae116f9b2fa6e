/**
 * `deno run -A bench/inspector_profile.ts HOST:PORT SECONDS [OUT.cpuprofile]`: takes a CPU
 * profile of a running Beacon started with `deno run --inspect=HOST:PORT …` (through the V8
 * inspector protocol, so the measured process needs no code of its own), and prints the top
 * functions by self time and the top files by self time. Used to tell where a benchmark's CPU
 * goes.
 */
import { writeFileSync } from 'node:fs';
import process from 'node:process';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const [hostPort, secondsArg, out] = process.argv.slice(2).filter((a) => !a.endsWith('.ts'));
if (!hostPort) throw new Error('usage: inspector_profile.ts HOST:PORT SECONDS [OUT]');
const seconds = Number(secondsArg ?? 30);
const list = await (await fetch(`http://${hostPort}/json/list`)).json() as {
  webSocketDebuggerUrl: string;
}[];
const ws = new WebSocket(list[0].webSocketDebuggerUrl);
await new Promise((resolve, reject) => {
  ws.onopen = resolve;
  ws.onerror = reject;
});
let nextId = 1;
const pending = new Map<number, (v: unknown) => void>();
ws.onmessage = (e) => {
  const msg = JSON.parse(String(e.data));
  if (msg.id && pending.has(msg.id)) pending.get(msg.id)!(msg.result);
};
const send = (method: string, params: unknown = {}) =>
  new Promise<unknown>((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    ws.send(JSON.stringify({ id, method, params }));
  });

await send('Profiler.enable');
await send('Profiler.setSamplingInterval', { interval: 1000 });
await send('Profiler.start');
await new Promise((r) => setTimeout(r, seconds * 1000));
const { profile } = await send('Profiler.stop') as { profile: Profile };
ws.close();
if (out) writeFileSync(out, JSON.stringify(profile));

const self = new Map<number, number>();
profile.samples.forEach((id, i) =>
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
);
const total = [...self.values()].reduce((a, b) => a + b, 0);
const byFn = new Map<string, number>();
const byFile = new Map<string, number>();
for (const n of profile.nodes) {
  const t = self.get(n.id) ?? 0;
  const file = n.callFrame.url.replace(/^file:\/\/.*?\/work\/main\//, '') || '(native)';
  const fn = `${n.callFrame.functionName || '(anonymous)'} ${file}:${n.callFrame.lineNumber + 1}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + t);
  byFile.set(file, (byFile.get(file) ?? 0) + t);
}
const top = (m: Map<string, number>, k: number) =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, t]) =>
    `${(100 * t / total).toFixed(1).padStart(5)}%  ${name}`
  );
console.log(`profile: ${(total / 1e6).toFixed(1)} s sampled over ${seconds} s`);
console.log('top functions (self time):');
console.log(top(byFn, 25).join('\n'));
console.log('top files (self time):');
console.log(top(byFile, 15).join('\n'));
