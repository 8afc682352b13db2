/**
 * Trail rules against earlier berichten of the dossier. A partial trail (the files given to the CLI)
 * checks what it holds; a complete trail (the gateway's store) also refuses unknown references.
 */
import { describe, expect, it } from 'vitest';
import { trailOf } from '../../src/rules/context.js';
import { validateValue } from '../../src/rules/validate.js';
import type { Bericht } from '../../src/model/bericht.js';
import { example } from '../helpers/examples.js';

const rules = (bericht: unknown, trail: readonly Bericht[], complete: boolean): string[] =>
  validateValue(bericht, { context: trailOf(trail, { complete }) }).issues.map((i) => `${i.rule} ${i.path}`);

describe('references to earlier berichten', () => {
  const handover = example('overdracht-na-veiligheidsbeoordeling');
  const receipt = example('ontvangstbevestiging-ontvangen');
  const update = example('veiligheidsvoorwaarden-update');

  it('a receipt whose handover is not in a partial trail is not judged (ONT-004)', () => {
    expect(rules(receipt, [], false)).toEqual([]);
  });

  it('a receipt whose handover is not in a complete trail is refused (ONT-004)', () => {
    expect(rules(receipt, [], true)).toEqual(['ONT-004 $.inAntwoordOp']);
    expect(rules(receipt, [handover], true)).toEqual([]);
  });

  it('a receipt that answers a bericht that is not an overdracht is refused, partial trail or not (ONT-004)', () => {
    const answersUpdate = { ...receipt, verzondenOp: '2026-09-19T10:00:00+02:00', inAntwoordOp: update.berichtId, dossier: { ...receipt.dossier, referentie: update.dossier.referentie } };
    expect(rules(answersUpdate, [update], false)).toEqual(['ONT-004 $.inAntwoordOp']);
  });

  it('an update of conditions whose handover is unknown is refused only with a complete trail (VVW-004)', () => {
    expect(rules(update, [], false)).toEqual([]);
    expect(rules(update, [], true)).toEqual(['VVW-004 $.inAntwoordOp']);
    expect(rules(update, [example('overdracht-na-dienst-onderzoek')], true)).toEqual([]);
  });

  it('an update that answers a direct handover (which has no conditions) is refused (VVW-004)', () => {
    expect(rules({ ...update, inAntwoordOp: handover.berichtId }, [handover], false)).toContain('VVW-004 $.inAntwoordOp');
  });
});

describe('sequence numbers within a dossier (BER-011)', () => {
  const first = example('overdracht-na-dienst-onderzoek');
  const update = example('veiligheidsvoorwaarden-update');

  it('accepts a higher number sent later', () => {
    expect(rules(update, [first], false)).toEqual([]);
  });

  it('refuses a number used before by the same sender in the dossier', () => {
    expect(rules({ ...update, dossier: { ...update.dossier, volgnummer: first.dossier.volgnummer } }, [first], false)).toContain('BER-011 $.dossier.volgnummer');
  });

  it('refuses a lower number sent later', () => {
    expect(rules({ ...update, dossier: { ...update.dossier, volgnummer: 2 } }, [first], false)).toEqual(['BER-011 $.dossier.volgnummer']);
  });

  it('does not compare with another sender or another dossier', () => {
    const otherDossier = { ...first, berichtId: '5e0c2a1b-3d4f-4a6b-8c9d-0e1f2a3b4c5d', dossier: { referentie: 'VTZL-2026-009999', volgnummer: 9 } };
    expect(rules({ ...update, dossier: { ...update.dossier, volgnummer: 2 } }, [otherDossier], false)).toEqual([]);
  });
});
