/**
 * Maps between the client's view of paths and the server's when the client is rooted at a
 * chroot (`host:2181/app`). Without a chroot both directions are the identity.
 */
export class Chroot {
  /** @param root - the chroot path (validated, not `/`), or `undefined` for none. */
  constructor(readonly root: string | undefined) {}

  /** `ZooKeeper.prependChroot`: `/` maps to the chroot itself, anything else is appended to it. */
  toServer(clientPath: string): string {
    if (this.root === undefined) return clientPath;
    return clientPath === '/' ? this.root : this.root + clientPath;
  }

  /**
   * Strips the chroot from a server path (ClientCnxn's rule for event paths): the chroot itself
   * becomes `/`, longer paths lose the prefix, and a path too short to carry it is left alone.
   */
  toClient(serverPath: string): string {
    if (this.root === undefined) return serverPath;
    if (serverPath === this.root) return '/';
    if (serverPath.length > this.root.length) return serverPath.slice(this.root.length);
    return serverPath;
  }
}
