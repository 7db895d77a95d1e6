#!/usr/bin/env node
// Makes a fresh clone ready with nothing but Node and npm: installs the pnpm
// workspace (pnpm itself is fetched through npx) and, unless --deps-only is
// given, Debian's Apache ZooKeeper packages that the interop tests start.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const depsOnly = process.argv.includes('--deps-only');
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

function run(command, args, options = {}) {
  execFileSync(command, args, { cwd: root, stdio: 'inherit', ...options });
}

function installFingerprint() {
  const hash = createHash('sha256');
  for (const file of ['pnpm-lock.yaml', 'package.json', 'pnpm-workspace.yaml']) {
    const path = join(root, file);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  return hash.digest('hex');
}

function ensureNodeDependencies() {
  const stampPath = join(root, 'node_modules', '.zkts-install-stamp');
  const fingerprint = installFingerprint();
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === fingerprint) return;
  const frozen = existsSync(join(root, 'pnpm-lock.yaml')) ? ['--frozen-lockfile'] : [];
  console.log(`[setup] installing workspace dependencies with pnpm ${pnpmVersion}`);
  run('npx', ['--yes', `pnpm@${pnpmVersion}`, 'install', ...frozen], {
    env: { ...process.env, npm_config_yes: 'true', CI: process.env.CI ?? 'true' },
  });
  writeFileSync(stampPath, fingerprint);
}

export const zookeeperHome = '/usr/share/zookeeper';

function ensureApacheZooKeeper() {
  if (existsSync(join(zookeeperHome, 'bin', 'zkServer.sh')) && existsSync('/usr/share/java/zookeeper.jar')) return;
  if (process.getuid?.() !== 0) {
    console.error('[setup] Apache ZooKeeper is missing and this user cannot apt-get install it; run: sudo apt-get install -y zookeeper zookeeper-bin');
    return;
  }
  console.log('[setup] installing Apache ZooKeeper 3.8 from Debian (zookeeper, zookeeper-bin)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    run('apt-get', ['update', '-qq'], { env });
    run('apt-get', ['install', '-y', '-qq', 'zookeeper', 'zookeeper-bin'], { env });
  } catch (error) {
    // The interop tests fail loudly on their own when ZooKeeper is absent.
    console.error(`[setup] could not install Apache ZooKeeper: ${error.message}`);
  }
}

ensureNodeDependencies();
if (!depsOnly) ensureApacheZooKeeper();
