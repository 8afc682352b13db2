/**
 * Zicht's error classes. Every error has a stable `code` that callers and tests switch on; the
 * message is for people and never carries personal data from a bericht.
 */

/** Every error code Zicht raises, listed once. */
export const ERROR_CODES = {
  ZICHT_USAGE: 'The command line is not understood.',
  ZICHT_IO: 'A file could not be read or written.',
  ZICHT_LISTEN: 'The server cannot listen on the address given: the port is in use, the address is not this machine\'s, or the port needs privileges.',
  ZICHT_CANONICAL_INVALID: 'The value has no RFC 8785 canonical form (NaN or Infinity, a lone surrogate, a cycle, a non-JSON value or nesting too deep).',
  ZICHT_SIGNATURE_BERICHT_INVALID: 'The value is not a bericht envelope that can be signed or verified.',
  ZICHT_SIGNATURE_MISSING: 'The bericht carries no signature (or no countersignature where one is required).',
  ZICHT_SIGNATURE_ALREADY_SIGNED: 'The bericht already carries a sender signature.',
  ZICHT_SIGNATURE_TOO_MANY: 'The bericht carries more signatures than allowed.',
  ZICHT_SIGNATURE_MALFORMED: 'A signature is not a well-formed detached JWS (RFC 7515 general serialisation).',
  ZICHT_SIGNATURE_HEADER_TOO_LARGE: 'A JWS protected header is larger than allowed.',
  ZICHT_SIGNATURE_HEADER_DUPLICATE_MEMBER: 'A JWS protected header (or a bearer token\'s header or claims) names a member twice (RFC 7515 §4, RFC 7519 §4): refused, never resolved.',
  ZICHT_SIGNATURE_IAT_FUTURE: "The signature's iat lies further ahead of the judging moment than the allowed clock skew (5 minutes by default).",
  ZICHT_SIGNATURE_IAT_STALE: "The signature's iat lies further before the judging moment than the oldest acceptable signature (7 days by default).",
  ZICHT_SIGNATURE_HEADER_INVALID: 'A JWS protected header lacks a required member or has a wrong value (typ, kid, iat, oin, rcv, crit).',
  ZICHT_SIGNATURE_ALG_NONE: 'The JWS algorithm is "none": unsigned berichten are refused.',
  ZICHT_SIGNATURE_ALG_NOT_ALLOWED: 'The JWS algorithm is not one of ES256, PS256, EdDSA.',
  ZICHT_SIGNATURE_ALG_KEY_MISMATCH: 'The JWS algorithm does not fit the key the kid names.',
  ZICHT_SIGNATURE_CRIT_UNKNOWN: 'The JWS crit header names a header parameter Zicht does not understand.',
  ZICHT_SIGNATURE_OIN_MISMATCH: "The signer's OIN differs from the bericht's sender (verzender.oin).",
  ZICHT_SIGNATURE_SIGNER_ROLE: 'The countersignature is not made by a participant with the gateway role.',
  ZICHT_SIGNATURE_NOT_CANONICAL: 'The signature was made over a non-canonical form of the bericht, not its RFC 8785 form.',
  ZICHT_SIGNATURE_INVALID: 'The signature does not match the canonical bericht: the content was changed or the signature is wrong.',
  ZICHT_KEY_UNKNOWN: 'No key with this kid is known for the signer.',
  ZICHT_KEY_INVALID: 'The key is not a usable public or private key of a supported type (EC P-256, RSA >= 2048 bits, OKP Ed25519).',
  ZICHT_KEY_NOT_YET_VALID: 'The key was not yet valid at the judging moment (before its nbf): the receipt by the gateway, the countersignature, or the verifier\'s now.',
  ZICHT_KEY_EXPIRED: 'The key had expired at the judging moment (at or after its exp): the receipt by the gateway, the countersignature, or the verifier\'s now.',
  ZICHT_KEY_REVOKED: 'The key was revoked at the judging moment (at or after its revokedAt): the receipt by the gateway, the countersignature, or the verifier\'s now.',
  ZICHT_JSON_DUPLICATE_MEMBER: 'A JSON object names a member twice (RFC 8259 §4, RFC 7493 §2.3; names compared after unescaping): refused, never resolved.',
  ZICHT_JSON_INVALID: 'The text is not one JSON value in UTF-8 (RFC 8259).',
  ZICHT_ENCRYPTION_MALFORMED: 'The body is not a JWE compact serialization (RFC 7516 §7.1) whose protected header holds only alg, enc, kid, cty (and epk for ECDH-ES).',
  ZICHT_ENCRYPTION_ALG_NOT_ALLOWED: 'The JWE uses another key management algorithm than RSA-OAEP-256 or ECDH-ES, or another content encryption than A256GCM.',
  ZICHT_ENCRYPTION_KEY_UNKNOWN: 'The JWE names (kid) no encryption key the receiver holds, or one of another algorithm.',
  ZICHT_ENCRYPTION_DECRYPT_FAILED: 'The JWE does not decrypt under the key its kid names: it was changed, or encrypted to another key.',
  ZICHT_CONFIG_INVALID: 'The configuration file (zicht.json) or a file it names does not match its schema, cannot be read, or refuses a participant (CFG-001..CFG-005; docs/configuration.md).',
  ZICHT_REGISTRY_INVALID: 'The participant registry (or one participant in it) does not match its schema.',
  ZICHT_REGISTRY_CONFLICT: 'The participant registry already holds this OIN or key, or lacks the one named.',
  ZICHT_AUTH_MISSING: 'The request carries neither a client certificate nor a bearer token of a participant.',
  ZICHT_AUTH_TOKEN_INVALID: 'The bearer token is not a JWT signed with a registered key of its issuer, for this gateway, valid now and at most 5 minutes long.',
  ZICHT_AUTH_TOKEN_REPLAYED: 'The bearer token (its jti) was used before.',
  ZICHT_AUTH_UNKNOWN_PARTICIPANT: 'The caller is not an active participant of the registry.',
  ZICHT_STORE_UNAVAILABLE: 'The database cannot be reached, is closed, or is busy; try again later.',
  ZICHT_STORE_CONFLICT: 'The database already holds a record with this key (a bericht with this berichtId, or a delivery to this receiver).',
  ZICHT_STORE_NOT_FOUND: 'A record the operation refers to does not exist (e.g. a delivery or event for an unknown bericht).',
  ZICHT_STORE_INVALID: 'A value given to the store does not match its schema.',
  ZICHT_STORE_ABSENT: "There is no Zicht database at the location given: the SQLite file does not exist, or the database holds no Zicht schema. Only 'zicht serve' and 'zicht init' create one.",
  ZICHT_STORE_URL_INVALID: 'The database URL is not a file path, a file: URL or a postgres:// URL.',
  ZICHT_STORE_MIGRATION: 'The database schema cannot be migrated: it is newer than this version of Zicht knows, or a migration failed.',
  ZICHT_STORE_MISUSE: 'The store was used wrongly: a store method called inside its own transaction callback, a transaction handle used after its end or after a failed statement.',
  ZICHT_STORE_FAILED: 'The database refused the operation for an unexpected reason.',
  ZICHT_STORE_KEY_INVALID: 'The keyring of key-encryption keys (KEKs) cannot be read or does not match its format.',
  ZICHT_STORE_KEY_MISSING: 'A payload is encrypted at rest under a key-encryption key (KEK) the configured keyring does not hold, or no keyring is configured.',
  ZICHT_STORE_DECRYPT_FAILED: 'An encrypted payload or its wrapped data key does not open under its key: tampered with, moved to another row, or the wrong KEK.',
  ZICHT_CLIENT_REFUSED: 'The gateway refused the request (4xx); its issues name the rules broken. Sending it again unchanged will not help.',
  ZICHT_CLIENT_UNAVAILABLE: 'The gateway (or its key directory) did not answer, or answered 5xx, after every retry; try again later.',
  ZICHT_PROFIEL_INVALID: 'A region profile does not match its schema, or its file name differs from its id.',
  ZICHT_PROFIEL_UNKNOWN: 'No region profile with this id is published.',
  ZICHT_AUDIT_HASH_INVALID: 'A Merkle tree hash is not 32 bytes (RFC 9162 uses SHA-256).',
  ZICHT_AUDIT_RANGE_INVALID: 'A leaf index or tree size is out of range (index at or past the size, a size beyond 2^64 - 1, a first size of 0 or past the second).',
  ZICHT_AUDIT_PROOF_INVALID: 'An inclusion or consistency proof does not verify (RFC 9162 section 2.1.3 / 2.1.4).',
  ZICHT_AUDIT_KEY_INVALID: 'A signed-note key is not a well-formed Ed25519 verifier or signer key (C2SP signed-note).',
  ZICHT_AUDIT_NOTE_MALFORMED: 'The signed note is not well-formed (C2SP signed-note: UTF-8, no control characters, text, blank line, signature lines).',
  ZICHT_AUDIT_NOTE_UNVERIFIED: 'The signed note carries no signature by a trusted key.',
  ZICHT_AUDIT_SIGNATURE_INVALID: 'A signature of the signed note by a trusted key does not verify.',
  ZICHT_AUDIT_CHECKPOINT_MALFORMED: 'The checkpoint body is not well-formed (C2SP tlog-checkpoint: origin, decimal size, base64 32-byte root, non-empty extension lines).',
  ZICHT_AUDIT_ORIGIN_MISMATCH: 'The checkpoint is for another log (its origin differs from the one expected).',
  ZICHT_AUDIT_NO_TRUST_ANCHOR:
    'LOG-001: nothing was verified: no trust anchor from outside the bundle. Give the log\'s verifier key (--key, obtained from the gateway\'s operator out of band, or a key file pinned earlier with --pin FILE), or opt in to trust on first use (--pin FILE --trust-on-first-use) to pin the key now.',
  ZICHT_AUDIT_COSIGNATURE_INVALID: 'A witness cosignature is not a valid C2SP cosignature/v1 (Ed25519, timestamp below 2^63) by the witness key named.',
  ZICHT_AUDIT_PROMISE_INVALID: 'LOG-005: the inclusion promise is not a zicht-inclusion-promise/v1 note signed by the log key (origin, leaf hash, received-at, maximum merge delay).',
  ZICHT_AUDIT_PIN_INVALID: 'LOG-001: the pin file does not hold one signed-note verifier key (name+keyid+base64).',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Base class of every error Zicht raises on purpose. */
export class ZichtError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string = ERROR_CODES[code], options?: ErrorOptions) {
    super(message, options);
    this.name = 'ZichtError';
    this.code = code;
  }
}

/** The command line is wrong: unknown command or option, missing argument. Exit code 2. */
export class UsageError extends ZichtError {
  constructor(message: string) {
    super('ZICHT_USAGE', message);
    this.name = 'UsageError';
  }
}

/** A file could not be read or written. Exit code 2. */
export class IoError extends ZichtError {
  constructor(message: string, options?: ErrorOptions) {
    super('ZICHT_IO', message, options);
    this.name = 'IoError';
  }
}

/** A server could not listen on its address (a port in use, an address not this machine's). Exit code 2. */
export class ListenError extends ZichtError {
  /** The system's code, e.g. `EADDRINUSE`. */
  readonly systemCode: string | undefined;

  constructor(message: string, systemCode: string | undefined) {
    super('ZICHT_LISTEN', message);
    this.name = 'ListenError';
    this.systemCode = systemCode;
  }
}

/** The gateway's configuration is refused at start; the message names the file, the member and the rule (CFG-…). */
export class ConfigError extends ZichtError {
  /** The rule broken, e.g. `CFG-003`. */
  readonly rule: string;

  constructor(message: string, rule: string) {
    super('ZICHT_CONFIG_INVALID', `${message} (${rule})`);
    this.name = 'ConfigError';
    this.rule = rule;
  }
}

/** Codes of {@link CanonicalError}. */
export type CanonicalErrorCode = Extract<ErrorCode, `ZICHT_CANONICAL_${string}`>;
/** Codes of {@link SignatureError}. */
export type SignatureErrorCode = Extract<ErrorCode, `ZICHT_SIGNATURE_${string}`>;
/** Codes of {@link KeyError}. */
export type KeyErrorCode = Extract<ErrorCode, `ZICHT_KEY_${string}`>;
/** Codes of {@link EncryptionError}. */
export type EncryptionErrorCode = Extract<ErrorCode, `ZICHT_ENCRYPTION_${string}`>;
/** Codes of {@link RegistryError}. */
export type RegistryErrorCode = Extract<ErrorCode, `ZICHT_REGISTRY_${string}`>;

/** A value has no RFC 8785 canonical form, so it cannot be signed or verified. */
export class CanonicalError extends ZichtError {
  declare readonly code: CanonicalErrorCode;

  constructor(code: CanonicalErrorCode, message: string = ERROR_CODES[code], options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'CanonicalError';
  }
}

/**
 * Signing or verification refused a bericht's signature. `index` is the position in `signatures`
 * when one signature is at fault. The message never carries values from the bericht.
 */
export class SignatureError extends ZichtError {
  declare readonly code: SignatureErrorCode;
  readonly index: number | undefined;

  constructor(code: SignatureErrorCode, options: ErrorOptions & { index?: number; message?: string } = {}) {
    super(code, withIndex(options.message ?? ERROR_CODES[code], options.index), options);
    this.name = 'SignatureError';
    this.index = options.index;
  }
}

/** A key is unknown, unusable, or not valid at the time that matters. */
export class KeyError extends ZichtError {
  declare readonly code: KeyErrorCode;
  readonly index: number | undefined;

  constructor(code: KeyErrorCode, options: ErrorOptions & { index?: number; message?: string } = {}) {
    super(code, withIndex(options.message ?? ERROR_CODES[code], options.index), options);
    this.name = 'KeyError';
    this.index = options.index;
  }
}

/** A receiver could not read a JWE the gateway sent it (ENC-004). The message never carries the JWE or its plaintext. */
export class EncryptionError extends ZichtError {
  declare readonly code: EncryptionErrorCode;

  constructor(code: EncryptionErrorCode, options?: ErrorOptions) {
    super(code, ERROR_CODES[code], options);
    this.name = 'EncryptionError';
  }
}

/** The participant registry refused an input or an update. */
export class RegistryError extends ZichtError {
  declare readonly code: RegistryErrorCode;
  /** The rule of the standard the refused entry breaks (e.g. ENC-001), when it is one. */
  readonly rule: string | undefined;

  constructor(code: RegistryErrorCode, message: string = ERROR_CODES[code], options?: ErrorOptions & { rule?: string }) {
    super(code, message, options);
    this.name = 'RegistryError';
    this.rule = options?.rule;
  }
}

/** Codes of {@link StoreError}. */
export type StoreErrorCode = Extract<ErrorCode, `ZICHT_STORE_${string}`>;

/**
 * The gateway's store refused or could not perform an operation. The message never carries SQL or values
 * from a bericht; `driverCode` is the database driver's own error code (a SQLSTATE such as `23505`, a
 * SQLite code such as `SQLITE_BUSY`, or a socket code such as `ECONNREFUSED`) when there is one.
 */
export class StoreError extends ZichtError {
  declare readonly code: StoreErrorCode;
  readonly driverCode: string | undefined;

  constructor(code: StoreErrorCode, options: { message?: string; driverCode?: string } = {}) {
    super(code, options.message ?? ERROR_CODES[code]);
    this.name = 'StoreError';
    this.driverCode = options.driverCode;
  }
}

/** The database cannot be reached, is closed or stays busy: the HTTP layer answers `503`. Code `ZICHT_STORE_UNAVAILABLE`. */
export class StoreUnavailableError extends StoreError {
  declare readonly code: 'ZICHT_STORE_UNAVAILABLE';

  constructor(options: { message?: string; driverCode?: string } = {}) {
    super('ZICHT_STORE_UNAVAILABLE', options);
    this.name = 'StoreUnavailableError';
  }
}

/** Whether an error is (or was caused by, up to 8 causes down) the database being unavailable: CFG-010, a 503. */
export function isStoreUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e instanceof StoreUnavailableError) return true;
  }
  return false;
}

/** A unique key is taken (the same berichtId, or a second delivery to one receiver): nothing was written. Code `ZICHT_STORE_CONFLICT`. */
export class StoreConflictError extends StoreError {
  declare readonly code: 'ZICHT_STORE_CONFLICT';

  constructor(options: { message?: string; driverCode?: string } = {}) {
    super('ZICHT_STORE_CONFLICT', options);
    this.name = 'StoreConflictError';
  }
}

function withIndex(message: string, index: number | undefined): string {
  return index === undefined ? message : `signatures[${index}]: ${message}`;
}

export type AuthErrorCode = Extract<ErrorCode, `ZICHT_AUTH_${string}`>;

/** The caller could not be authenticated as an active participant: the HTTP layer answers `401`. */
export class AuthError extends ZichtError {
  declare readonly code: AuthErrorCode;

  constructor(code: AuthErrorCode, options?: ErrorOptions) {
    super(code, ERROR_CODES[code], options);
    this.name = 'AuthError';
  }
}

/** Codes of {@link JsonError}. */
export type JsonErrorCode = Extract<ErrorCode, `ZICHT_JSON_${string}`>;

const SAFE_NAME = /^[A-Za-z_$][A-Za-z0-9_$-]{0,63}$/;
const DIGIT_RUN = /\d{5}/;

/**
 * A JSONPath in dot notation (`$.inhoud.directbetrokkenen[0].bsn`); a member name that could carry data
 * (anything but a plain identifier without a run of digits) is shown as `['?']`.
 */
export function formatJsonPath(segments: readonly (string | number)[]): string {
  let out = '$';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (SAFE_NAME.test(segment) && !DIGIT_RUN.test(segment)) out += `.${segment}`;
    else out += "['?']";
  }
  return out;
}

/**
 * A JSON text was refused by the strict reader (src/json/strict-json.ts). `path` leads to the repeated
 * member name (the name last); the message shows it with data-like names masked, and never the text.
 */
export class JsonError extends ZichtError {
  declare readonly code: JsonErrorCode;
  readonly path: readonly (string | number)[];

  constructor(code: JsonErrorCode, path: readonly (string | number)[] = []) {
    super(code, code === 'ZICHT_JSON_DUPLICATE_MEMBER' ? `${ERROR_CODES[code]} At ${formatJsonPath(path)} (BER-017).` : ERROR_CODES[code]);
    this.name = 'JsonError';
    this.path = path;
  }
}

/** Codes of {@link ProfielError}. */
export type ProfielErrorCode = Extract<ErrorCode, `ZICHT_PROFIEL_${string}`>;

/** A region profile (spec/v1/profiles/) is missing or invalid. */
export class ProfielError extends ZichtError {
  declare readonly code: ProfielErrorCode;

  constructor(code: ProfielErrorCode, message?: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'ProfielError';
  }
}

/** Codes of {@link AuditError}. */
export type AuditErrorCode = Extract<ErrorCode, `ZICHT_AUDIT_${string}`>;

/** A Merkle proof, signed note or checkpoint of the audit log was refused. The message never carries log content. */
export class AuditError extends ZichtError {
  declare readonly code: AuditErrorCode;

  constructor(code: AuditErrorCode, message: string = ERROR_CODES[code]) {
    super(code, message);
    this.name = 'AuditError';
  }
}

/** Codes of {@link ClientError}. */
export type ClientErrorCode = Extract<ErrorCode, `ZICHT_CLIENT_${string}`>;

/** One issue of a gateway's problem+json answer: a rule id and a JSON path, never content. */
export interface ClientIssue {
  readonly rule: string;
  readonly path: string;
  readonly message: string;
}

/** What the gateway answered to a refused request (status 0: no answer). */
export interface ClientProblem {
  readonly status: number;
  readonly title: string;
  readonly issues: readonly ClientIssue[];
}

/** A call of the client library (src/client/) was refused by the gateway or got no usable answer. */
export class ClientError extends ZichtError {
  declare readonly code: ClientErrorCode;
  readonly problem: ClientProblem;

  constructor(code: ClientErrorCode, problem: ClientProblem, options?: ErrorOptions) {
    const rules = problem.issues.map((i) => i.rule);
    super(code, `${ERROR_CODES[code]} (${problem.status === 0 ? 'no answer' : `HTTP ${problem.status}`}${rules.length > 0 ? `: ${[...new Set(rules)].join(', ')}` : ''})`, options);
    this.name = 'ClientError';
    this.problem = problem;
  }
}
