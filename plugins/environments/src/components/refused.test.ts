import { ResponseError } from '@backstage/errors';
import { refused } from './refused';

const response = (status: number, message: string) =>
  ResponseError.fromResponse(
    new Response(
      JSON.stringify({ error: { name: 'NotAllowedError', message } }),
      { status, headers: { 'content-type': 'application/json' } },
    ) as any,
  );

describe('refused', () => {
  it("gives a 403's policy reason", async () => {
    const error = await response(
      403,
      "Forbidden. Refused by policy (environments.environment.logs.read): an environment's runs and logs are read only by its owning team and the platform team",
    );
    expect(refused(error)).toEqual({
      refused:
        "an environment's runs and logs are read only by its owning team and the platform team",
    });
  });

  it('says the policy refused when the 403 has no reason', async () => {
    expect(refused(await response(403, 'Forbidden'))).toEqual({
      refused: 'the policy does not allow you to read them',
    });
  });

  it('throws any other error on', async () => {
    const error = await response(500, 'database is down');
    expect(() => refused(error)).toThrow(error);
    expect(() => refused(new Error('network'))).toThrow('network');
  });
});
