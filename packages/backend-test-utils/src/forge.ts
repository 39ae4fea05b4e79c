import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from './repoRoot';

/** A repository a test made in the acme organisation; delete() it afterwards. */
export interface TestRepository {
  name: string;
  /**
   * A folder on main as the forge shows it, the form Backstage's UrlReader reads:
   * `<baseUrl>/acme/<name>/src/branch/main/<folder>`. `baseUrl` defaults to the forge's (a
   * forgeRelay's, for a forge that goes down).
   */
  folderUrl(folder?: string, baseUrl?: string): string;
  /** Commits `files` (path in the repository → text) to main in one commit, adding or replacing each. */
  commit(files: Record<string, string>, message?: string): Promise<void>;
  /** Deletes the repository (again: no error). */
  delete(): Promise<void>;
}

/** The local Gitea, as portal-admin. */
export interface TestForge {
  baseUrl: string;
  token: string;
  /**
   * `integrations` config for the forge at `baseUrl` (default: the forge; a forgeRelay's for one
   * that goes down), as app-config.yaml has it: portal-admin with the token.
   */
  integrations(baseUrl?: string): {
    gitea: {
      host: string;
      baseUrl: string;
      username: string;
      password: string;
    }[];
  };
  /** A new repository in acme, initialised (a README on main), named `<prefix>-<random>`. */
  createRepository(prefix: string): Promise<TestRepository>;
  /**
   * Gitea's REST API as portal-admin: `route` under /api/v1, a JSON body; answers the parsed JSON
   * (undefined for 204, and for a DELETE of something already gone). Throws on any other failure.
   */
  call(method: string, route: string, body?: object): Promise<any>;
}

/**
 * The local Gitea for tests of what reads from or writes to git: the real forge that scripts/test
 * starts and provisions (scripts/lib/gitea.sh: the acme organisation, the portal-admin token, in
 * GITEA_TOKEN or .data/gitea/portal-token). Throws, saying how to start it, when
 * PORTAL_TEST_GITEA_URL is not set.
 */
export function testForge(): TestForge {
  const baseUrl = process.env.PORTAL_TEST_GITEA_URL;
  if (!baseUrl)
    throw new Error(
      'these tests need the local Gitea: run scripts/test, or `source scripts/lib/setup.sh && source scripts/lib/gitea.sh && start_gitea && provision_gitea` and set PORTAL_TEST_GITEA_URL=http://localhost:3300',
    );
  const tokenFile =
    process.env.PORTAL_TEST_GITEA_TOKEN_FILE ??
    path.join(repoRoot, '.data/gitea/portal-token');
  const token =
    process.env.GITEA_TOKEN ?? fs.readFileSync(tokenFile, 'utf8').trim();

  const api = async (method: string, route: string, body?: object) => {
    const res = await fetch(`${baseUrl}/api/v1${route}`, {
      method,
      headers: {
        Authorization: `token ${token}`,
        'Content-Type': 'application/json',
      },
      body: body && JSON.stringify(body),
    });
    if (!res.ok && !(method === 'DELETE' && res.status === 404))
      throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
    const text = await res.text();
    return res.ok && text ? JSON.parse(text) : undefined;
  };

  return {
    baseUrl,
    token,
    call: api,
    integrations: (url = baseUrl) => ({
      gitea: [
        {
          host: new URL(url).host,
          baseUrl: url,
          username: 'portal-admin',
          password: token,
        },
      ],
    }),
    async createRepository(prefix) {
      const name = `${prefix}-${crypto.randomBytes(4).toString('hex')}`;
      await api('POST', '/orgs/acme/repos', {
        name,
        auto_init: true,
        default_branch: 'main',
        private: true,
      });
      return {
        name,
        folderUrl: (folder = '', at = baseUrl) =>
          `${at}/acme/${name}/src/branch/main/${folder}`,
        commit: (files, message = `add ${Object.keys(files).join(', ')}`) =>
          api('POST', `/repos/acme/${name}/contents`, {
            branch: 'main',
            message,
            files: Object.entries(files).map(([file, text]) => ({
              operation: 'upload',
              path: file,
              content: Buffer.from(text).toString('base64'),
            })),
          }),
        delete: () => api('DELETE', `/repos/acme/${name}`),
      };
    },
  };
}

/** The files under a local folder, as `<prefix>/<relative path>` → text (for TestRepository.commit). */
export function folderFiles(
  dir: string,
  prefix: string,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const from = path.join(dir, entry.name);
    const to = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) Object.assign(files, folderFiles(from, to));
    else if (entry.isFile()) files[to] = fs.readFileSync(from, 'utf8');
  }
  return files;
}

/**
 * A TCP relay to the forge on a free port, for a forge that goes down: close() stops listening and
 * drops the open connections, after which nothing listens on the port.
 */
export async function forgeRelay(baseUrl: string) {
  const target = new URL(baseUrl);
  const sockets = new Set<net.Socket>();
  const server = net.createServer(client => {
    const upstream = net.connect(Number(target.port || 80), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>(r => {
        server.close(() => r());
        sockets.forEach(s => s.destroy());
      }),
  };
}
