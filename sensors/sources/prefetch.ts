/**
 * Read-ahead: starts `load` for up to `depth` items before the consumer asks for them, so file
 * reads and image validation (sharp runs on libuv's thread pool) overlap with the consumer's
 * work. Results come out in input order. `load` should not reject; wrap failures in its result.
 */
export async function* prefetched<T, R>(items: Iterable<T>, load: (item: T) => Promise<R>, depth = 4): AsyncGenerator<R> {
  const queue: Promise<R>[] = [];
  const it = items[Symbol.iterator]();
  const fill = (): void => {
    while (queue.length < depth) {
      const next = it.next();
      if (next.done) return;
      queue.push(load(next.value));
    }
  };
  fill();
  while (queue.length > 0) {
    const head = queue.shift()!;
    fill();
    yield await head;
  }
}
