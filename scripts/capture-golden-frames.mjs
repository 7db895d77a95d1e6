#!/usr/bin/env node
// Records real ZooKeeper wire traffic as golden frames for @zkts/protocol's codec tests.
//
// Starts Apache ZooKeeper 3.8 (test-support/apache-zookeeper.ts), puts a recording TCP proxy on
// loopback in front of it, and drives a scripted session through the proxy with two real
// ZooKeeper clients: ZooKeeper's own Java client (ZooKeeperMain, the zkCli.sh engine; it is the
// only client at hand that sends the connect request's readOnly flag and createTTL) and
// node-zookeeper-client. Each direction of each connection is split into frames by the 4-byte
// length prefix, and the chosen frames are written to
// packages/protocol/test/fixtures/golden-frames.json with the field values they must decode to.
//
// Those expected values never come from our codec: they are what the script sent, what the real
// clients decoded from the answers (stats, session ids, reply zxids), the server's own `srvr`
// zxid, or ZooKeeper semantics stated where they are used.
//
// Usage: node scripts/capture-golden-frames.mjs
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import zookeeper from 'node-zookeeper-client';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixturePath = join(root, 'packages/protocol/test/fixtures/golden-frames.json');
const javaClassPath = '/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar';

/** OpCode values (ZooDefs.OpCode). Connect frames carry createSession's code, as the server treats them. */
const Op = {
  notification: 0, create: 1, delete: 2, exists: 3, getData: 4, setData: 5, getChildren: 8, ping: 11,
  getChildren2: 12, check: 13, multi: 14, create2: 15, createTTL: 21, createSession: -10, closeSession: -11, error: -1,
};
const Err = { OK: 0, RUNTIME_INCONSISTENCY: -2, NO_NODE: -101, BAD_VERSION: -103 };
const worldAnyoneAll = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];
/** A client that has no session yet sends 16 zero bytes as its password (Java and node-zookeeper-client alike). */
const emptyPasswd = '00'.repeat(16);
/** node-zookeeper-client's requested session timeout: short, so it pings after a third of it. */
const sessionTimeoutMs = 1500;

function check(condition, message) {
  if (!condition) throw new Error(`capture-golden-frames: ${message}`);
}

/** Bundles a TypeScript module with esbuild and imports it, since Node 20 cannot run TypeScript. */
async function importTypeScript(entry) {
  const dir = mkdtempSync(join(tmpdir(), 'zkts-capture-'));
  try {
    const outfile = join(dir, 'bundle.mjs');
    await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
    return await import(pathToFileURL(outfile).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Forwards loopback connections to the server and records each direction as length-prefixed frames.
 * Besides the length it reads only the xid and op type of request headers and the xid of replies,
 * to label frames; everything else stays bytes.
 */
class RecordingProxy {
  connections = [];
  #waiters = [];
  #sockets = new Set();

  constructor(targetPort) {
    this.targetPort = targetPort;
    this.server = createServer((client) => this.#accept(client));
  }

  async listen() {
    this.server.listen({ host: '127.0.0.1', port: 0 });
    await once(this.server, 'listening');
    this.port = this.server.address().port;
  }

  #accept(client) {
    const connection = { index: this.connections.length, frames: [], xidTypes: new Map(), counts: { 'client-to-server': 0, 'server-to-client': 0 } };
    this.connections.push(connection);
    const upstream = connect({ host: '127.0.0.1', port: this.targetPort });
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    const toServer = splitFrames((frame) => this.#record(connection, 'client-to-server', frame));
    const toClient = splitFrames((frame) => this.#record(connection, 'server-to-client', frame));
    client.on('data', (chunk) => {
      toServer(chunk);
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      toClient(chunk);
      client.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  }

  #record(connection, direction, bytes) {
    const ordinal = connection.counts[direction]++;
    let xid;
    let opType;
    if (ordinal === 0) {
      opType = Op.createSession;
    } else if (direction === 'client-to-server') {
      xid = bytes.readInt32BE(4);
      opType = bytes.readInt32BE(8);
      if (xid >= 0) connection.xidTypes.set(xid, opType);
    } else {
      xid = bytes.readInt32BE(4);
      opType = xid === -1 ? Op.notification : xid === -2 ? Op.ping : connection.xidTypes.get(xid);
    }
    const frame = { connection: connection.index, direction, ordinal, xid, opType, bytes };
    connection.frames.push(frame);
    this.#waiters = this.#waiters.filter((waiter) => !waiter(frame));
  }

  /** Resolves with the first recorded frame (past or future) that matches `predicate`. */
  waitForFrame(predicate, description, timeoutMs = 10_000) {
    const found = this.connections.flatMap((connection) => connection.frames).find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`capture-golden-frames: no ${description} within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push((frame) => {
        if (!predicate(frame)) return false;
        clearTimeout(timer);
        resolve(frame);
        return true;
      });
    });
  }

  /** The one frame on `connection` going `direction` that matches; throws unless there is exactly one. */
  frame(connection, direction, predicate, description) {
    const matches = this.connections[connection]?.frames.filter((frame) => frame.direction === direction && predicate(frame)) ?? [];
    check(matches.length === 1, `expected one ${description} on connection ${connection}, found ${matches.length}`);
    return matches[0];
  }

  async close() {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function splitFrames(onFrame) {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const length = pending.readInt32BE(0);
      check(length >= 0 && length <= 0xfffff, `implausible frame length ${length}`);
      if (pending.length < 4 + length) break;
      onFrame(Buffer.from(pending.subarray(0, 4 + length)));
      pending = pending.subarray(4 + length);
    }
  };
}

/**
 * Runs ZooKeeper's Java command-line client with `commands` on its standard input, then `quit`,
 * which closes the session (a command given as arguments exits without closing it). Its INFO log
 * reports the session it got.
 */
async function runJavaClient(connectString, options, commands) {
  const args = [...options, ...commands];
  const child = spawn(
    'java',
    ['-Xmx64m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', '-cp', javaClassPath, 'org.apache.zookeeper.ZooKeeperMain', '-server', connectString, ...options],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  child.stdin.end(`${[...commands, 'quit'].join('\n')}\n`);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code, signal] = await once(child, 'exit');
  clearTimeout(timer);
  check(code === 0, `ZooKeeperMain ${args.join(' ')} ended with ${signal ?? `code ${code}`}:\n${output}`);
  const session = /Session establishment complete on server .*, session id = 0x([0-9a-f]+), negotiated timeout = (\d+)/.exec(output);
  check(session !== null, `ZooKeeperMain ${args.join(' ')} logged no established session:\n${output}`);
  return { output, sessionId: BigInt(`0x${session[1]}`), negotiatedTimeoutMs: Number(session[2]) };
}

/**
 * The Stat that zkCli's `-s` option printed (cZxid = 0x0, ctime = Thu Jan 01 00:00:00 UTC 1970, …).
 * zkCli prints times as dates to the second, so this is only exact for times on a whole second, as
 * the root's zero times are.
 */
function printedStat(output) {
  const field = (label) => {
    const match = new RegExp(`^${label} = (.+)$`, 'm').exec(output);
    check(match !== null, `zkCli printed no ${label}:\n${output}`);
    return match[1].trim();
  };
  const time = (label) => {
    const ms = Date.parse(field(label));
    check(Number.isFinite(ms), `cannot parse ${label} ${field(label)}`);
    return String(ms);
  };
  return {
    czxid: BigInt(field('cZxid')).toString(),
    mzxid: BigInt(field('mZxid')).toString(),
    ctime: time('ctime'),
    mtime: time('mtime'),
    version: Number(field('dataVersion')),
    cversion: Number(field('cversion')),
    aversion: Number(field('aclVersion')),
    ephemeralOwner: BigInt(field('ephemeralOwner')).toString(),
    dataLength: Number(field('dataLength')),
    numChildren: Number(field('numChildren')),
    pzxid: BigInt(field('pZxid')).toString(),
  };
}

/** The server's last processed zxid, as its `srvr` four-letter word reports it. */
async function lastZxid(server) {
  const srvr = await server.fourLetterWord('srvr');
  const match = /^Zxid: (0x[0-9a-f]+)$/m.exec(srvr);
  check(match !== null, `srvr reported no zxid:\n${srvr}`);
  return BigInt(match[1]);
}

/** Wraps node-zookeeper-client calls: resolves with the callback's results plus the xid the request used and the zxid of its reply. */
function nodeClientCall(client, invoke) {
  const manager = client.connectionManager;
  const xid = manager.xid;
  return new Promise((resolve) => {
    invoke((error, ...results) => {
      resolve({ xid, error, err: error ? error.getCode() : Err.OK, results, zxid: manager.zxid.readBigInt64BE(0) });
    });
  });
}

async function connectNodeClient(connectString) {
  const client = zookeeper.createClient(connectString, { sessionTimeout: sessionTimeoutMs, retries: 0 });
  const connected = once(client, 'connected');
  client.connect();
  await connected;
  return client;
}

const long = (buffer) => buffer.readBigInt64BE(0).toString();
const hex = (buffer) => (buffer === null || buffer === undefined ? null : Buffer.from(buffer).toString('hex'));

/** A Stat as node-zookeeper-client decoded it, in the fixture's notation. */
function statOf(stat) {
  return {
    czxid: long(stat.czxid),
    mzxid: long(stat.mzxid),
    ctime: long(stat.ctime),
    mtime: long(stat.mtime),
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    ephemeralOwner: long(stat.ephemeralOwner),
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
    pzxid: long(stat.pzxid),
  };
}

async function capture() {
  const { startApacheZooKeeper } = await importTypeScript(join(root, 'test-support/apache-zookeeper.ts'));
  // A short tick lets node-zookeeper-client's 1.5 s session through minSessionTimeout.
  const zk = await startApacheZooKeeper({ tickTimeMs: 500 });
  const server = zk.servers[0];
  const proxy = new RecordingProxy(server.clientPort);
  await proxy.listen();
  const via = `127.0.0.1:${proxy.port}`;
  const fixtures = [];
  const clients = new Set();
  // `unverified` names fields no independent source knows; the codec test checks them only by re-encoding.
  const add = (name, source, frame, expected, notes, unverified) => {
    fixtures.push({
      name, source, direction: frame.direction, opType: frame.opType, hex: frame.bytes.toString('hex'), expected,
      ...(notes ? { notes } : {}), ...(unverified ? { unverified } : {}),
    });
  };
  const request = (connection, xid, description) => proxy.frame(connection, 'client-to-server', (f) => f.ordinal > 0 && f.xid === xid, description);
  const reply = (connection, xid, description) => proxy.frame(connection, 'server-to-client', (f) => f.ordinal > 0 && f.xid === xid, description);
  const connectFrame = (connection, direction) => proxy.frame(connection, direction, (f) => f.ordinal === 0, `${direction} connect frame`);

  try {
    // --- Connection 0: Java client, read-only allowed (-r), lists / and closes. Java clients number xids from 1.
    const zxidBeforeJava = await lastZxid(server);
    const java = await runJavaClient(via, ['-r'], ['ls -s /']);
    check(/\[zookeeper\]/.test(java.output), `ls -s / printed no [zookeeper]:\n${java.output}`);
    const rootStat = printedStat(java.output);
    // createSession and closeSession are transactions, each taking the next zxid.
    const javaCloseZxid = await lastZxid(server);
    check(javaCloseZxid === zxidBeforeJava + 2n, `expected two transactions for the Java session, zxid went ${zxidBeforeJava} -> ${javaCloseZxid}`);
    add('connect-request-read-only', 'zookeeper-java-client', connectFrame(0, 'client-to-server'), {
      protocolVersion: 0, lastZxidSeen: '0', timeOut: 30000, sessionId: '0', passwd: emptyPasswd, readOnly: true,
    });
    add('connect-response-with-read-only-flag', 'zookeeper-java-client', connectFrame(0, 'server-to-client'), {
      protocolVersion: 0, timeOut: java.negotiatedTimeoutMs, sessionId: java.sessionId.toString(), readOnly: false,
    }, 'passwd is server-generated and not reported by the Java client', ['passwd']);
    add('getChildren2-request-root', 'zookeeper-java-client', request(0, 1, 'getChildren2 request'), {
      header: { xid: 1, type: Op.getChildren2 }, body: { path: '/', watch: false },
    }, 'zkCli ls -s / (ZooKeeper.getChildren with a Stat)');
    add('getChildren2-response-root', 'zookeeper-java-client', reply(0, 1, 'getChildren2 reply'), {
      // A read is answered with the last processed zxid: here the session's own createSession.
      header: { xid: 1, zxid: (zxidBeforeJava + 1n).toString(), err: Err.OK }, body: { children: ['zookeeper'], stat: rootStat },
    }, 'the stat is the one zkCli printed');
    add('closeSession-request-java', 'zookeeper-java-client', request(0, 2, 'closeSession request'), {
      header: { xid: 2, type: Op.closeSession }, body: null,
    });
    add('closeSession-response-java', 'zookeeper-java-client', reply(0, 2, 'closeSession reply'), {
      header: { xid: 2, zxid: javaCloseZxid.toString(), err: Err.OK }, body: null,
    });

    // --- Connection 1: Java client creates a TTL node (needs extendedTypesEnabled on the server).
    const ttlJava = await runJavaClient(via, [], ['create -t 60000 /golden-ttl ttl-data']);
    check(/Created \/golden-ttl/.test(ttlJava.output), `create -t printed no confirmation:\n${ttlJava.output}`);

    // --- Connection 2: node-zookeeper-client A, the main session. Connection 3: client B.
    const a = await connectNodeClient(via);
    clients.add(a);
    const b = await connectNodeClient(via);
    clients.add(b);
    check(proxy.connections.length === 4, `expected 4 proxied connections, saw ${proxy.connections.length}`);

    const ttlStat = await nodeClientCall(a, (cb) => a.exists('/golden-ttl', cb));
    check(ttlStat.results[0], 'the TTL node does not exist');
    const ttlNodeStat = statOf(ttlStat.results[0]);
    add('createTTL-request', 'zookeeper-java-client', request(1, 1, 'createTTL request'), {
      header: { xid: 1, type: Op.createTTL },
      body: { path: '/golden-ttl', data: Buffer.from('ttl-data').toString('hex'), acl: worldAnyoneAll, flags: 5, ttl: '60000' },
    });
    add('createTTL-response', 'zookeeper-java-client', reply(1, 1, 'createTTL reply'), {
      // createTTL answers with Create2Response; a write's reply carries its own zxid.
      header: { xid: 1, zxid: ttlNodeStat.czxid, err: Err.OK }, body: { path: '/golden-ttl', stat: ttlNodeStat },
    });

    const aSessionId = a.getSessionId().readBigInt64BE(0);
    add('connect-request-without-read-only-flag', 'node-zookeeper-client', connectFrame(2, 'client-to-server'), {
      protocolVersion: 0, lastZxidSeen: '0', timeOut: sessionTimeoutMs, sessionId: '0', passwd: emptyPasswd,
    }, 'node-zookeeper-client predates the readOnly flag and sends none');
    add('connect-response-without-read-only-flag', 'node-zookeeper-client', connectFrame(2, 'server-to-client'), {
      protocolVersion: 0, timeOut: a.getSessionTimeout(), sessionId: aSessionId.toString(), passwd: hex(a.getSessionPassword()),
    }, 'the server omits the readOnly flag when the connect request had none');

    const created = await nodeClientCall(a, (cb) => a.create('/golden', Buffer.from('hello'), zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT, cb));
    check(created.err === Err.OK && created.results[0] === '/golden', `create /golden failed: ${created.error}`);
    add('create-request-persistent', 'node-zookeeper-client', request(2, created.xid, 'create request'), {
      header: { xid: created.xid, type: Op.create },
      body: { path: '/golden', data: Buffer.from('hello').toString('hex'), acl: worldAnyoneAll, flags: 0 },
    });
    add('create-response-persistent', 'node-zookeeper-client', reply(2, created.xid, 'create reply'), {
      header: { xid: created.xid, zxid: created.zxid.toString(), err: Err.OK }, body: { path: '/golden' },
    });

    const ephemeral = await nodeClientCall(a, (cb) => a.create('/golden/eph-', zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL, cb));
    // The first child of a fresh parent gets sequence 0 (the parent's cversion), ten digits wide.
    check(ephemeral.err === Err.OK && ephemeral.results[0] === '/golden/eph-0000000000', `ephemeral-sequential create gave ${ephemeral.results[0]}`);
    add('create-request-ephemeral-sequential-null-data', 'node-zookeeper-client', request(2, ephemeral.xid, 'ephemeral create request'), {
      header: { xid: ephemeral.xid, type: Op.create },
      body: { path: '/golden/eph-', data: null, acl: worldAnyoneAll, flags: 3 },
    }, 'no data given: node-zookeeper-client sends a null buffer (length -1)');
    add('create-response-ephemeral-sequential', 'node-zookeeper-client', reply(2, ephemeral.xid, 'ephemeral create reply'), {
      header: { xid: ephemeral.xid, zxid: ephemeral.zxid.toString(), err: Err.OK }, body: { path: '/golden/eph-0000000000' },
    });

    let notified;
    const notification = new Promise((resolve) => (notified = resolve));
    const read = await nodeClientCall(a, (cb) => a.getData('/golden', (event) => notified(event), cb));
    check(read.err === Err.OK && read.results[0].toString() === 'hello', 'getData /golden did not read hello');
    add('getData-request-with-watch', 'node-zookeeper-client', request(2, read.xid, 'getData request'), {
      header: { xid: read.xid, type: Op.getData }, body: { path: '/golden', watch: true },
    });
    add('getData-response', 'node-zookeeper-client', reply(2, read.xid, 'getData reply'), {
      header: { xid: read.xid, zxid: read.zxid.toString(), err: Err.OK },
      body: { data: hex(read.results[0]), stat: statOf(read.results[1]) },
    });

    const written = await nodeClientCall(b, (cb) => b.setData('/golden', Buffer.from('world'), 0, cb));
    check(written.err === Err.OK, `setData /golden failed: ${written.error}`);
    const writtenStat = statOf(written.results[0]);
    add('setData-request-with-version', 'node-zookeeper-client', request(3, written.xid, 'setData request'), {
      header: { xid: written.xid, type: Op.setData }, body: { path: '/golden', data: Buffer.from('world').toString('hex'), version: 0 },
    });
    add('setData-response', 'node-zookeeper-client', reply(3, written.xid, 'setData reply'), {
      header: { xid: written.xid, zxid: written.zxid.toString(), err: Err.OK }, body: { stat: writtenStat },
    });
    check(written.zxid.toString() === writtenStat.mzxid, 'setData reply zxid differs from the new mzxid');

    const event = await notification;
    check(event.getType() === zookeeper.Event.NODE_DATA_CHANGED && event.getPath() === '/golden', `unexpected watch event ${event}`);
    const notificationFrame = await proxy.waitForFrame((f) => f.connection === 2 && f.direction === 'server-to-client' && f.xid === -1, 'notification');
    add('notification-node-data-changed', 'node-zookeeper-client', notificationFrame, {
      // ZooKeeper 3.8's ServerCnxn.process sends notifications with zxid -1 (3.9 started sending the event's zxid).
      header: { xid: -1, zxid: '-1', err: Err.OK },
      body: { type: zookeeper.Event.NODE_DATA_CHANGED, state: 3, path: '/golden' },
    }, 'triggered by the second client\'s setData; state 3 is SyncConnected');

    const listed = await nodeClientCall(a, (cb) => a.getChildren('/golden', cb));
    check(listed.err === Err.OK, `getChildren /golden failed: ${listed.error}`);
    add('getChildren2-request', 'node-zookeeper-client', request(2, listed.xid, 'getChildren2 request'), {
      header: { xid: listed.xid, type: Op.getChildren2 }, body: { path: '/golden', watch: false },
    });
    add('getChildren2-response', 'node-zookeeper-client', reply(2, listed.xid, 'getChildren2 reply'), {
      header: { xid: listed.xid, zxid: listed.zxid.toString(), err: Err.OK },
      body: { children: listed.results[0], stat: statOf(listed.results[1]) },
    });
    check(listed.results[0].length === 1 && listed.results[0][0] === 'eph-0000000000', `unexpected children ${listed.results[0]}`);

    const missing = await nodeClientCall(a, (cb) => a.exists('/golden/missing', cb));
    check(missing.err === Err.OK && missing.results[0] === null, 'exists /golden/missing found something');
    add('exists-request', 'node-zookeeper-client', request(2, missing.xid, 'exists request'), {
      header: { xid: missing.xid, type: Op.exists }, body: { path: '/golden/missing', watch: false },
    });
    add('exists-response-no-node', 'node-zookeeper-client', reply(2, missing.xid, 'exists reply'), {
      // ZooKeeper answers exists on a missing node with NO_NODE in the header and no body;
      // node-zookeeper-client turns that into a null stat.
      header: { xid: missing.xid, zxid: missing.zxid.toString(), err: Err.NO_NODE }, body: null,
    });

    // node-zookeeper-client's transaction turns version 0 into -1 (`version || -1`), so the
    // multi ops here use only versions it passes through unchanged.
    const multi = await nodeClientCall(a, (cb) =>
      a.transaction()
        .create('/golden/multi', Buffer.from('a'), zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT)
        .check('/golden', 1)
        .setData('/golden', Buffer.from('multi'), 1)
        .remove('/golden/multi', -1)
        .commit(cb),
    );
    check(multi.err === Err.OK, `multi failed: ${multi.error}`);
    const multiResults = multi.results[0];
    add('multi-request', 'node-zookeeper-client', request(2, multi.xid, 'multi request'), {
      header: { xid: multi.xid, type: Op.multi },
      body: {
        ops: [
          { type: Op.create, body: { path: '/golden/multi', data: Buffer.from('a').toString('hex'), acl: worldAnyoneAll, flags: 0 } },
          { type: Op.check, body: { path: '/golden', version: 1 } },
          { type: Op.setData, body: { path: '/golden', data: Buffer.from('multi').toString('hex'), version: 1 } },
          { type: Op.delete, body: { path: '/golden/multi', version: -1 } },
        ],
      },
    }, 'each op is framed by MultiHeader {type, done: false, err: -1}; the list ends with {-1, true, -1}');
    check(multiResults.map((r) => r.type).join() === [Op.create, Op.check, Op.setData, Op.delete].join(), 'unexpected multi result types');
    const multiSetStat = statOf(multiResults[2].stat);
    // All ops of a multi share the multi's zxid.
    check(multiSetStat.mzxid === multi.zxid.toString() && multiSetStat.version === 2, 'unexpected stat from the multi setData');
    add('multi-response', 'node-zookeeper-client', reply(2, multi.xid, 'multi reply'), {
      header: { xid: multi.xid, zxid: multi.zxid.toString(), err: Err.OK },
      body: {
        results: [
          { type: Op.create, err: Err.OK, body: { path: multiResults[0].path } },
          { type: Op.check, err: Err.OK, body: null },
          { type: Op.setData, err: Err.OK, body: { stat: multiSetStat } },
          { type: Op.delete, err: Err.OK, body: null },
        ],
      },
    }, 'each result is framed by MultiHeader {type, done: false, err}; the list ends with {-1, true, -1}; check and delete results have no body');

    const failedMulti = await nodeClientCall(a, (cb) =>
      a.transaction()
        .create('/golden/never', Buffer.from('x'), zookeeper.ACL.OPEN_ACL_UNSAFE, zookeeper.CreateMode.PERSISTENT)
        .check('/golden', 7)
        .setData('/golden', Buffer.from('never'), -1)
        .commit(cb),
    );
    check(failedMulti.err === Err.BAD_VERSION, `failing multi reported ${failedMulti.error}`);
    const failedResults = failedMulti.results[0];
    // node-zookeeper-client only decodes a multi body when the reply header's err is 0, so the
    // results it returned prove a failed multi still answers err 0 in its header.
    check(Array.isArray(failedResults) && failedResults.length === 3, 'failing multi returned no per-op results');
    add('multi-request-failing', 'node-zookeeper-client', request(2, failedMulti.xid, 'failing multi request'), {
      header: { xid: failedMulti.xid, type: Op.multi },
      body: {
        ops: [
          { type: Op.create, body: { path: '/golden/never', data: Buffer.from('x').toString('hex'), acl: worldAnyoneAll, flags: 0 } },
          { type: Op.check, body: { path: '/golden', version: 7 } },
          { type: Op.setData, body: { path: '/golden', data: Buffer.from('never').toString('hex'), version: -1 } },
        ],
      },
    });
    add('multi-response-failing', 'node-zookeeper-client', reply(2, failedMulti.xid, 'failing multi reply'), {
      header: { xid: failedMulti.xid, zxid: failedMulti.zxid.toString(), err: Err.OK },
      body: {
        // Every result of a failed multi is an error result: OK before the failing op, its code
        // for it, RUNTIME_INCONSISTENCY after; header err and body err carry the same code.
        results: failedResults.map((result) => ({ type: result.type, err: result.err, body: { err: result.err } })),
      },
    });
    check(failedResults.map((r) => `${r.type}:${r.err}`).join() === `-1:0,-1:${Err.BAD_VERSION},-1:${Err.RUNTIME_INCONSISTENCY}`, 'unexpected failing multi results');

    const removed = await nodeClientCall(a, (cb) => a.remove('/golden/eph-0000000000', 0, cb));
    check(removed.err === Err.OK, `delete failed: ${removed.error}`);
    add('delete-request', 'node-zookeeper-client', request(2, removed.xid, 'delete request'), {
      header: { xid: removed.xid, type: Op.delete }, body: { path: '/golden/eph-0000000000', version: 0 },
    });
    add('delete-response', 'node-zookeeper-client', reply(2, removed.xid, 'delete reply'), {
      header: { xid: removed.xid, zxid: removed.zxid.toString(), err: Err.OK }, body: null,
    });

    // node-zookeeper-client pings after a third of the session timeout without traffic. Only a
    // ping after the delete is answered with the zxid that srvr reports now.
    const deleteReply = reply(2, removed.xid, 'delete reply');
    const pingReply = await proxy.waitForFrame(
      (f) => f.connection === 2 && f.direction === 'server-to-client' && f.xid === -2 && f.ordinal > deleteReply.ordinal,
      'ping reply to client A',
    );
    const pingRequest = proxy.connections[2].frames.findLast((f) => f.direction === 'client-to-server' && f.xid === -2);
    const zxidAtPing = await lastZxid(server);
    add('ping-request', 'node-zookeeper-client', pingRequest, { header: { xid: -2, type: Op.ping }, body: null });
    add('ping-response', 'node-zookeeper-client', pingReply, {
      // Nothing was written since the delete, and pings are answered with the last processed zxid.
      header: { xid: -2, zxid: zxidAtPing.toString(), err: Err.OK }, body: null,
    });
    check(zxidAtPing === removed.zxid, 'the zxid moved between the delete and the ping');

    const closeXid = a.connectionManager.xid;
    clients.delete(a);
    a.close();
    const closeReply = await proxy.waitForFrame((f) => f.connection === 2 && f.direction === 'server-to-client' && f.xid === closeXid, 'closeSession reply');
    const closeZxid = await lastZxid(server);
    add('closeSession-request', 'node-zookeeper-client', request(2, closeXid, 'closeSession request'), {
      header: { xid: closeXid, type: Op.closeSession }, body: null,
    });
    add('closeSession-response', 'node-zookeeper-client', closeReply, {
      header: { xid: closeXid, zxid: closeZxid.toString(), err: Err.OK }, body: null,
    });
    check(closeZxid === removed.zxid + 1n, 'closeSession did not take the next zxid');
  } finally {
    for (const client of clients) client.close();
    await proxy.close();
    await zk.stop();
  }
  return fixtures;
}

const fixtures = await capture();
mkdirSync(dirname(fixturePath), { recursive: true });
writeFileSync(fixturePath, `${JSON.stringify(fixtures, null, 2)}\n`);
console.log(`wrote ${fixtures.length} golden frames to ${fixturePath}`);
