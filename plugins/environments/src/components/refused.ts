import { ResponseError } from '@backstage/errors';

/** A part of a page the policy does not let this person read, with the reason it gave. */
export type Refused = { refused: string };

/**
 * For a call whose 403 leaves the rest of the page useful (another team's run logs): the refusal
 * with the policy's reason (the app's fetch API adds it to the error's message); any other error
 * is thrown on.
 */
export function refused(error: unknown): Refused {
  if (error instanceof ResponseError && error.statusCode === 403) {
    const message: string = error.body?.error?.message ?? error.message;
    const reason = /Refused by policy \([^)]*\): ([^"]*)/.exec(message)?.[1];
    return { refused: reason ?? 'the policy does not allow you to read them' };
  }
  throw error;
}
