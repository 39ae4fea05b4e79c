import { useApi } from '@backstage/core-plugin-api';
import Typography from '@mui/material/Typography';
import { doraApiRef } from '../api/DoraApi';
import { useLoad } from '../hooks/useLoad';

/** Which benchmark the levels follow, with its description when the backend lists it. */
export function BenchmarkCaption(props: { benchmark: string }) {
  const api = useApi(doraApiRef);
  const list = useLoad(() => api.getBenchmarks(), [api]);
  const description = list.value?.items.find(
    b => b.name === props.benchmark,
  )?.description;
  return (
    <Typography variant="caption" color="text.secondary">
      Levels follow the {props.benchmark} benchmark
      {description ? `: ${description}` : ''}.
    </Typography>
  );
}
