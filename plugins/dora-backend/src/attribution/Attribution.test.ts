import { Entity } from '@backstage/catalog-model';
import { ComponentIndex, slugFromSourceLocation } from './Attribution';

const component = (
  name: string,
  owner: string | undefined,
  annotations: Record<string, string> = {},
  namespace = 'default',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace, annotations },
  spec: {
    type: 'service',
    lifecycle: 'production',
    ...(owner ? { owner } : {}),
  },
});

describe('slugFromSourceLocation', () => {
  it.each([
    [
      'url:https://github.com/acme/payments-api/tree/main/',
      'acme/payments-api',
    ],
    [
      'url:https://github.com/Acme/Payments-API/blob/main/catalog-info.yaml',
      'acme/payments-api',
    ],
    [
      'url:https://gitlab.example/platform/tools/ui-kit/-/tree/main/',
      'platform/tools/ui-kit',
    ],
    ['url:https://bitbucket.example/acme/ledger/src/main/', 'acme/ledger'],
    // a Gitea or Forgejo repository, as the node-service template writes it
    [
      'url:http://localhost:3000/Platform/Node-Hello/src/branch/main/',
      'platform/node-hello',
    ],
    ['url:https://github.com/acme/search.git', 'acme/search'],
    ['url:https://github.com/acme/search/', 'acme/search'],
  ])('%s -> %s', (location, slug) => {
    expect(slugFromSourceLocation(location)).toBe(slug);
  });

  it('gives nothing for a location that is not a URL', () => {
    expect(slugFromSourceLocation('file:/srv/repos/payments')).toBeUndefined();
  });
});

describe('ComponentIndex', () => {
  const index = new ComponentIndex([
    component('payments-api', 'payments', {
      'github.com/project-slug': 'Acme/Payments-API',
    }),
    component('ui-kit', 'group:default/storefront', {
      'gitlab.com/project-slug': 'platform/tools/ui-kit',
    }),
    component('ledger', 'payments', {
      'backstage.io/source-location':
        'url:https://github.com/acme/ledger-service/tree/main/',
    }),
    component('node-hello', 'platform', {
      'gitea.com/project-slug': 'Platform/Node-Hello',
    }),
    component('checkout-web', 'storefront', {
      'portal.acme.example/service-name': 'checkout',
    }),
    component('billing', 'finance', {}, 'finance'),
    component('orphan', undefined, {
      'github.com/project-slug': 'acme/orphan',
    }),
    // a project slug wins over another component's source location for the same repository
    component('docs-site', 'platform', {
      'backstage.io/source-location':
        'url:https://github.com/acme/payments-api/tree/main/docs',
    }),
  ]);

  it('maps a repository through github.com/project-slug, case-insensitively, with the owning team', () => {
    expect(index.resolve({ repo: 'acme/payments-api' })).toEqual({
      subject: 'component:default/payments-api',
      componentRef: 'component:default/payments-api',
      teamRef: 'group:default/payments',
    });
  });

  it('maps a repository through gitlab.com/project-slug', () => {
    expect(index.resolve({ repo: 'platform/tools/ui-kit' })).toMatchObject({
      componentRef: 'component:default/ui-kit',
      teamRef: 'group:default/storefront',
    });
  });

  it('maps a repository through gitea.com/project-slug (Gitea and Forgejo), case-insensitively', () => {
    expect(index.resolve({ repo: 'platform/node-hello' })).toEqual({
      subject: 'component:default/node-hello',
      componentRef: 'component:default/node-hello',
      teamRef: 'group:default/platform',
    });
  });

  it('maps a repository through backstage.io/source-location when no slug annotation names it', () => {
    expect(index.resolve({ repo: 'acme/ledger-service' })).toMatchObject({
      componentRef: 'component:default/ledger',
      teamRef: 'group:default/payments',
    });
  });

  it('maps a service name through the component name or the service-name annotation', () => {
    expect(index.resolve({ service: 'checkout' })).toMatchObject({
      componentRef: 'component:default/checkout-web',
      teamRef: 'group:default/storefront',
    });
    expect(index.resolve({ service: 'Checkout-Web' })).toMatchObject({
      componentRef: 'component:default/checkout-web',
    });
  });

  it('takes an explicit component ref first, and resolves the owner in the component namespace', () => {
    expect(
      index.resolve({
        component: 'component:finance/billing',
        repo: 'acme/payments-api',
      }),
    ).toEqual({
      subject: 'component:finance/billing',
      componentRef: 'component:finance/billing',
      teamRef: 'group:finance/finance',
    });
  });

  it('falls back from an unknown repository to the service name', () => {
    expect(
      index.resolve({ repo: 'acme/unknown', service: 'ledger' }),
    ).toMatchObject({ componentRef: 'component:default/ledger' });
  });

  it('keeps what it cannot attribute under a subject that says what the event named, with no team', () => {
    expect(index.resolve({ repo: 'Acme/Unknown' })).toEqual({
      subject: 'repo:acme/unknown',
    });
    expect(index.resolve({ service: 'Ghost' })).toEqual({
      subject: 'service:ghost',
    });
    expect(index.resolve({ component: 'component:default/gone' })).toEqual({
      subject: 'component:default/gone',
    });
    expect(index.resolve({})).toEqual({ subject: 'service:unknown' });
  });

  it('attributes a component without an owner, with no team', () => {
    expect(index.resolve({ repo: 'acme/orphan' })).toEqual({
      subject: 'component:default/orphan',
      componentRef: 'component:default/orphan',
      teamRef: undefined,
    });
  });
});
