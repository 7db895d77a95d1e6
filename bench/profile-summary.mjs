#!/usr/bin/env node
// Summarizes a V8 CPU profile (.cpuprofile, as `node --cpu-prof` writes and `npm run bench --
// --profile` collects in bench/results/profiles): the functions and files with the most self time.
//
//   node bench/profile-summary.mjs <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [file, topArg] = process.argv.slice(2);
if (file === undefined) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));

// Self time per node: the sampling interval after each sample belongs to the sampled node.
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const delta = profile.timeDeltas[i + 1] ?? 0;
  selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + delta);
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const where = (frame) => {
  const url = frame.url.replace(/^file:\/\//, '');
  return url ? `${relative(process.cwd(), url)}:${frame.lineNumber + 1}` : '';
};
const byFunction = new Map();
const byFile = new Map();
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0) continue;
  const frame = node.callFrame;
  const name = `${frame.functionName || '(anonymous)'} ${where(frame)}`.trim();
  byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  const fileName = frame.url ? relative(process.cwd(), frame.url.replace(/^file:\/\//, '')) : frame.functionName;
  byFile.set(fileName, (byFile.get(fileName) ?? 0) + us);
}

const show = (title, map) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  }
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
show('self time by function', byFunction);
show('self time by file', byFile);
