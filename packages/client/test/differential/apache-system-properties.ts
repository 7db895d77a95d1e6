/**
 * Starts Apache ZooKeeper with extra JVM system properties. Some server settings are read
 * only from system properties that zoo.cfg cannot set (it prefixes unknown keys with
 * `zookeeper.`), e.g. ContainerManager's `znode.container.checkIntervalMs`; the JVM's
 * standard JAVA_TOOL_OPTIONS carries them, set for the launch only.
 * @module
 */
import { type ApacheZooKeeper, type ApacheZooKeeperOptions, startApacheZooKeeper } from '../../../../test-support/apache-zookeeper.js';

/** Launches one at a time, since each sets and restores the shared environment variable. */
let launching: Promise<unknown> = Promise.resolve();

/** Starts Apache ZooKeeper with `-Dkey=value` for each of `properties`. */
export function startApacheWithSystemProperties(properties: Readonly<Record<string, string | number>>, options: ApacheZooKeeperOptions = {}): Promise<ApacheZooKeeper> {
  const started = launching.then(
    () => launch(properties, options),
    () => launch(properties, options),
  );
  launching = started.catch(() => undefined);
  return started;
}

async function launch(properties: Readonly<Record<string, string | number>>, options: ApacheZooKeeperOptions): Promise<ApacheZooKeeper> {
  const saved = process.env.JAVA_TOOL_OPTIONS;
  const flags = Object.entries(properties).map(([key, value]) => `-D${key}=${value}`);
  process.env.JAVA_TOOL_OPTIONS = [saved ?? '', ...flags].join(' ').trim();
  try {
    return await startApacheZooKeeper(options);
  } finally {
    if (saved === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = saved;
  }
}
