/** One case per warning rule: a valid example, mutated so that it breaks exactly that rule. */
import type { Bericht } from '../../src/model/bericht.js';
import { example } from './examples.js';

export interface WarningCase {
  readonly rule: string;
  readonly path: string;
  readonly make: () => Bericht;
  /** Earlier berichten of the dossier, for a warning of stage trail. */
  readonly trail?: () => Bericht[];
}

export const warningCases: readonly WarningCase[] = [
  {
    rule: 'BER-020',
    path: '$.dossier.referentie',
    make: () => {
      const b = example('overdracht-na-veiligheidsbeoordeling');
      b.dossier.referentie = 'VT-111.222.333';
      return b;
    },
  },
  {
    rule: 'OVD-004',
    path: '$.inhoud.melder.contact',
    make: () => {
      const b = example('overdracht-na-dienst-voorwaarden-en-vervolg');
      if (b.berichtType === 'overdracht') delete b.inhoud.melder.contactNodig;
      return b;
    },
  },
  {
    rule: 'OVD-016',
    path: '$.inhoud.monitoring.momentenInMaanden',
    make: () => {
      const b = example('overdracht-na-dienst-onderzoek');
      if (b.berichtType === 'overdracht' && b.inhoud.moment === 'na-dienst') b.inhoud.monitoring.momentenInMaanden = [6];
      return b;
    },
  },
  {
    rule: 'VVW-005',
    path: '$.inhoud.voorwaarden[1].risicofactoren',
    make: () => {
      const b = example('veiligheidsvoorwaarden-update');
      if (b.berichtType === 'veiligheidsvoorwaarden') b.inhoud.voorwaarden[1]!.risicofactoren = [];
      return b;
    },
  },
  {
    rule: 'ONT-002',
    path: '$.inhoud.reden',
    make: () => {
      const b = example('ontvangstbevestiging-geaccepteerd');
      if (b.berichtType === 'ontvangstbevestiging') b.inhoud.reden = 'Past bij ons team.';
      return b;
    },
  },
  {
    rule: 'ONT-007',
    path: '$.inhoud.behandelaar',
    make: () => {
      const b = example('ontvangstbevestiging-ontvangen');
      if (b.berichtType === 'ontvangstbevestiging') delete b.inhoud.behandelaar;
      return b;
    },
  },
  {
    rule: 'VRW-003',
    path: '$.inhoud.afstemming.regie',
    make: () => {
      const b = example('ontvangstbevestiging-geaccepteerd');
      if (b.berichtType !== 'ontvangstbevestiging') return b;
      // Kerkrade accepts the handover to Heerlen and Kerkrade but names itself, where Heerlen named Heerlen.
      b.berichtId = 'd4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f33';
      b.verzender = { oin: '00000001000000009280', rol: 'lokaal-team' };
      b.inhoud.afstemming = { regie: '00000001000000009280' };
      return b;
    },
    trail: () => [example('overdracht-na-dienst-onderzoek'), example('ontvangstbevestiging-geaccepteerd')],
  },
  {
    rule: 'LVC-005',
    path: '$.inAntwoordOp',
    make: () => {
      const b = example('monitoring');
      b.inAntwoordOp = '3f1c2a9e-8b7d-4e6f-9a1b-2c3d4e5f6a71';
      b.dossier = { ...b.dossier, referentie: 'VTZL-2026-004711' };
      return b;
    },
    trail: () => [example('overdracht-na-veiligheidsbeoordeling')],
  },
];
