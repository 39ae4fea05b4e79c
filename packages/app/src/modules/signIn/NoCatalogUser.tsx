import { Content, InfoCard, Page, Header } from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import { supportContacts } from './noCatalogUser';

/**
 * Shown to someone the identity provider knows but the catalog does not: what happened, and whom
 * to ask (app.support), never a blank app.
 */
export function NoCatalogUser(props: { message: string; onBack: () => void }) {
  const config = useApi(configApiRef);
  const items =
    config.getOptionalConfigArray('app.support.items')?.map(item => ({
      title: item.getOptionalString('title'),
      links: item.getOptionalConfigArray('links')?.map(l => ({
        url: l.getString('url'),
        title: l.getOptionalString('title'),
      })),
    })) ?? [];
  const contacts = supportContacts(items);
  return (
    <Page themeId="home">
      <Header title="Acme Developer Portal" />
      <Content>
        <InfoCard title="You are not in the portal's catalog yet">
          <Typography paragraph>
            You signed in with the company's identity provider, but the portal's
            catalog has no person for your account, so the portal cannot tell
            which teams you belong to.
          </Typography>
          <Typography paragraph variant="body2" role="status">
            {props.message}
          </Typography>
          <Typography paragraph>
            Ask the platform team to add you to the organisation in the catalog
            (catalog/org.yaml, or your company's directory), with the email of
            your account
            {contacts.length > 0 ? ': ' : '.'}
            {contacts.map((c, i) => (
              <span key={c.url}>
                {i > 0 && ', '}
                <Link href={c.url}>{c.title}</Link>
              </span>
            ))}
          </Typography>
          <Button variant="outlined" color="primary" onClick={props.onBack}>
            Back to sign-in
          </Button>
        </InfoCard>
      </Content>
    </Page>
  );
}
