/** Records for the store tests: pseudonymous, synthetic, no personal data. */
import { createHash, randomUUID } from 'node:crypto';
import type { NewDelivery } from '../../src/store/delivery.js';
import type { StoredBericht } from '../../src/store/stored-bericht.js';

export const VT_OIN = '00000001823288444000';
export const VT2_OIN = '00000001823288444001';
export const GEMEENTE_A = '00000001001234567000';
export const GEMEENTE_B = '00000001001234568000';
export const GEMEENTE_C = '00000001001234569000';

/** A fixed instant so tests read like timetables. */
export const T0 = new Date('2026-03-02T09:00:00.000Z');

/** `T0` plus `seconds`. */
export function at(seconds: number): Date {
  return new Date(T0.getTime() + seconds * 1000);
}

/** A stored bericht; the body is a stand-in JSON text (the store does not read it). */
export function bericht(overrides: Partial<StoredBericht> = {}): StoredBericht {
  const berichtId = overrides.berichtId ?? randomUUID();
  const body = overrides.body ?? JSON.stringify({ berichtId, berichtType: overrides.berichtType ?? 'overdracht', signatures: [{ protected: 'eyJ9', signature: 'c2ln' }] });
  return {
    berichtId,
    senderOin: VT_OIN,
    berichtType: 'overdracht',
    dossierReferentie: 'VTZL-2026-004711',
    volgnummer: 1,
    contentHash: createHash('sha256').update(body).digest('hex'),
    body,
    receivedAt: T0,
    receipt: JSON.stringify({ ontvangen: berichtId }),
    ...overrides,
  };
}

/** A push (or pull) delivery of `berichtId` to `receiverOin`, due at `T0`. */
export function delivery(berichtId: string, receiverOin: string, overrides: Partial<NewDelivery> = {}): NewDelivery {
  return { berichtId, receiverOin, mode: 'push', nextAttemptAt: T0, ...overrides };
}
