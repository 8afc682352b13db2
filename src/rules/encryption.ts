/**
 * ENC: end-to-end confidentiality towards a receiver. A receiver may register encryption keys
 * (src/registry/versleutelingssleutel.ts); the gateway then sends it berichten as JWE
 * (src/delivery/encrypt.ts), which the receiver decrypts before it verifies (src/delivery/decrypt.ts).
 * Optional: a receiver without keys receives `application/json` as before.
 */
import type { Rule } from './rule.js';

export const encryptionRules: readonly Rule[] = [
  {
    id: 'ENC-001',
    stage: 'registry',
    severity: 'error',
    code: 'security',
    sources: [
      { document: 'RFC 7518', section: '4.3, 4.6, 5.3' },
      { document: 'ADR', section: 'Encryption module' },
    ],
    text: 'An encryption key is a public JWK with use enc: RSA (at least 2048 bits) with alg RSA-OAEP-256, or EC P-256, P-384 or OKP X25519 with alg ECDH-ES; without private members, with kid its RFC 7638 thumbprint and a validity window (nbf, exp, revokedAt).',
  },
  {
    id: 'ENC-002',
    stage: 'registry',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Zicht', section: 'v1 "End-to-end encryption"' }],
    text: 'A participant with encryption keys receives through the Zicht API (a zicht-v1 or webhook address, or its postbus), not over the FHIR channel, which has no encrypted form.',
  },
  {
    id: 'ENC-003',
    stage: 'registry',
    severity: 'error',
    code: 'security',
    sources: [
      { document: 'RFC 7516', section: '3.1, 7.1' },
      { document: 'Zicht', section: 'v1 "End-to-end encryption"' },
    ],
    text: 'To a receiver with a current encryption key the gateway sends every body that carries berichten (push and postbus page) as a JWE compact serialization (application/jose) to the key valid last, enc A256GCM, with kid and cty application/json, whose plaintext is the JSON otherwise sent; once a key has been valid, a receiver without a current one gets nothing rather than plaintext.',
  },
  {
    id: 'ENC-004',
    stage: 'input',
    severity: 'error',
    code: 'security',
    sources: [
      { document: 'RFC 7516', section: '5.2' },
      { document: 'Zicht', section: 'v1 "End-to-end encryption"' },
    ],
    text: 'A receiver decrypts with the key the kid names, accepts only RSA-OAEP-256 or ECDH-ES with A256GCM and no other header members than alg, enc, kid, cty and epk (epk present with ECDH-ES and absent with RSA-OAEP-256), and then validates and verifies the plaintext as a plain bericht; what does not decrypt is refused with 400.',
  },
];
