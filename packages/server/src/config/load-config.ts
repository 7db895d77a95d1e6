import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError, parseZooConfig, type ZooConfig } from './zoo-cfg.js';

/** A parsed zoo.cfg plus this server's id from `dataDir/myid`. */
export interface ServerConfig extends ZooConfig {
  /** This server's id; 0 for a standalone configuration without `server.N` lines. */
  myid: number;
  /** The file the configuration came from. */
  configPath: string;
}

/** Reads zoo.cfg and, for an ensemble, `myid` in its dataDir. Relative dirs resolve against the config file. */
export async function loadServerConfig(configPath: string): Promise<ServerConfig> {
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read configuration ${configPath}: ${(error as Error).message}`);
  }
  const config = parseZooConfig(text);
  const base = dirname(resolve(configPath));
  const absolute = (dir: string | undefined) => (dir === undefined || isAbsolute(dir) ? dir : join(base, dir));
  config.dataDir = absolute(config.dataDir);
  config.dataLogDir = absolute(config.dataLogDir);
  let myid = 0;
  if (config.servers.length > 0) {
    if (config.dataDir === undefined) throw new ConfigError('dataDir is not set, and an ensemble needs dataDir/myid');
    const myidPath = join(config.dataDir, 'myid');
    let myidText: string;
    try {
      myidText = await readFile(myidPath, 'utf8');
    } catch {
      throw new ConfigError(`${myidPath} file is missing: write this server's id (one of ${config.servers.map((s) => s.id).join(', ')}) into it`);
    }
    myid = Number(myidText.trim());
    if (!Number.isInteger(myid) || myid < 0) throw new ConfigError(`${myidPath} must hold a server id, got "${myidText.trim()}"`);
    if (!config.servers.some((server) => server.id === myid)) {
      throw new ConfigError(`myid ${myid} is not among the servers in ${configPath} (${config.servers.map((s) => `server.${s.id}`).join(', ')})`);
    }
  }
  return { ...config, myid, configPath };
}
