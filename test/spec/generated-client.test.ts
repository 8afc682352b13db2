/**
 * A vendor's generated client compiles without casts (issue 20): openapi-typescript turns spec/v1/openapi.json
 * into types, a small openapi-fetch client uses them with `strict` TypeScript (postbus items as berichten with
 * their fields, problem issues with rule, path and code, the gateway's key set outside /v1), and the compiled
 * client then runs against a real gateway. The same client must NOT compile against a document that types postbus
 * items as `{}` (as openapi.json did before), so the check can fail.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoNetwork, DEMO_OIN, exampleBericht, signAs, type DemoNetwork } from '../../src/demo/network.js';
import { startGateway, type RunningGateway } from '../../src/server/gateway.js';
import { createBearerToken } from '../../src/signing/bearer-token.js';

const root = join(import.meta.dirname, '../..');
const documentText = readFileSync(join(root, 'spec/v1/openapi.json'), 'utf8');

/** The vendor's client: only the generated types and openapi-fetch, no casts. */
const CLIENT = `import createClient from 'openapi-fetch';
import type { components, paths } from './openapi.js';

type Bericht = components['schemas']['Bericht'];
type Issue = components['schemas']['Issue'];

const origin = process.env.ZICHT_GATEWAY ?? '';
const bearer = (name: string) => ({ authorization: \`Bearer \${process.env[name] ?? ''}\` });
const client = createClient<paths>({ baseUrl: \`\${origin}/v1\` });

// A receiver without an encryption key gets JSON. The document also lists the JWE page (application/jose, a
// string) of a receiver with one, so the data is Postbus | string: narrowed, not cast.
const page = await client.GET('/postbus', { params: { query: { limit: 10 } }, headers: bearer('ZICHT_TOKEN_1') });
const berichten: Bericht[] = page.data === undefined || typeof page.data === 'string' ? [] : page.data.berichten;
const ids: string[] = berichten.map((bericht) => bericht.berichtId);
const senders: string[] = berichten.map((bericht) => bericht.verzender.oin);
const dossiers: string[] = berichten.map((bericht) => bericht.dossier.referentie);

const refused = await client.GET('/berichten/{id}', { params: { path: { id: 'abc' } }, headers: bearer('ZICHT_TOKEN_2') });
const issues: Issue[] = refused.error?.issues ?? [];
const found = issues.map((issue) => ({ rule: issue.rule, path: issue.path, code: issue.code ?? null }));

const anonymous = await client.GET('/berichten/{id}', { params: { path: { id: '${randomUUID()}' } } });
const reasons: (string | null)[] = (anonymous.error?.issues ?? []).map((issue) => issue.code ?? null);

// A receiver with an encryption key reads the page as text (a JWE compact serialization) and decrypts it.
const text = await client.GET('/postbus', { parseAs: 'text', headers: bearer('ZICHT_TOKEN_3') });
const raw: string = text.data ?? '';

const jwks = await client.GET('/.well-known/jwks.json', { baseUrl: origin });
const kids: string[] = (jwks.data?.keys ?? []).map((key) => key.kid);

console.log(JSON.stringify({ ids, senders, dossiers, status: refused.response.status, found, anonymous: anonymous.response.status, reasons, raw: raw.startsWith('{"berichten":['), kids }));
`;

const COMPILER_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  skipLibCheck: true,
  types: ['node'],
};

let dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** Generates the types of `document` beside the client in a fresh folder (with the project's node_modules) and compiles it. */
async function compileClient(document: string): Promise<{ dir: string; errors: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'zicht-generated-client-'));
  dirs.push(dir);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeFileSync(join(dir, 'openapi.ts'), astToString(await openapiTS(document)));
  writeFileSync(join(dir, 'client.ts'), CLIENT);
  const program = ts.createProgram([join(dir, 'client.ts')], { ...COMPILER_OPTIONS, outDir: dir });
  const emitted = program.emit();
  const errors = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) => `${d.file === undefined ? '' : `${d.file.fileName.replace(dir, '')}: `}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  return { dir, errors };
}

describe('a client generated from spec/v1/openapi.json with openapi-typescript and openapi-fetch', () => {
  let network: DemoNetwork;
  let gateway: RunningGateway;
  let berichtId: string;

  beforeAll(async () => {
    network = await createDemoNetwork();
    const db = join(mkdtempSync(join(tmpdir(), 'zicht-generated-client-db-')), 'zicht.db');
    dirs.push(join(db, '..'));
    gateway = await startGateway({ registry: network.registry, gateway: network.gateway, db, port: 0, deliver: false, timers: false, retention: false, console: false });
    const bericht = await signAs(network, 'vtZuidLimburg', exampleBericht('overdracht-na-dienst-onderzoek'));
    berichtId = bericht.berichtId;
    const token = await createBearerToken(network.signers.vtZuidLimburg, DEMO_OIN.gateway);
    const response = await fetch(`${gateway.url}/v1/berichten`, { method: 'POST', body: JSON.stringify(bericht), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } });
    expect(response.status).toBe(202);
  }, 60_000);
  afterAll(async () => {
    await gateway.close();
  });

  it('uses no casts (no `as`, no <T>x, no non-null assertion x!)', () => {
    const casts: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node)) casts.push(node.getText());
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile('client.ts', CLIENT, ts.ScriptTarget.ES2022, true));
    expect(casts).toEqual([]);
  });

  it('compiles with strict TypeScript, and the compiled client reads the postbus, a problem and the key set of a running gateway', { timeout: 120_000 }, async () => {
    const { dir, errors } = await compileClient(documentText);
    expect(errors).toEqual([]);
    const env = {
      ...process.env,
      ZICHT_GATEWAY: gateway.url,
      ZICHT_TOKEN_1: await createBearerToken(network.signers.heerlen, DEMO_OIN.gateway),
      ZICHT_TOKEN_2: await createBearerToken(network.signers.heerlen, DEMO_OIN.gateway),
      ZICHT_TOKEN_3: await createBearerToken(network.signers.heerlen, DEMO_OIN.gateway),
    };
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'client.js')], { env, cwd: dir });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out).toEqual({
      ids: [berichtId],
      senders: [DEMO_OIN.vtZuidLimburg],
      dossiers: [expect.any(String)],
      status: 400,
      found: [{ rule: 'BER-030', path: '$.path.id', code: null }],
      anonymous: 401,
      reasons: ['ZICHT_AUTH_MISSING'],
      raw: true,
      kids: [network.gateway.kid],
    });
  });

  it('does not compile against a document that types postbus items as {} (the check can fail)', { timeout: 120_000 }, async () => {
    const document = JSON.parse(documentText) as { components: { schemas: { Postbus: { properties: { berichten: { items: unknown } } } } } };
    expect(document.components.schemas.Postbus.properties.berichten.items).toEqual({ $ref: '#/components/schemas/Bericht' });
    document.components.schemas.Postbus.properties.berichten.items = { type: 'object', properties: {}, additionalProperties: {} };
    const { errors } = await compileClient(JSON.stringify(document));
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error).toMatch(/^\/client\.ts: /);
  });
});
