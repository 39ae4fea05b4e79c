import { useApi } from '@backstage/core-plugin-api';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useCallback, useEffect, useRef, useState } from 'react';
import { environmentsApiRef, LogLine, Run } from '../api';
import { useLiveReload } from './useLiveReload';

/** Log lines' colours by level; other levels keep the text colour. */
const LEVEL_COLORS: Record<string, string | undefined> = {
  error: 'error.light',
  warn: 'warning.light',
};

/**
 * A run's log, following the end while the run goes: it loads the lines after the last one shown
 * when a signal tells of new lines or of a change of the run's state (without the signals plugin:
 * every 1.5 seconds while the run goes), and once more when the run ends.
 */
export function RunLog({
  environmentId,
  run,
}: {
  environmentId: string;
  run: Run;
}) {
  const api = useApi(environmentsApiRef);
  const [lines, setLines] = useState<LogLine[]>([]);
  const end = useRef<HTMLDivElement>(null);
  const live = run.state === 'queued' || run.state === 'running';

  // The last line shown, across reloads: a load only asks for, and adds, the lines after it.
  const after = useRef(0);
  const mounted = useRef(true);
  const loading = useRef<Promise<void>>();
  useEffect(() => {
    mounted.current = true;
    after.current = 0;
    setLines([]);
    return () => {
      mounted.current = false;
    };
  }, [environmentId, run.id]);

  // Every stored page after the last line shown; one load at a time.
  const load = useCallback(() => {
    const next = (loading.current ?? Promise.resolve()).then(async () => {
      for (;;) {
        const page = await api
          .logs(environmentId, run.id, after.current)
          .catch(() => ({ items: [] as LogLine[], nextCursor: undefined }));
        const items = page.items.filter(l => l.seq > after.current);
        if (!mounted.current || items.length === 0) return;
        after.current = items[items.length - 1].seq;
        setLines(prev => [...prev, ...items]);
        if (!page.nextCursor) return;
      }
    });
    loading.current = next;
    return next;
  }, [api, environmentId, run.id]);

  // At first, and when the run ends (its last lines).
  useEffect(() => {
    load();
  }, [load, live]);

  useLiveReload({
    reload: load,
    matches: signal => 'runId' in signal && signal.runId === run.id,
    pollMs: 1500,
    poll: live,
    live,
  });

  useEffect(() => {
    if (live) end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [lines, live]);

  return (
    <Box
      component="pre"
      aria-label={`Log of the ${run.kind} run`}
      sx={{
        bgcolor: 'grey.900',
        color: 'grey.100',
        p: 1.5,
        maxHeight: 360,
        overflow: 'auto',
        fontSize: 12,
        whiteSpace: 'pre-wrap',
      }}
    >
      {lines.length === 0 && (
        <Typography variant="caption">
          {live ? 'Waiting for output…' : 'No output.'}
        </Typography>
      )}
      {lines.map(l => (
        <Box
          key={l.seq}
          component="span"
          sx={{
            display: 'block',
            color: LEVEL_COLORS[l.level],
          }}
        >
          {l.message}
        </Box>
      ))}
      <div ref={end} />
    </Box>
  );
}
