/**
 * CFG: rules of a gateway's own configuration and operation (issue 19): the registry and configuration files
 * it starts from (docs/configuration.md) and how it answers while its database is unavailable. A refusal at
 * start names the entry, the field and one of these rules; a 503 carries CFG-010.
 */
import type { Rule } from './rule.js';

export const configurationRules: readonly Rule[] = [
  {
    id: 'CFG-001',
    stage: 'gateway',
    severity: 'error',
    code: 'structure',
    sources: [{ document: 'Zicht', section: 'docs/configuration.md "Registry file"' }],
    text: 'Every entry of a registry file matches the participant schema, and a region profile it names (profiel) is one published in spec/v1/profiles; a refusal names the entry (its index and OIN), the field and what is wrong with it.',
  },
  {
    id: 'CFG-002',
    stage: 'gateway',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Zicht', section: 'docs/configuration.md "Registry file"' }],
    text: "The registry holds the gateway itself: an active participant with role gateway whose OIN is the signing key's, with that key (its kid and public key) among its keys.",
  },
  {
    id: 'CFG-003',
    stage: 'gateway',
    severity: 'error',
    code: 'structure',
    sources: [{ document: 'Zicht', section: 'docs/configuration.md "Configuration file"' }],
    text: 'A configuration file (zicht.json) matches its schema: no unknown members, every number in range; flags given on the command line override its values.',
  },
  {
    id: 'CFG-004',
    stage: 'gateway',
    severity: 'error',
    code: 'security',
    sources: [{ document: 'Zicht', section: 'docs/configuration.md "Private endpoints"' }],
    text: 'A delivery endpoint at a loopback, private or link-local address (or named localhost) is refused at start unless the gateway runs with --allow-private-endpoints (allowPrivateEndpoints: true in the configuration file).',
  },
  {
    id: 'CFG-005',
    stage: 'gateway',
    severity: 'error',
    code: 'required',
    sources: [{ document: 'Zicht', section: 'docs/configuration.md "Configuration file"' }],
    text: 'Every file the configuration names (signing key, log key, keyring, registry, retention policy) exists and is readable at start; a relative path is relative to the configuration file\'s folder.',
  },
  {
    id: 'CFG-010',
    stage: 'gateway',
    severity: 'error',
    code: 'throttled',
    sources: [{ document: 'Zicht', section: 'v1 "Exchange over HTTP"' }],
    text: 'While the gateway\'s database is unavailable (connections refused or terminated, locked by another process past the timeout, read-only, full), a request that needs it is answered 503 with Retry-After and nothing is stored: never 202 without storage, never 500; the sender sends the same bericht again later.',
  },
  {
    id: 'CFG-020',
    stage: 'gateway',
    severity: 'error',
    code: 'security',
    sources: [{ document: 'Zicht', section: 'v1 "Exchange over HTTP"; docs/operations.md "Storage faults"' }],
    text: 'A bearer token\'s jti is accepted once until the token expires, by every gateway process on one database. A write (any method but GET and HEAD) is answered only after its jti is recorded in the database; when it cannot be, the answer is 503 (CFG-010) and the token stays unused. A read (GET, HEAD) is refused as a replay when this process or the database knows its jti, but waits at most 250 ms for the database to record it: while the database cannot (another process holds SQLite\'s write lock, it is read-only or full), the read is answered on this process\'s own record and the database record follows when the database takes it. In that interval a replay of the read\'s token at another process on the same database is not detected; one found afterwards is logged.',
  },
];
