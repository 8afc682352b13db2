/** Storing berichten in a test as the accept path and the postbus do, for the retention tests. */
import { createHash } from 'node:crypto';
import type { Bericht } from '../../src/model/bericht.js';
import type { Store } from '../../src/store/store.js';

/** Stores a bericht as the accept path does (body, deliveries, the accepted event with its audit leaf). */
export async function accept(store: Store, bericht: Bericht, receivedAt: Date, mode: 'push' | 'pull' = 'push'): Promise<void> {
  const body = JSON.stringify(bericht);
  const receivers = bericht.ontvangers.map((o) => o.oin);
  await store.transaction(async (tx) => {
    await tx.insertBericht({
      berichtId: bericht.berichtId,
      senderOin: bericht.verzender.oin,
      berichtType: bericht.berichtType,
      dossierReferentie: bericht.dossier.referentie,
      volgnummer: bericht.dossier.volgnummer,
      ...(bericht.inAntwoordOp === undefined ? {} : { inAntwoordOp: bericht.inAntwoordOp }),
      contentHash: createHash('sha256').update(body).digest('hex'),
      body,
      receivedAt,
      receipt: JSON.stringify({ berichtId: bericht.berichtId }),
    });
    for (const oin of receivers) await tx.enqueueDelivery({ berichtId: bericht.berichtId, receiverOin: oin, mode, nextAttemptAt: receivedAt });
    await tx.appendEvent({ type: 'bericht.accepted', berichtId: bericht.berichtId, oin: bericht.verzender.oin, at: receivedAt, data: { berichtType: bericht.berichtType } });
  });
}

export async function acknowledgeAll(store: Store, bericht: Bericht, when: Date): Promise<void> {
  for (const o of bericht.ontvangers) {
    await store.acknowledge({ berichtId: bericht.berichtId, receiverOin: o.oin }, when);
    await store.appendEvent({ type: 'delivery.acknowledged', berichtId: bericht.berichtId, oin: o.oin, at: when, data: { via: 'postbus' } });
  }
}
