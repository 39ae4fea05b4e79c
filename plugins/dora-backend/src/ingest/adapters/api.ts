import { apiEventSchema, normalizeApi } from '../api';
import { SourceAdapter } from './types';

/** The JSON API (POST /events, service credentials): stored after validation, validated again here. */
export const apiAdapter: SourceAdapter = {
  normalize(d) {
    const parsed = apiEventSchema.safeParse(d.body);
    if (!parsed.success)
      throw new Error(
        `stored JSON API event no longer valid: ${parsed.error.issues[0]?.message}`,
      );
    return normalizeApi(parsed.data);
  },
};
