// Heap cost of one znode in the DataTree.
//
//   npx tsc -b && node --expose-gc bench/tree-heap.mjs [N]
//
// Creates N (default 1,000,000) persistent znodes /bench/n-0000000000 … with
// 100 bytes of data each, as a server would after copying each request's data
// out of its frame, and prints the heap growth per znode after a full GC.
// Typed-array backing stores (the 100 data bytes, and the tree's stat columns)
// live outside the V8 heap, so the "heap + array buffers" line is the total.

import { CreateMode } from '../packages/protocol/dist/index.js';
import { OPEN_ACL_UNSAFE } from '../packages/server/dist/tree/acl.js';
import { DataTree } from '../packages/server/dist/tree/data-tree.js';

if (typeof globalThis.gc !== 'function') {
  console.error('run with: node --expose-gc bench/tree-heap.mjs [N]');
  process.exit(2);
}

const n = Number(process.argv[2] ?? 1_000_000);
const dataBytes = 100;
const epochZxid = 2 ** 32; // zxids of epoch 1 exceed the small-integer range, as in production
const startMs = 1_700_000_000_000;

function settledMemory() {
  for (let i = 0; i < 3; i++) globalThis.gc();
  return process.memoryUsage();
}

const before = settledMemory();
const started = process.hrtime.bigint();

const tree = new DataTree();
let zxid = epochZxid;
const ctx = () => ({ zxid: ++zxid, timeMs: startMs + zxid - epochZxid, sessionId: 0x100000000000001n });
tree.create(ctx(), '/bench', null, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
for (let i = 0; i < n; i++) {
  const data = new Uint8Array(dataBytes); // its own 100-byte buffer, like frameData.slice()
  data[0] = i & 0xff;
  data[1] = (i >> 8) & 0xff;
  tree.create(ctx(), `/bench/n-${String(i).padStart(10, '0')}`, data, OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
}

const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
const after = settledMemory();
const per = (field) => (after[field] - before[field]) / n;

if (tree.getAllChildrenNumber('/bench') !== n) throw new Error('wrong node count');
console.log(`znodes:                     ${n.toLocaleString('en')} with ${dataBytes}-byte data`);
console.log(`create time:                ${elapsedMs.toFixed(0)} ms (${((elapsedMs * 1e3) / n).toFixed(2)} µs per create)`);
console.log(`heap bytes per znode:       ${per('heapUsed').toFixed(1)}   (heapUsed delta after gc / N)`);
console.log(`array-buffer bytes per znode: ${per('arrayBuffers').toFixed(1)} (off-heap: data bytes + stat columns)`);
console.log(`heap + array buffers:       ${(per('heapUsed') + per('arrayBuffers')).toFixed(1)}`);
console.log(`rss bytes per znode:        ${per('rss').toFixed(1)}`);
console.log(`digest:                     ${tree.digest()}`);
