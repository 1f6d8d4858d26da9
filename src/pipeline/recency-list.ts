/** A node of a RecencyList; the list links its nodes through these two fields, so moving one allocates nothing. */
export interface RecencyNode {
  older: RecencyNode | undefined;
  newer: RecencyNode | undefined;
}

/**
 * Nodes from least to most recently used, with O(1) touch, append and removal: the router finds its idlest
 * channel (or its stalest waiting events) without a scan, and a message moves its channel with four writes.
 */
export class RecencyList<N extends RecencyNode> {
  private oldestNode: N | undefined;
  private newestNode: N | undefined;

  get oldest(): N | undefined {
    return this.oldestNode;
  }

  /** Adds a node that is in no list as the most recent. */
  append(node: N): void {
    node.older = this.newestNode;
    node.newer = undefined;
    if (this.newestNode !== undefined) this.newestNode.newer = node;
    else this.oldestNode = node;
    this.newestNode = node;
  }

  /** Makes a node of this list the most recent. */
  touch(node: N): void {
    if (node === this.newestNode) return;
    this.remove(node);
    this.append(node);
  }

  remove(node: N): void {
    if (node.older !== undefined) node.older.newer = node.newer;
    else this.oldestNode = node.newer as N | undefined;
    if (node.newer !== undefined) node.newer.older = node.older;
    else this.newestNode = node.older as N | undefined;
    node.older = undefined;
    node.newer = undefined;
  }
}
