import { DependencyList, useCallback, useEffect, useState } from 'react';

export interface Loaded<T> {
  value?: T;
  error?: Error;
  loading: boolean;
  retry: () => void;
}

/** Runs a load when its dependencies change; a newer load wins over a slower older one. */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: DependencyList,
): Loaded<T> {
  const [state, setState] = useState<{
    value?: T;
    error?: Error;
    loading: boolean;
  }>({ loading: true });
  const [attempt, setAttempt] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);

  useEffect(() => {
    let current = true;
    setState(s => ({ value: s.value, loading: true }));
    run().then(
      value => current && setState({ value, loading: false }),
      error => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [run, attempt]);

  return { ...state, retry: () => setAttempt(a => a + 1) };
}
