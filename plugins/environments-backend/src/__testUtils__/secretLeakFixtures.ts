/*
 * Test-only: what secretLeak.test.ts runs with: a root logger that keeps every line, and the
 * careless blueprint postgres-leaky (with the guardrails that offer it). Imported by *.test.ts
 * files alone.
 */
import {
  coreServices,
  createServiceFactory,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, REPO_BLUEPRINTS } from './tofuFixtures';

/** A root logger that keeps every line, as JSON with its metadata, in `logged`. */
class CapturingLogger implements RootLoggerService {
  constructor(
    private readonly logged: string[],
    private readonly meta: Record<string, unknown> = {},
  ) {}
  private log(level: string, message: string, meta?: unknown) {
    this.logged.push(
      JSON.stringify(
        { level, message, meta: { ...this.meta, ...(meta as object) } },
        (_, v) =>
          v instanceof Error ? { message: v.message, stack: v.stack } : v,
      ),
    );
  }
  error(message: string, meta?: Error | object) {
    this.log('error', message, meta);
  }
  warn(message: string, meta?: Error | object) {
    this.log('warn', message, meta);
  }
  info(message: string, meta?: Error | object) {
    this.log('info', message, meta);
  }
  debug(message: string, meta?: Error | object) {
    this.log('debug', message, meta);
  }
  child(meta: object) {
    return new CapturingLogger(this.logged, { ...this.meta, ...meta });
  }
}
/**
 * A root logger for a test backend that keeps every line the backend logs (audit events included:
 * the auditor writes them through the logger), as JSON with its metadata.
 */
export function capturingRootLogger() {
  const logged: string[] = [];
  const feature = createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => new CapturingLogger(logged),
  });
  return { feature, logged };
}

/** The repository's blueprints plus postgres-leaky; the repository's policies plus its guardrails. */
export function leakFixtures(root: string) {
  const blueprints = path.join(root, 'blueprints');
  fs.cpSync(REPO_BLUEPRINTS, blueprints, {
    recursive: true,
  });
  const leaky = path.join(blueprints, 'postgres-leaky');
  fs.cpSync(path.join(blueprints, 'postgres-sandbox'), leaky, {
    recursive: true,
  });
  const yaml = path.join(leaky, 'blueprint.yaml');
  fs.writeFileSync(
    yaml,
    fs
      .readFileSync(yaml, 'utf8')
      .replace('name: postgres-sandbox', 'name: postgres-leaky'),
  );
  // After the role and database exist: print the role's password, the admin password and the
  // admin URL (rebuilt from libpq's variables), on stdout and stderr, and fail.
  fs.appendFileSync(
    path.join(leaky, 'module', 'main.tf'),
    `
resource "terraform_data" "careless" {
  depends_on = [terraform_data.database]
  provisioner "local-exec" {
    interpreter = ["node", "-e"]
    command     = <<-JS
      const e = process.env;
      console.log('role password ' + e.LEAKED + ' admin password ' + e.PGPASSWORD);
      console.error('admin url postgresql://' + e.PGUSER + ':' + e.PGPASSWORD + '@' + e.PGHOST + ':' + e.PGPORT + '/' + e.PGDATABASE + ' app ' + e.LEAKED_URL);
      process.exit(7);
    JS
    environment = {
      LEAKED     = nonsensitive(var.password)
      LEAKED_URL = nonsensitive("postgresql://\${local.name}:\${var.password}@\${var.pg_host}:\${var.pg_port}/\${local.name}")
    }
  }
}
`,
  );
  const policies = path.join(root, 'policies');
  fs.cpSync(path.join(REPO, 'policies'), policies, { recursive: true });
  const extra = path.join(policies, 'portal/guardrails/blueprints');
  fs.mkdirSync(extra, { recursive: true });
  const guardrail = {
    teams: ['*'],
    sizes: ['small'],
    max_ttl_hours: { developer: 168, 'platform-engineer': 720, admin: 720 },
    hard_max_ttl_hours: 720,
  };
  fs.writeFileSync(
    path.join(extra, 'data.json'),
    JSON.stringify({ 'postgres-leaky': guardrail }),
  );
  return { blueprints, policies };
}
