/**
 * BER-030, BER-031: rules of a request to the gateway's HTTP API itself rather than of a bericht: the form of its
 * path and query parameters, and who may call. They are in the catalogue so that these refusals cite a rule id
 * and a path like every other finding (spec/v1/README.md §7).
 */
import type { Rule } from './rule.js';

export const requestRules: readonly Rule[] = [
  {
    id: 'BER-030',
    stage: 'gateway',
    severity: 'error',
    code: 'value',
    sources: [
      { document: 'ADR', section: '/core/error-handling/invalid-input' },
      { document: 'RFC 9110', section: '15.5.1' },
    ],
    text: "A request's path and query parameters have the form openapi.json gives them (an OIN of 20 digits, a berichtId that is a UUID, a dossier reference, a page size of 1 to 1000, an instant not in the future, a log index within the log); otherwise the answer is 400 (never 404) with an issue whose path names the parameter as $.path.NAME or $.query.NAME.",
  },
  {
    id: 'BER-031',
    stage: 'gateway',
    severity: 'error',
    code: 'security',
    sources: [
      { document: 'RFC 6750', section: '3' },
      { document: 'Zicht', section: 'v1 "Exchange over HTTP"' },
    ],
    text: "Every operation that is not public is called by an active participant, with its client certificate or a bearer token signed with one of its registered keys for the gateway's OIN, at most 5 minutes valid and never used before; otherwise the answer is 401 with WWW-Authenticate: Bearer and an issue whose code says why (ZICHT_AUTH_MISSING, ZICHT_AUTH_TOKEN_INVALID, ZICHT_AUTH_TOKEN_REPLAYED, ZICHT_AUTH_UNKNOWN_PARTICIPANT).",
  },
];
