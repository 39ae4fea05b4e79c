/** A refusal (or a condition that may refuse) the policy gave a person, kept briefly. */
export interface Refusal {
  at: number;
  permission: string;
  /** A read (another team's run logs, say): a page shows it as the reason a part is missing. */
  read: boolean;
  result: 'deny' | 'conditional';
  reasons: string[];
}

/**
 * The policy's recent refusals per person, so that the UI can show the policy's own reasons when
 * an action or a read it asked for comes back 403 (the plugin that refused only says "not
 * allowed"). Kept for `windowMs`, at most `perUser` a person (a page asks many questions at once).
 */
export class RecentRefusals {
  private readonly byUser = new Map<string, Refusal[]>();

  constructor(
    private readonly options: { windowMs: number; perUser: number } = {
      windowMs: 15_000,
      perUser: 50,
    },
    private readonly now: () => number = Date.now,
  ) {}

  record(userEntityRef: string, refusal: Omit<Refusal, 'at'>): void {
    const list = this.fresh(userEntityRef);
    list.unshift({ ...refusal, at: this.now() });
    list.length = Math.min(list.length, this.options.perUser);
    this.byUser.set(userEntityRef, list);
  }

  /** The person's refusals in the window, newest first. */
  list(userEntityRef: string): Refusal[] {
    const list = this.fresh(userEntityRef);
    if (list.length === 0) this.byUser.delete(userEntityRef);
    return list;
  }

  private fresh(userEntityRef: string): Refusal[] {
    const cutoff = this.now() - this.options.windowMs;
    return (this.byUser.get(userEntityRef) ?? []).filter(r => r.at >= cutoff);
  }
}
