import { DependencyList, useEffect, useState } from 'react';

export interface Loaded<T> {
  value?: T;
  error?: Error;
  loading: boolean;
}

/** Runs a load when its dependencies change; a newer load wins over a slower older one. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: DependencyList,
): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ loading: true });
  useEffect(() => {
    let current = true;
    setState(s => ({ value: s.value, loading: true }));
    load().then(
      value => current && setState({ value, loading: false }),
      error => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}
