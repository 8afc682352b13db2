/**
 * The receiving side of a vendor's system: a Zicht endpoint that takes the gateway's pushes
 * (`POST {url}/berichten`) or reads the postbus, and does what spec/v1/receiver.md asks of a receiver, in
 * its order: the gateway's push token (AFL-002), decryption of a JWE (ENC-004), validation, the sender's
 * signature and the gateway's countersignature with keys from the gateway (SIG-001..005; fail closed with
 * 503, AFL-004), addressed to this system (AFL-003), a resend taken once (AFL-006), and for a gemeente or
 * lokaal team the automatic `ontvangen` receipt of every handover it is not in cc of (AFL-005), signed and
 * sent through the gateway, again with the same bytes after a 5xx or a lost answer. It is the reference
 * receiving system the conformance suite is proven against (src/demo/reference-receiver.ts); a system plugs
 * its own storage in through `onReceived`.
 */
import { startReferenceReceiver } from '../demo/reference-receiver.js';
import type { DecryptionKey } from '../delivery/decrypt.js';
import type { Bericht } from '../model/bericht.js';
import type { Behandelaar } from '../model/ontvangstbevestiging.js';
import type { Signer } from '../signing/signer.js';

/** How a {@link startReceiver} endpoint is set up. */
export interface ReceiverOptions {
  /** The system's signing key and OIN (its receipts are signed with it). */
  readonly signer: Signer;
  /** The role the system is registered with: a VT takes receipts; a gemeente or lokaal team answers each handover. */
  readonly rol: 'vt' | 'gemeente' | 'lokaal-team';
  /** The gemeenten a gemeente or lokaal team serves (AFL-003). */
  readonly gemeentecodes?: readonly string[];
  /** The gateway's base URL (without `/v1`): keys are fetched from it and receipts sent to it. A function is read at each use. */
  readonly gatewayUrl: string | (() => string);
  readonly gatewayOin: string;
  /** The private halves of the system's registered encryption keys (ENC-001), to open JWE pushes and postbus pages. */
  readonly decryptionKeys?: readonly DecryptionKey[];
  /** Read the postbus every `intervalMs` (receiver.md §10) instead of only taking pushes. */
  readonly postbus?: { readonly intervalMs: number };
  /** Who picks cases up (ONT-007), named in the receipts. */
  readonly behandelaar?: Behandelaar;
  /** Where the endpoint listens (default 127.0.0.1 and a free port). */
  readonly port?: number;
  readonly hostname?: string;
  /**
   * The berichten the system sent itself in its dossiers (a VT's handovers and updates; each until the gateway
   * refused it with a 4xx), read at each push: receiver.md §6 step 10 checks a pushed bericht against them as
   * well as against what it took (Q89), e.g. a receipt against the handover it answers (BER-013, BER-016,
   * VRW-001, VRW-002) or a contact-gestart against the handover's receivers (LVC-003).
   */
  readonly sent?: () => readonly Bericht[];
  /**
   * Told of each bericht taken, once, after it was verified: store it here, with `ontvangenOp`, when it arrived.
   * That is the `ontvangenOp` of the automatic `ontvangen` receipt, and a later `geaccepteerd` or
   * `niet-geaccepteerd` receipt for the same handover carries it again (spec/v1/implementation-questions.md Q108).
   */
  readonly onReceived?: (bericht: Bericht, ontvangenOp: string) => void;
  /** Told when a receipt or a postbus read failed (a status or network code, never content). */
  readonly onProblem?: (problem: string) => void;
}

/** A running receiving endpoint. */
export interface Receiver {
  /** Its Zicht endpoint, `http://…/v1`: register it as the participant's afleveradres (kanaal `zicht-v1`). */
  readonly url: string;
  /** Every bericht taken, once each, in order. */
  readonly received: readonly Bericht[];
  /** Resolves when every receipt queued so far was sent. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a receiving endpoint for a participant's system. */
export async function startReceiver(options: ReceiverOptions): Promise<Receiver> {
  const { gatewayUrl } = options;
  const receiver = await startReferenceReceiver({
    signer: options.signer,
    rol: options.rol,
    ...(options.gemeentecodes === undefined ? {} : { gemeentecodes: options.gemeentecodes }),
    gatewayUrl: typeof gatewayUrl === 'string' ? () => gatewayUrl : gatewayUrl,
    gatewayOin: options.gatewayOin,
    sendReceipts: options.rol !== 'vt',
    receiptStatus: 'ontvangen',
    ...(options.decryptionKeys === undefined ? {} : { decryptionKeys: options.decryptionKeys }),
    ...(options.postbus === undefined ? {} : { postbus: options.postbus }),
    ...(options.behandelaar === undefined ? {} : { behandelaar: options.behandelaar }),
    ...(options.sent === undefined ? {} : { sent: options.sent }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.hostname === undefined ? {} : { hostname: options.hostname }),
    ...(options.onReceived === undefined ? {} : { onReceived: (bericht: Bericht, _encryptedTo: string | undefined, ontvangenOp: string) => { options.onReceived?.(bericht, ontvangenOp); } }),
    ...(options.onProblem === undefined ? {} : { onProblem: options.onProblem }),
  });
  return receiver;
}
