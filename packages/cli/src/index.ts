/**
 * `@zkts/cli`: the `zk` shell (zkCli.sh's commands and output formats) and the `zk-server`
 * command (start a server from a zoo.cfg, ask one for its mode). The binaries are thin
 * wrappers over these functions, which take their streams as arguments so they can be
 * embedded and tested.
 * @module
 */
export { runZk, type ZkIo } from './shell/main.js';
export { runZkServer, type ZkServerIo } from './server/server-main.js';
export { sendFourLetterWord } from './server/four-letter-word.js';
