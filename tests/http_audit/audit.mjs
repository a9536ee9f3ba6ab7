// Runs graphql-http's serverAudits (GraphQL over HTTP) against a running server.
//
// Usage: node audit.mjs http://127.0.0.1:PORT/graphql
// Prints one JSON line per audit ({id, name, status, reason}); exits 1 when an audit this
// server promises fails: every MUST and SHOULD, and the MAY audits on non-object
// {variables} (476x) and {extensions} (58Bx), which must answer 400.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <url of /graphql>');
  process.exit(2);
}

const required = (audit) =>
  audit.name.startsWith('MUST') ||
  audit.name.startsWith('SHOULD') ||
  /^(476|58B)\d$/.test(audit.id);

let failed = 0;
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  const mustPass = required(audit);
  if (mustPass && result.status !== 'ok') failed += 1;
  console.log(JSON.stringify({
    id: audit.id,
    name: audit.name,
    status: result.status,
    required: mustPass,
    reason: result.status === 'ok' ? undefined : String(result.reason),
  }));
}
process.exit(failed ? 1 : 0);
