import { DEMO_PROFILES, demoHistories, demoHistory } from './demoHistory';

const deploymentIds = (history: { body: any }[]) =>
  history
    .filter(d => d.body.deployment)
    .map(d => d.body.deployment.id as number);

describe('demoHistories', () => {
  const now = new Date('2026-11-30T12:00:00Z');

  it("gives every repository's deployments ids of their own, as GitHub does", () => {
    const histories = demoHistories(DEMO_PROFILES, now);
    const ids = histories.map(h => new Set(deploymentIds(h)));
    for (const set of ids) expect(set.size).toBeGreaterThan(0);
    const all = ids.flatMap(set => [...set]);
    expect(new Set(all).size).toBe(all.length);
  });

  it('keeps each history as demoHistory makes it, but for the deployment ids', () => {
    const [, second] = demoHistories(DEMO_PROFILES.slice(0, 2), now);
    const alone = demoHistory(DEMO_PROFILES[1], now);
    expect(second.map(d => d.event)).toEqual(alone.map(d => d.event));
    expect(deploymentIds(second).length).toBe(deploymentIds(alone).length);
    expect(deploymentIds(second)[0]).not.toBe(deploymentIds(alone)[0]);
  });
});
