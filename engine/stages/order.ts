/**
 * Restores order: items leave sorted by `key` (0, 1, 2, ... without gaps), held back until
 * their predecessors have passed. The buffer holds at most the items overtaken by a slower one,
 * which the engine's admission window bounds.
 */
import { Observable, type OperatorFunction } from 'rxjs';

export function inOrder<T>(key: (item: T) => number): OperatorFunction<T, T> {
  return (source) =>
    new Observable<T>((sub) => {
      const held = new Map<number, T>();
      let next = 0;
      const subscription = source.subscribe({
        next(item) {
          const k = key(item);
          if (k < next || held.has(k)) {
            sub.error(new Error(`engine: item ${k} arrived twice (internal ordering error)`));
            return;
          }
          held.set(k, item);
          while (held.has(next)) {
            const out = held.get(next)!;
            held.delete(next);
            next++;
            sub.next(out);
          }
        },
        error(err) {
          sub.error(err);
        },
        complete() {
          if (held.size > 0) {
            sub.error(new Error(`engine: stream ended with ${held.size} results waiting for item ${next} (internal ordering error)`));
            return;
          }
          sub.complete();
        },
      });
      return () => subscription.unsubscribe();
    });
}
