// A separate process that owns an ephemeral node and never closes its session: the test kills
// it with SIGKILL, so the session can only end by expiring on the server.
// Usage: node ephemeral-owner.cjs <connectString> <path> <sessionTimeoutMs>
'use strict';
const zookeeper = require('node-zookeeper-client');

const [connectString, path, timeout] = process.argv.slice(2);
const client = zookeeper.createClient(connectString, { sessionTimeout: Number(timeout), retries: 0 });
client.once('connected', () => {
  client.create(path, Buffer.from('owned'), zookeeper.CreateMode.EPHEMERAL, (error) => {
    if (error) {
      process.stdout.write(`error ${error.message}\n`);
      process.exit(1);
    }
    const sessionId = client.getSessionId().toString('hex');
    process.stdout.write(`ready ${sessionId} ${client.getSessionTimeout()}\n`);
  });
});
client.connect();
