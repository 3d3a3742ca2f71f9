/** Spreads requests and websocket connections over several upstream URLs in turn. */
export function roundRobin(targets: readonly string[]): () => string {
  let next = 0;
  return () => {
    const target = targets[next % targets.length] as string;
    next += 1;
    return target;
  };
}
