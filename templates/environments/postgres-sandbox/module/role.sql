-- Creates the login role :name with the password in the environment variable PORTAL_ROLE_PASSWORD
-- and the connection limit :limit, or, when the role exists (a run killed before its state was
-- saved), sets them on it (it is adopted). The password never appears in argv: \getenv reads it,
-- format(%L) quotes it, \gexec runs the statement without echoing it. VERBOSITY terse keeps a
-- failing statement's text out of the error output.
\set VERBOSITY terse
\set SHOW_CONTEXT never
\getenv password PORTAL_ROLE_PASSWORD
\if :{?password}
SELECT format(
         CASE WHEN EXISTS (SELECT FROM pg_roles WHERE rolname = :'name')
              THEN 'ALTER ROLE %I LOGIN PASSWORD %L CONNECTION LIMIT %s'
              ELSE 'CREATE ROLE %I LOGIN PASSWORD %L CONNECTION LIMIT %s' END,
         :'name', :'password', (:'limit')::int)\gexec
\else
DO $$BEGIN RAISE EXCEPTION 'PORTAL_ROLE_PASSWORD is not set'; END$$;
\endif
