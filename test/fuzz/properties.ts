/**
 * The hostile-input properties (issue 11), shared by the CI-sized run in properties.test.ts and the long
 * run of `npm run fuzz` (scripts/fuzz.ts): whatever comes in, the validator, the canonicaliser, JWS
 * verification and the HTTP API never crash, never answer with anything but their documented errors,
 * and never echo a value they were given.
 *
 * "Echo" is checked with canaries: strings planted in the input that appear nowhere in the spec's
 * vocabulary, and the example persons' names and BSNs. A leak of either into an issue, a problem body or
 * an error message fails the property.
 */
import fc from 'fast-check';
import { createApp } from '../../src/http/app.js';
import { memoryReplayGuard } from '../../src/http/auth.js';
import { tokenBucket } from '../../src/http/rate-limit.js';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoNetwork } from '../../src/demo/network.js';
import { decryptBody, generateEncryptionKey } from '../../src/delivery/decrypt.js';
import { encryptBody } from '../../src/delivery/encrypt.js';
import { CanonicalError, EncryptionError, JsonError, KeyError, SignatureError } from '../../src/errors.js';
import { parseStrictJson } from '../../src/json/strict-json.js';
import { RuleId, type Issue } from '../../src/model/outcome.js';
import { registryKeyResolver } from '../../src/registry/key-resolver.js';
import { validateBericht, validateValue } from '../../src/rules/validate.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';
import { canonicalJson } from '../../src/signing/canonical.js';
import { verifyBericht } from '../../src/signing/verify.js';
import type { Store } from '../../src/store/store.js';
import { personalValues, validExamples } from '../helpers/examples.js';

/** A string that occurs in no spec vocabulary, message or example: if it comes out, it was echoed. */
export const canary = fc.stringMatching(/^[a-z]{6,10}$/).map((s) => `Kanarie${s}`);

const PERSONAL = personalValues().filter((v) => v.length >= 4);

/** Why `issues` are not a well-formed, value-free list, or undefined when they are. */
export function issueProblem(issues: readonly Issue[], planted: readonly string[]): string | undefined {
  for (const issue of issues) {
    if (!RuleId.safeParse(issue.rule).success) return `issue without a rule id: ${issue.rule}`;
    if (!['error', 'warning'].includes(issue.severity)) return `issue with severity ${issue.severity}`;
    if (typeof issue.path !== 'string' || !issue.path.startsWith('$') || typeof issue.message !== 'string' || issue.message === '') return 'malformed issue';
  }
  return echoIn(JSON.stringify(issues), planted);
}

/** The first planted or personal value found in `text`, as a failure reason. */
export function echoIn(text: string, planted: readonly string[]): string | undefined {
  const leaked = [...planted, ...PERSONAL].find((value) => text.includes(value));
  return leaked === undefined ? undefined : `echoed an input value (${planted.includes(leaked) ? 'canary' : 'personal data'})`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every container (object or array) in `value` with its path, the root first. */
function containers(value: Json, path: (string | number)[] = []): { path: (string | number)[]; node: Json[] | Record<string, Json> }[] {
  if (value === null || typeof value !== 'object') return [];
  const here = [{ path, node: value }];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return here.concat(...entries.map(([k, v]) => containers(v, [...path, k])));
}

/** A mutation of a valid example: a planted canary (as a value, as a key, or as a whole member) or random JSON at a random place. */
const mutation = fc.record({
  example: fc.nat(),
  at: fc.nat(),
  member: fc.nat(),
  kind: fc.constantFrom('value', 'key', 'json', 'delete'),
  canary,
  json: fc.jsonValue({ maxDepth: 3 }),
});

type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
type Mutation = ValueOf<typeof mutation>;

/** Applies a mutation; returns the mutated bericht and the canary planted (if the mutation planted one). */
export function mutate(m: Mutation): { value: Json; planted: string[] } {
  const file = validExamples[m.example % validExamples.length];
  if (file === undefined) throw new Error('no valid examples');
  const value = JSON.parse(file.bytes.toString('utf8')) as Json;
  const all = containers(value);
  const target = all[m.at % all.length];
  if (target === undefined) return { value, planted: [] };
  const { node } = target;
  const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
  const key = keys.length === 0 ? undefined : keys[m.member % keys.length];
  const set = (k: string | number, v: Json): void => {
    if (Array.isArray(node)) node[Number(k)] = v;
    else node[String(k)] = v;
  };
  switch (m.kind) {
    case 'value':
      if (key !== undefined) set(key, m.canary);
      return { value, planted: [m.canary] };
    case 'key':
      if (!Array.isArray(node)) node[m.canary] = m.canary;
      return { value, planted: [m.canary] };
    case 'json':
      if (key !== undefined) set(key, m.json as Json);
      return { value, planted: [] };
    case 'delete':
      if (key !== undefined && !Array.isArray(node)) Reflect.deleteProperty(node, key);
      return { value, planted: [] };
  }
}

/** The validator on arbitrary bytes: never throws, every issue has a rule id, nothing echoed. */
export const validatorOnBytes = fc.property(fc.oneof(fc.uint8Array({ maxLength: 4096 }), fc.string({ unit: 'binary', maxLength: 2048 }).map((s) => Buffer.from(s))), (bytes) => {
  const result = validateBericht(bytes);
  if (result.ok === (result.issues.some((i) => i.severity === 'error'))) throw new Error('ok and errors disagree');
  const problem = issueProblem(result.issues, []);
  if (problem !== undefined) throw new Error(problem);
});

/** The validator on mutated valid examples: never throws, and no planted canary or personal value comes back. */
export const validatorOnMutations = fc.property(mutation, (m) => {
  const { value, planted } = mutate(m);
  for (const result of [validateValue(value), validateBericht(JSON.stringify(value))]) {
    const problem = issueProblem(result.issues, planted);
    if (problem !== undefined) throw new Error(problem);
  }
});

/** A name written with every character as a \\uXXXX escape: the same name to a JSON reader (RFC 8259 §7). */
const escaped = (name: string): string => `"${Array.from({ length: name.length }, (_, i) => `\\u${name.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')}"`;

/**
 * The JSON text of `value` with one member named twice: in the `at`-th object that has members, a copy of
 * its `member`-th name (written escaped when `escape`) with the value `extra`, after the others; and the
 * path to that name. `undefined` when `value` has no object with members.
 */
export function withDuplicate(value: Json, at: number, member: number, escape: boolean, extra: Json): { text: string; path: (string | number)[] } | undefined {
  const objects = containers(value).filter((c) => !Array.isArray(c.node) && Object.keys(c.node).length > 0);
  const target = objects[at % Math.max(objects.length, 1)];
  if (target === undefined) return undefined;
  const names = Object.keys(target.node);
  const name = names[member % names.length] ?? '';
  const write = (node: Json): string => {
    if (node === null || typeof node !== 'object') return JSON.stringify(node);
    if (Array.isArray(node)) return `[${node.map(write).join(',')}]`;
    const members = Object.entries(node).map(([k, v]) => `${JSON.stringify(k)}:${write(v)}`);
    if (node === target.node) members.push(`${escape ? escaped(name) : JSON.stringify(name)}:${write(extra)}`);
    return `{${members.join(',')}}`;
  };
  return { text: write(value), path: [...target.path, name] };
}

const duplicate = fc.record({ value: fc.jsonValue({ maxDepth: 5 }), at: fc.nat(), member: fc.nat(), escape: fc.boolean(), extra: fc.jsonValue({ maxDepth: 2 }) });

/** The strict reader (BER-017, SIG-006) on JSON with a name repeated at any depth: JsonError naming that path, nothing else. */
export const strictReaderOnDuplicates = fc.property(duplicate, ({ value, at, member, escape, extra }) => {
  const planted = withDuplicate(value as Json, at, member, escape, extra as Json);
  if (planted === undefined) return;
  let caught: unknown;
  try {
    parseStrictJson(planted.text);
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof JsonError) || caught.code !== 'ZICHT_JSON_DUPLICATE_MEMBER') throw new Error('a duplicate member name was read');
  if (JSON.stringify(caught.path) !== JSON.stringify(planted.path)) throw new Error(`reported at ${JSON.stringify(caught.path)}, planted at ${JSON.stringify(planted.path)}`);
});

/**
 * The strict reader reads what JSON.parse reads: on JSON.stringify's texts (compact or indented, which never
 * repeat a name) the same value, never a refusal; on any other text the same value, ZICHT_JSON_INVALID
 * exactly when JSON.parse fails, and nothing but a JsonError.
 */
export const strictReaderAgreesWithJsonParse = fc.property(
  fc.oneof(fc.jsonValue({ maxDepth: 6 }).chain((v) => fc.constantFrom({ text: JSON.stringify(v), unique: true }, { text: JSON.stringify(v, null, 2), unique: true })), fc.string({ maxLength: 200 }).map((text) => ({ text, unique: false }))),
  ({ text, unique }) => {
    let expected: unknown;
    let parses = true;
    try {
      expected = JSON.parse(text);
    } catch {
      parses = false;
    }
    try {
      const value = parseStrictJson(text);
      if (!parses || JSON.stringify(value) !== JSON.stringify(expected)) throw new Error('the strict reader read another value than JSON.parse');
    } catch (error) {
      if (!(error instanceof JsonError)) throw error;
      if (unique || (parses && error.code === 'ZICHT_JSON_INVALID') || (!parses && error.code !== 'ZICHT_JSON_INVALID')) throw new Error(`the strict reader refused with ${error.code} where JSON.parse ${parses ? 'read' : 'refused'} the text`);
    }
  },
);

/**
 * The validator on valid examples with a name repeated at any depth (a name of the standard with a canary as
 * the second value, or a canary name of its own): BER-017 only, and the canary never comes back.
 */
export const validatorOnDuplicates = fc.property(fc.record({ example: fc.nat(), at: fc.nat(), member: fc.nat(), escape: fc.boolean(), plantName: fc.boolean(), canary }), ({ example, at, member, escape, plantName, canary: planted }) => {
  const file = validExamples[example % validExamples.length];
  if (file === undefined) throw new Error('no valid examples');
  const value = JSON.parse(file.bytes.toString('utf8')) as Json;
  const objects = containers(value).filter((c) => !Array.isArray(c.node) && Object.keys(c.node).length > 0);
  const target = objects[at % objects.length]?.node as Record<string, Json> | undefined;
  if (plantName && target !== undefined) target[planted] = 1;
  const dup = withDuplicate(value, at, plantName && target !== undefined ? Object.keys(target).length - 1 : member, escape, planted);
  if (dup === undefined) throw new Error('an example without objects');
  const result = validateBericht(dup.text);
  if (result.ok || result.issues.length !== 1 || result.issues[0]?.rule !== 'BER-017') throw new Error(`expected BER-017 alone, got ${result.issues.map((i) => i.rule).join(', ')}`);
  const problem = issueProblem(result.issues, [planted]);
  if (problem !== undefined) throw new Error(problem);
});

/** RFC 8785: the canonical text of any JSON value parses back to it and is its own canonical form. */
export const canonicalRoundTrip = fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
  const text = canonicalJson(value);
  const back = JSON.parse(text) as unknown;
  if (JSON.stringify(back) !== JSON.stringify(JSON.parse(JSON.stringify(value)))) {
    // Same members in possibly another order: compare canonically.
    if (canonicalJson(back) !== text) throw new Error('canonical text does not parse back to the value');
  }
  if (canonicalJson(back) !== text) throw new Error('canonical form is not idempotent');
});

/** The canonicaliser on anything JavaScript can hold: a canonical text, or CanonicalError, nothing else. */
export const canonicalOnAnything = fc.property(fc.oneof(fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withDate: true, withNullPrototype: true }), fc.string({ unit: 'binary' })), (value) => {
  try {
    canonicalJson(value);
  } catch (error) {
    if (!(error instanceof CanonicalError)) throw error;
  }
});

/** A signature entry mutated at one character, or replaced by arbitrary JSON. */
const signatureMutation = fc.record({
  kind: fc.constantFrom('flip', 'json', 'drop-field', 'extra'),
  field: fc.constantFrom('protected', 'signature'),
  at: fc.nat(),
  char: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=.+/ '.split('')),
  json: fc.jsonValue({ maxDepth: 2 }),
  extra: fc.jsonValue({ maxDepth: 2 }),
});

/** JWS verification on mutated signatures: it refuses with a signature, key or canonical error, and nothing else. */
export async function jwsProperty(): Promise<fc.IAsyncPropertyWithHooks<[ValueOf<typeof signatureMutation>]>> {
  const network = await createDemoNetwork();
  const signed = (await signAs(network, 'vtZuidLimburg', exampleBericht('overdracht-na-dienst-onderzoek'))) as unknown as { signatures: Record<string, string>[] };
  const keys = registryKeyResolver(network.registry);
  return fc.asyncProperty(signatureMutation, async (m) => {
    const bericht = structuredClone(signed);
    const original = bericht.signatures[0] ?? {};
    let entry: unknown;
    if (m.kind === 'flip') {
      const text = original[m.field] ?? '';
      const i = m.at % Math.max(text.length, 1);
      entry = { ...original, [m.field]: text.slice(0, i) + m.char + text.slice(i + 1) };
    } else if (m.kind === 'json') entry = m.json;
    else if (m.kind === 'drop-field') entry = Object.fromEntries(Object.entries(original).filter(([k]) => k !== m.field));
    else entry = [original, m.extra];
    const unchanged = JSON.stringify(entry) === JSON.stringify(original);
    (bericht as { signatures: unknown }).signatures = Array.isArray(entry) ? entry : [entry];
    try {
      await verifyBericht(bericht, { keys });
    } catch (error) {
      if (error instanceof SignatureError || error instanceof KeyError || error instanceof CanonicalError) {
        if (unchanged) throw new Error('refused an unchanged signature');
        const leak = echoIn(error.message, []);
        if (leak !== undefined) throw new Error(leak);
        return;
      }
      throw error;
    }
    if (!unchanged) throw new Error('accepted a changed signature');
  });
}

/** A JWE compact serialization mutated at one character of a segment, a segment replaced, its header replaced by arbitrary JSON, or cut short. */
const jweMutation = fc.record({
  key: fc.constantFrom(0, 1),
  kind: fc.constantFrom('none', 'flip', 'segment', 'header', 'truncate', 'anything'),
  segment: fc.nat(4),
  at: fc.nat(),
  char: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=.+/ '.split('')),
  text: fc.oneof(canary, fc.string({ maxLength: 80 })),
  header: fc.jsonValue({ maxDepth: 2 }),
});

/**
 * The receiver's JWE decryption (ENC-004) on mutated JWEs: it opens an unchanged one to the original
 * plaintext, refuses with an EncryptionError, or (a change base64url ignores) still opens it to exactly
 * the original; it never throws anything else and never returns other plaintext.
 */
export async function jweProperty(): Promise<fc.IAsyncPropertyWithHooks<[ValueOf<typeof jweMutation>]>> {
  const keys = [await generateEncryptionKey('ECDH-ES P-256'), await generateEncryptionKey('RSA-OAEP-256')];
  const plaintext = JSON.stringify(exampleBericht('overdracht-na-dienst-onderzoek'));
  const jwes = await Promise.all(keys.map((k) => encryptBody(plaintext, k.sleutel)));
  return fc.asyncProperty(jweMutation, async (m) => {
    const segments = (jwes[m.key] ?? '').split('.');
    const i = m.segment;
    const segment = segments[i] ?? '';
    if (m.kind === 'flip') {
      const at = m.at % Math.max(segment.length, 1);
      segments[i] = segment.slice(0, at) + m.char + segment.slice(at + 1);
    } else if (m.kind === 'segment') segments[i] = m.text;
    else if (m.kind === 'header') segments[0] = Buffer.from(JSON.stringify(m.header)).toString('base64url');
    const joined = segments.join('.');
    const jwe = m.kind === 'truncate' ? joined.slice(0, m.at % joined.length) : m.kind === 'anything' ? m.text : joined;
    try {
      const opened = await decryptBody(jwe, keys.map((k) => k.key));
      if (new TextDecoder().decode(opened.plaintext) !== plaintext) throw new Error('opened a changed JWE to other plaintext');
    } catch (error) {
      if (!(error instanceof EncryptionError)) throw error;
      if (m.kind === 'none') throw new Error('refused an unchanged JWE');
      const leak = echoIn(error.message, m.text.startsWith('Kanarie') ? [m.text] : []);
      if (leak !== undefined) throw new Error(leak);
    }
  });
}

const DOCUMENTED = new Set([202, 400, 401, 403, 409, 413, 415, 422, 429]);

/** What a request of the HTTP property looks like. */
const request = fc.record({
  body: fc.oneof(
    { weight: 2, arbitrary: mutation.map((m) => ({ kind: 'mutated' as const, m })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2048 }).map((bytes) => ({ kind: 'bytes' as const, bytes })) },
    { weight: 1, arbitrary: fc.constant({ kind: 'signed' as const }) },
  ),
  contentType: fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, fc.constantFrom('text/plain', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', '', 'application/problem+json')),
  auth: fc.oneof({ weight: 6, arbitrary: fc.constant('token') }, fc.constantFrom('none', 'garbage')),
});

/**
 * The HTTP API on hostile requests: every answer is a documented status; every refusal is
 * problem+json whose issues carry rule ids; no planted canary or personal value comes back.
 */
export async function httpProperty(store: Store): Promise<{ property: fc.IAsyncPropertyWithHooks<[ValueOf<typeof request>]>; network: DemoNetwork }> {
  const network = await createDemoNetwork();
  const app = createApp({
    store,
    registry: network.registry,
    keys: registryKeyResolver(network.registry),
    gateway: network.gateway,
    replay: memoryReplayGuard(),
    rateLimit: tokenBucket({ perSecond: 1e9, burst: 1e9 }),
  });
  const property = fc.asyncProperty(request, async (r) => {
    let body: string | Uint8Array;
    let planted: string[] = [];
    if (r.body.kind === 'mutated') {
      const mutated = mutate(r.body.m);
      planted = mutated.planted;
      // The examples are objects; a fresh id, so that a mutation is judged on its content, not refused as a replay of an earlier id.
      const value = mutated.value as Record<string, unknown>;
      if (typeof value.berichtId === 'string') value.berichtId = crypto.randomUUID();
      body = JSON.stringify(value);
    } else if (r.body.kind === 'bytes') body = r.body.bytes;
    else body = JSON.stringify(await signAs(network, 'vtZuidLimburg', exampleBericht('overdracht-na-dienst-onderzoek')));
    const headers: Record<string, string> = { 'content-type': r.contentType };
    if (r.auth === 'token') headers.authorization = `Bearer ${await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway)}`;
    if (r.auth === 'garbage') headers.authorization = 'Bearer a.b.c';
    const response = await app.request('/v1/berichten', { method: 'POST', body, headers });
    const text = await response.text();
    if (!DOCUMENTED.has(response.status)) throw new Error(`undocumented status ${String(response.status)}`);
    if (response.status !== 202) {
      if (response.headers.get('content-type') !== 'application/problem+json') throw new Error(`refusal ${String(response.status)} is not problem+json`);
      const problem = JSON.parse(text) as { status?: unknown; issues?: Issue[] };
      if (problem.status !== response.status) throw new Error('problem status differs from the HTTP status');
      const reason = issueProblem(problem.issues ?? [], planted);
      if (reason !== undefined) throw new Error(reason);
    }
    const leak = echoIn(text, planted);
    if (leak !== undefined) throw new Error(leak);
  });
  return { property, network };
}
