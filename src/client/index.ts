/**
 * `zicht/client`: what a vendor's VT or gemeente system needs to take part, typed from the same model
 * as the gateway: sign and submit berichten, read their status, read, open and acknowledge the postbus,
 * verify what arrives, receive pushes (or read the postbus) as receiver.md asks, and make bearer tokens and keys.
 */
export { ZichtClient, type PostbusPage, type ZichtClientOptions } from './client.js';
export { startReceiver, type Receiver, type ReceiverOptions } from './receiver.js';
export { gatewayKeyResolver, type GatewayKeysOptions } from './keys.js';
export { ClientError, type ClientErrorCode, type ClientIssue, type ClientProblem } from '../errors.js';
export { createBearerToken } from '../signing/bearer-token.js';
export { createSigner, type Signer, type SignerOptions } from '../signing/signer.js';
export { generateSigningKey, type GeneratedKey } from '../signing/generate.js';
export { decryptBody, generateEncryptionKey, type DecryptionKey, type GeneratedEncryptionKey } from '../delivery/decrypt.js';
export type { Bericht } from '../model/bericht.js';
export type { BerichtStatus } from '../model/bericht-status.js';
export type { Transportbevestiging } from '../model/transportbevestiging.js';
