import fs from 'node:fs';
import path from 'node:path';
import { environmentsTestConfig } from './environmentsConfig';
import { exampleOrgFile } from './orgUserInfo';
import { repoRoot } from './repoRoot';

describe('repoRoot', () => {
  it('is the repository root, and the files the helpers read are in it', () => {
    expect(
      JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'))
        .workspaces,
    ).toEqual(['packages/*', 'plugins/*']);
    expect(fs.existsSync(exampleOrgFile)).toBe(true);
    const config = environmentsTestConfig('/tmp/work');
    expect(fs.existsSync(config.opa.local.policyDir)).toBe(true);
    expect(fs.existsSync(config.environments.blueprintsDir)).toBe(true);
  });
});
