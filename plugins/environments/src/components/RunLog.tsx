import { useApi } from '@backstage/core-plugin-api';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useEffect, useRef, useState } from 'react';
import { environmentsApiRef, LogLine, Run } from '../api';

/** Log lines' colours by level; other levels keep the text colour. */
const LEVEL_COLORS: Record<string, string | undefined> = {
  error: 'error.light',
  warn: 'warning.light',
};

/** A run's log; while the run is going it polls for new lines and follows the end. */
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

  useEffect(() => {
    let alive = true;
    let after = 0;
    // Every stored page after the last line shown, then (while the run goes) again on the timer.
    let loading = false;
    const load = async () => {
      if (loading) return;
      loading = true;
      try {
        for (;;) {
          const page = await api
            .logs(environmentId, run.id, after)
            .catch(() => ({ items: [] as LogLine[], nextCursor: undefined }));
          if (!alive || page.items.length === 0) return;
          after = page.items[page.items.length - 1].seq;
          setLines(prev => [...prev, ...page.items]);
          if (!page.nextCursor) return;
        }
      } finally {
        loading = false;
      }
    };
    load();
    const timer = live ? setInterval(load, 1500) : undefined;
    return () => {
      alive = false;
      if (timer) clearInterval(timer);
    };
  }, [api, environmentId, run.id, live]);

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
