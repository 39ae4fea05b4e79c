import { UrlReaderServiceReadTreeResponse } from '@backstage/backend-plugin-api';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** A tree of blueprints read from a URL, extracted into a folder of its own. */
export interface ExtractedTree {
  dir: string;
  /** The UrlReader's etag of the tree (for a git forge: the commit). */
  etag: string;
}

const MARKER = 'current.json';
const PREFIX = 'tree-';

/** Whether `dir` holds at least one `<name>/blueprint.yaml`. */
function holdsBlueprints(dir: string): boolean {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .some(
      e =>
        e.isDirectory() &&
        fs.existsSync(path.join(dir, e.name, 'blueprint.yaml')),
    );
}

/**
 * The trees of blueprints read from a URL, on disk under `root` (workDir/blueprints, which belongs
 * to one backend process: give each replica its own workDir). Each tree is extracted into a new
 * folder and never changed afterwards, so a run copying a module never sees half a tree; the
 * catalog switches to it only once it is complete. current.json names the tree in use (replaced by
 * a rename), so that a restart finds the last good tree even while the forge is down. The tree
 * before the current one stays (a run may still be copying from it); older ones are removed.
 */
export class BlueprintTrees {
  private current: string | undefined;
  private previous: string | undefined;

  constructor(private readonly root: string) {}

  /**
   * The tree current.json names, when it was read from `url` and is still on disk. Every other
   * tree under the root is removed (left by an earlier process).
   */
  async restore(url: string): Promise<ExtractedTree | undefined> {
    await fs.promises.mkdir(this.root, { recursive: true });
    let found: ExtractedTree | undefined;
    try {
      const marker = JSON.parse(
        await fs.promises.readFile(path.join(this.root, MARKER), 'utf8'),
      );
      const dir = path.join(this.root, path.basename(String(marker.folder)));
      if (
        marker.url === url &&
        typeof marker.etag === 'string' &&
        String(marker.folder).startsWith(PREFIX) &&
        fs.existsSync(dir)
      )
        found = { dir, etag: marker.etag };
    } catch {
      // no current.json (a first start) or an unreadable one: nothing to restore
    }
    this.current = found?.dir;
    await this.removeAllBut([found?.dir]);
    return found;
  }

  /**
   * Extracts `response` into a new folder and returns it; removes the folder again when that
   * fails or the tree holds no `<name>/blueprint.yaml` (a wrong folder in the URL, say).
   */
  async extract(response: UrlReaderServiceReadTreeResponse): Promise<string> {
    const name = `${PREFIX}${Date.now()}-${crypto
      .randomBytes(4)
      .toString('hex')}`;
    const dir = path.join(this.root, name);
    await fs.promises.mkdir(dir, { recursive: true });
    try {
      await response.dir({ targetDir: dir });
      if (!holdsBlueprints(dir))
        throw new Error('the tree holds no <name>/blueprint.yaml');
      return dir;
    } catch (e) {
      await fs.promises.rm(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /** Records `tree`, read from `url`, as the one in use; removes the trees before the one it replaces. */
  async commit(url: string, tree: ExtractedTree): Promise<void> {
    const marker = path.join(this.root, MARKER);
    const written = `${marker}.${process.pid}.tmp`;
    const folder = path.basename(tree.dir);
    await fs.promises.writeFile(
      written,
      JSON.stringify({ url, etag: tree.etag, folder }),
    );
    await fs.promises.rename(written, marker);
    this.previous = this.current;
    this.current = tree.dir;
    await this.removeAllBut([this.current, this.previous]);
  }

  /** The trees on disk, oldest first. */
  list(): string[] {
    if (!fs.existsSync(this.root)) return [];
    return fs
      .readdirSync(this.root, { withFileTypes: true })
      .filter(e => e.isDirectory() && e.name.startsWith(PREFIX))
      .map(e => path.join(this.root, e.name))
      .sort();
  }

  private async removeAllBut(keep: (string | undefined)[]): Promise<void> {
    for (const dir of this.list())
      if (!keep.includes(dir))
        await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
