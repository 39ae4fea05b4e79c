/*
 * Test-only user info: each user's ownership refs are the user and the groups it is a member of
 * in the example organisation (catalog/org.yaml), which is what the portal's sign-in resolver puts
 * in a real user's token. (startTestBackend's default gives every user only its own ref.)
 */
/* eslint-disable @backstage/no-undeclared-imports */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './repoRoot';

export const exampleOrgFile = path.join(repoRoot, 'catalog/org.yaml');

export function exampleMemberships(): Map<string, string[]> {
  const docs = parseAllDocuments(fs.readFileSync(exampleOrgFile, 'utf8')).map(
    d => d.toJS(),
  );
  const members = new Map<string, string[]>();
  for (const doc of docs) {
    if (doc?.kind !== 'User') continue;
    const ref = `user:default/${doc.metadata.name}`;
    members.set(ref, [
      ref,
      ...(doc.spec.memberOf ?? []).map((g: string) => `group:default/${g}`),
    ]);
  }
  return members;
}

/**
 * User info whose ownership refs come from `memberships` (user ref -> the user and its groups),
 * read when the backend starts: a generated organisation's, say (the scale benchmarks).
 */
export const userInfoFactoryFrom = (memberships: () => Map<string, string[]>) =>
  createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory() {
      const members = memberships();
      return {
        async getUserInfo(credentials) {
          const principal = credentials.principal as {
            type: string;
            userEntityRef?: string;
          };
          if (principal.type !== 'user' || !principal.userEntityRef) {
            throw new Error('Only user credentials are supported');
          }
          return {
            userEntityRef: principal.userEntityRef,
            ownershipEntityRefs: members.get(principal.userEntityRef) ?? [
              principal.userEntityRef,
            ],
          };
        },
      };
    },
  });

/** User info for the example organisation (catalog/org.yaml). */
export const orgUserInfoFactory = userInfoFactoryFrom(exampleMemberships);
