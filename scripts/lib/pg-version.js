// Prints the server version of the PostgreSQL at the URL given (exit 1 if it does not answer).
const { Client } = require('pg');

const client = new Client({
  connectionString: process.argv[2],
  connectionTimeoutMillis: 5000,
});
client
  .connect()
  .then(() => client.query('show server_version'))
  .then(r => {
    console.log(r.rows[0].server_version.split(' ')[0]);
    return client.end();
  })
  .catch(e => {
    console.error(e.message);
    process.exit(1);
  });
