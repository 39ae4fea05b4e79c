import { noCatalogUserMessage, supportContacts } from './noCatalogUser';

describe('noCatalogUserMessage', () => {
  it("finds the backend's refusal in the sign-in page's forwarded error", () => {
    const cause = new Error(
      'NotFoundError: No User in the catalog for zoe <zoe@acme.example>: the catalog has no User with that email or name',
    );
    const forwarded = Object.assign(new Error('Login failed'), { cause });
    expect(noCatalogUserMessage(forwarded)).toBe(
      'No User in the catalog for zoe <zoe@acme.example>: the catalog has no User with that email or name',
    );
  });

  it('leaves any other error alone', () => {
    expect(noCatalogUserMessage(new Error('Login failed'))).toBeUndefined();
    expect(noCatalogUserMessage(undefined)).toBeUndefined();
  });
});

describe('supportContacts', () => {
  it("lists app.support's first group of links, titled by their URL when untitled", () => {
    expect(
      supportContacts([
        {
          title: 'Platform team',
          links: [
            {
              url: 'mailto:platform@acme.example',
              title: 'platform@acme.example',
            },
            { url: 'https://chat.acme.example/platform' },
          ],
        },
      ]),
    ).toEqual([
      { url: 'mailto:platform@acme.example', title: 'platform@acme.example' },
      {
        url: 'https://chat.acme.example/platform',
        title: 'https://chat.acme.example/platform',
      },
    ]);
    expect(supportContacts([])).toEqual([]);
  });
});
