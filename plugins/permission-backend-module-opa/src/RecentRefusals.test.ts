import { RecentRefusals } from './RecentRefusals';

describe('RecentRefusals', () => {
  let now = 0;
  const store = () =>
    new RecentRefusals({ windowMs: 1000, perUser: 2 }, () => now);
  const refusal = (permission: string) => ({
    permission,
    read: false,
    result: 'deny' as const,
    reasons: ['no'],
  });

  it('keeps a person’s refusals newest first, within the window and the bound', () => {
    const s = store();
    s.record('user:default/a', refusal('one'));
    now = 10;
    s.record('user:default/a', refusal('two'));
    s.record('user:default/a', refusal('three'));
    s.record('user:default/b', refusal('theirs'));
    expect(s.list('user:default/a').map(r => r.permission)).toEqual([
      'three',
      'two',
    ]);
    now = 1011;
    expect(s.list('user:default/a')).toEqual([]);
    expect(s.list('user:default/b')).toEqual([]);
  });
});
