/*
 * Test-only: the careless blueprint postgres-leaky, as in
 * plugins/environments-backend/src/__testUtils__/secretLeakFixtures.ts (whose test helpers this
 * package cannot import: that package exports only its index). A copy of the repository's
 * blueprints plus postgres-leaky, postgres-sandbox with a step that fails after the role and its
 * database exist and prints the role's password, the admin password and the admin URL; a copy of
 * the repository's policies plus the guardrail that offers it. The step also writes the role's
 * name and password to a file of the test's own, so the test knows the password of a create that
 * never had outputs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { repo } from './backend';

export function leakyFixtures(root: string) {
  const blueprints = path.join(root, 'blueprints');
  fs.cpSync(path.join(repo, 'templates/environments'), blueprints, {
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
  const leakedFile = path.join(root, 'leaked.json');
  fs.appendFileSync(
    path.join(leaky, 'module', 'main.tf'),
    `
resource "terraform_data" "careless" {
  depends_on = [terraform_data.database]
  provisioner "local-exec" {
    interpreter = ["node", "-e"]
    command     = <<-JS
      const e = process.env;
      require('fs').writeFileSync(e.LEAKED_FILE, JSON.stringify({ role: e.LEAKED_ROLE, password: e.LEAKED }));
      console.log('role password ' + e.LEAKED + ' admin password ' + e.PGPASSWORD);
      console.error('admin url postgresql://' + e.PGUSER + ':' + e.PGPASSWORD + '@' + e.PGHOST + ':' + e.PGPORT + '/' + e.PGDATABASE + ' app ' + e.LEAKED_URL);
      process.exit(7);
    JS
    environment = {
      LEAKED      = nonsensitive(var.password)
      LEAKED_URL  = nonsensitive("postgresql://\${local.name}:\${var.password}@\${var.pg_host}:\${var.pg_port}/\${local.name}")
      LEAKED_ROLE = local.name
      LEAKED_FILE = ${JSON.stringify(leakedFile)}
    }
  }
}
`,
  );
  const policies = path.join(root, 'policies');
  fs.cpSync(path.join(repo, 'policies'), policies, { recursive: true });
  const extra = path.join(policies, 'portal/guardrails/blueprints');
  fs.mkdirSync(extra, { recursive: true });
  fs.writeFileSync(
    path.join(extra, 'data.json'),
    JSON.stringify({
      'postgres-leaky': {
        teams: ['*'],
        sizes: ['small'],
        max_ttl_hours: { developer: 168, 'platform-engineer': 720, admin: 720 },
        hard_max_ttl_hours: 720,
      },
    }),
  );
  /** What the failing step wrote: the role's name and its password. */
  const leaked = (): { role: string; password: string } =>
    JSON.parse(fs.readFileSync(leakedFile, 'utf8'));
  return { blueprints, policies, leaked };
}
