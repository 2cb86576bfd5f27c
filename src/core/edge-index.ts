/**
 * The incoming edges of a graph kept as columns (an edge is its index in the columns), packed
 * into two typed arrays: what the attack graph and the RBAC escalation graph search backwards
 * from their targets. An array per vertex costs tens of bytes each on graphs of hundreds of
 * thousands of edges.
 */

/** Incoming edges of vertex `v`: `edges[start[v] .. start[v + 1])`. */
export interface IncomingEdges {
  readonly start: Int32Array;
  readonly edges: Int32Array;
}

/**
 * Indexes edges by their target, each target's edges in edge order (a stable counting sort).
 * `to[e]` is edge e's target, below `vertices`.
 *
 * @example
 * const { start, edges } = incomingEdges([1, 0, 1], 2);
 * // vertex 1: edges.subarray(start[1], start[2]) is [0, 2]
 */
export function incomingEdges(to: ArrayLike<number>, vertices: number): IncomingEdges {
  const count = to.length;
  const start = new Int32Array(vertices + 1);
  for (let e = 0; e < count; e++) {
    const t = to[e] as number;
    start[t + 1] = (start[t + 1] as number) + 1;
  }
  for (let v = 0; v < vertices; v++) start[v + 1] = (start[v + 1] as number) + (start[v] as number);
  const fill = start.slice(0, vertices);
  const edges = new Int32Array(count);
  for (let e = 0; e < count; e++) {
    const t = to[e] as number;
    const at = fill[t] as number;
    fill[t] = at + 1;
    edges[at] = e;
  }
  return { start, edges };
}
