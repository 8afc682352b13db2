/** The demo network plus an auditor (role `auditor`), for the audit log's API and CLI tests. */
import { createDemoNetwork, type DemoNetwork } from '../../src/demo/network.js';
import { generateSigningKey } from '../../src/signing/generate.js';
import { createSigner, type Signer } from '../../src/signing/signer.js';

export const AUDITOR_OIN = '00000003000000000042';

export interface AuditNetwork extends DemoNetwork {
  readonly auditor: Signer;
  /** The auditor's private JWK with its "oin", as `zicht audit export --key` reads it. */
  readonly auditorJwk: Record<string, unknown>;
}

/** A demo network whose registry also holds an inspectorate with the auditor role. */
export async function createAuditNetwork(): Promise<AuditNetwork> {
  const network = await createDemoNetwork();
  const key = await generateSigningKey('ES256');
  const auditor = await createSigner({ privateJwk: key.privateJwk, oin: AUDITOR_OIN });
  await network.registry.add({ oin: AUDITOR_OIN, rol: 'auditor', naam: 'Inspectie (test)', status: 'actief', sleutels: [{ kid: auditor.kid, jwk: auditor.publicJwk }] });
  return { ...network, auditor, auditorJwk: { ...(key.privateJwk as Record<string, unknown>), oin: AUDITOR_OIN } };
}
