/**
 * BER: rules of the envelope and of reading the input. Rules BER-001 to BER-007 are enforced while
 * reading and by the schema; the rest are cross-field and trail checks.
 */
import { BERICHT_TYPES, type Bericht, type BerichtType, type Deelnemersrol } from '../model/bericht.js';
import { containsBsn, containsSeparatedBsn } from './elfproef.js';
import { defineRule, type Rule } from './rule.js';

/** Largest bericht accepted, in bytes (BER-002). */
export const MAX_BERICHT_BYTES = 1_048_576;

/** Deepest nesting of arrays and objects accepted (BER-003); the schema itself is 7 levels deep. */
export const MAX_DEPTH = 32;

const ALL: readonly BerichtType[] = BERICHT_TYPES;
const ONTVANGEND = ['lokaal-team', 'gemeente', 'gi'] as const;

/** Which roles may send, and receive, each bericht type (BER-012). */
export const ALLOWED_ROLES: Readonly<Record<BerichtType, { from: readonly Deelnemersrol[]; to: readonly Deelnemersrol[] }>> = {
  overdracht: { from: ['vt'], to: ['lokaal-team', 'gemeente', 'gi'] },
  veiligheidsvoorwaarden: { from: ['vt'], to: ['lokaal-team', 'gemeente', 'gi'] },
  ontvangstbevestiging: { from: ONTVANGEND, to: ['vt'] },
  // The lifecycle berichten (LVC): who reports what to whom (spec/v1/README.md "The lifecycle").
  'contact-gestart': { from: ONTVANGEND, to: ['vt'] },
  monitoring: { from: ['vt'], to: ONTVANGEND },
  afsluiting: { from: ['vt', ...ONTVANGEND], to: ['vt', ...ONTVANGEND] },
  escalatie: { from: ['vt', ...ONTVANGEND], to: ['vt', ...ONTVANGEND] },
  'escalatie-antwoord': { from: ['gemeente'], to: ['vt', 'lokaal-team', 'gi'] },
  termijnsignaal: { from: ['gateway'], to: ['vt', ...ONTVANGEND] },
};

/** An RFC 3339 date-time as milliseconds since the epoch. */
const instant = (tijdstip: string): number => Date.parse(tijdstip);

export const berichtRules: readonly Rule[] = [
  {
    id: 'BER-001',
    stage: 'input',
    severity: 'error',
    code: 'structure',
    sources: [
      { document: 'RFC 8259', section: '8.1' },
      { document: 'RFC 7493', section: '2.1' },
    ],
    text: 'A bericht is one JSON text in UTF-8, without byte order mark, and contains no unpaired surrogates, also none written as a \\u escape in a string or member name.',
  },
  {
    id: 'BER-002',
    stage: 'input',
    severity: 'error',
    code: 'too-long',
    sources: [{ document: 'Zicht', section: 'v1 "Limits"' }],
    text: `A bericht is at most ${MAX_BERICHT_BYTES} bytes: as its sender sends it, and as the gateway stores and pushes it (serialised without insignificant whitespace, its countersignature appended). The gateway refuses a bericht whose countersigned form would be larger; the countersignature adds less than 1 KiB, so a sender that stays 4 KiB below the limit is never refused for it.`,
  },
  {
    id: 'BER-003',
    stage: 'input',
    severity: 'error',
    code: 'structure',
    sources: [{ document: 'Zicht', section: 'v1 "Limits"' }],
    text: `Arrays and objects in a bericht are nested at most ${MAX_DEPTH} deep.`,
  },
  {
    id: 'BER-017',
    stage: 'input',
    severity: 'error',
    code: 'structure',
    sources: [
      { document: 'RFC 8259', section: '4' },
      { document: 'RFC 7493', section: '2.3' },
    ],
    text: 'No object in a bericht (or in any JSON text of the standard: a FHIR message Bundle, a registry, a key set, an audit bundle) names a member twice, at any depth; names are compared after unescaping ("a" and "\\u0061" are one name). Such a text is refused, never read last-one-wins.',
  },
  {
    id: 'BER-004',
    stage: 'schema',
    severity: 'error',
    code: 'security',
    sources: [{ document: 'Zicht', section: 'v1 "Limits"' }],
    text: 'No member is named __proto__, constructor or prototype.',
  },
  {
    id: 'BER-005',
    stage: 'schema',
    severity: 'error',
    code: 'not-supported',
    sources: [{ document: 'Zicht', section: 'v1 "Versioning"' }],
    text: 'specVersie is a version of this standard the receiver implements (1.0).',
  },
  {
    id: 'BER-006',
    stage: 'schema',
    severity: 'error',
    code: 'invalid',
    sources: [{ document: 'Zicht', section: 'v1 "Validating a bericht"' }],
    text: 'Every member has the type, format and length the schema gives it, and every required member is present.',
  },
  {
    id: 'BER-007',
    stage: 'schema',
    severity: 'error',
    code: 'structure',
    sources: [{ document: 'Zicht', section: 'v1 "Validating a bericht"' }],
    text: 'A bericht has no members the schema does not define.',
  },
  defineRule({
    id: 'BER-008',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Zicht', section: 'v1 "The envelope"' }],
    text: 'Each receiver appears once, and the sender is not among the receivers. A receiver is its OIN with, for a gemeente or lokaal team, the gemeentecode it acts for: a participant serving several gemeenten appears once per gemeente.',
    appliesTo: ALL,
    check(bericht, _context, report) {
      const seen = new Set<string>();
      for (const [i, ontvanger] of bericht.ontvangers.entries()) {
        const receiver = `${ontvanger.oin}/${ontvanger.gemeentecode ?? ''}`;
        if (ontvanger.oin === bericht.verzender.oin) report(['ontvangers', i, 'oin'], 'The sender is also a receiver.');
        else if (seen.has(receiver)) report(['ontvangers', i, 'oin'], 'This receiver appears more than once.');
        seen.add(receiver);
      }
    },
  }),
  defineRule({
    id: 'BER-009',
    stage: 'content',
    severity: 'error',
    code: 'security',
    sources: [
      { document: 'Z-L', section: '5.1.3' },
      { document: 'VNG', section: '6a.3' },
    ],
    text: 'The dossier reference is pseudonymous: no run of exactly nine digits in it (a number: digits with no digit before or after them) passes the BSN 11-proof.',
    appliesTo: ALL,
    check(bericht, _context, report) {
      if (containsBsn(bericht.dossier.referentie)) report(['dossier', 'referentie']);
    },
  }),
  defineRule({
    id: 'BER-010',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Zicht', section: 'v1 "The envelope"' }],
    text: 'A bericht does not answer or update itself (inAntwoordOp differs from berichtId).',
    appliesTo: ALL,
    check(bericht, _context, report) {
      if (bericht.inAntwoordOp?.toLowerCase() === bericht.berichtId.toLowerCase()) report(['inAntwoordOp']);
    },
  }),
  defineRule({
    id: 'BER-011',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Zicht', section: 'v1 "Dossier and sequence"' }],
    text: "Within a dossier, a sender's sequence numbers are unique and increase with the time of sending.",
    appliesTo: ALL,
    check(bericht, context, report) {
      const sentAt = instant(bericht.verzondenOp);
      for (const earlier of context.berichtenInDossier(bericht.dossier.referentie)) {
        if (earlier.verzender.oin !== bericht.verzender.oin || earlier.berichtId.toLowerCase() === bericht.berichtId.toLowerCase()) continue;
        const earlierAt = instant(earlier.verzondenOp);
        if (earlier.dossier.volgnummer === bericht.dossier.volgnummer) {
          report(['dossier', 'volgnummer'], 'Another bericht of this sender in this dossier has the same sequence number.');
          return;
        }
        const outOfOrder =
          (earlierAt < sentAt && earlier.dossier.volgnummer > bericht.dossier.volgnummer) ||
          (earlierAt > sentAt && earlier.dossier.volgnummer < bericht.dossier.volgnummer);
        if (outOfOrder) {
          report(['dossier', 'volgnummer'], 'The sequence number does not increase with the time of sending within this dossier.');
          return;
        }
      }
    },
  }),
  defineRule({
    id: 'BER-012',
    stage: 'content',
    severity: 'error',
    code: 'business-rule',
    sources: [
      { document: 'Z-L', section: '5' },
      { document: 'Z-L', section: '2i' },
    ],
    text: 'The sender and receivers have roles that fit the bericht type: VT sends overdrachten, veiligheidsvoorwaarden and monitoring to lokaal team, gemeente or GI, which send ontvangstbevestigingen and contact-gestart to VT; an afsluiting or escalatie goes from VT or a receiving party to any other participant of them (never to itself, BER-008), receiving parties among themselves too, a lokaal team to a lokaal team included; only a gemeente answers an escalatie, to VT, a lokaal team or GI; only the gateway sends a termijnsignaal, to VT, a gemeente, lokaal team or GI alike (LVC-009 says to which participant). Every entry of ontvangers is checked, one in cc (kopie) too.',
    appliesTo: ALL,
    check(bericht, _context, report) {
      const allowed = ALLOWED_ROLES[bericht.berichtType];
      if (!allowed.from.includes(bericht.verzender.rol)) {
        report(['verzender', 'rol'], `A ${bericht.berichtType} is sent by role ${allowed.from.join(' or ')}.`);
      }
      for (const [i, ontvanger] of bericht.ontvangers.entries()) {
        if (!allowed.to.includes(ontvanger.rol)) {
          report(['ontvangers', i, 'rol'], `A ${bericht.berichtType} is received by role ${allowed.to.join(' or ')}.`);
        }
      }
    },
  }),
  defineRule({
    id: 'BER-013',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Zicht', section: 'v1 "Dossier and sequence"' }],
    text: 'A bericht that answers or updates another belongs to the same dossier as that bericht.',
    appliesTo: ALL,
    check(bericht, context, report) {
      if (bericht.inAntwoordOp === undefined) return;
      const earlier = context.findBericht(bericht.inAntwoordOp);
      if (earlier && earlier.dossier.referentie !== bericht.dossier.referentie) report(['dossier', 'referentie']);
    },
  }),
  defineRule({
    id: 'BER-014',
    stage: 'content',
    severity: 'error',
    code: 'required',
    sources: [
      { document: 'Z-L', section: '5.2.4' },
      { document: 'Zicht', section: 'v1 "The envelope"' },
    ],
    text: 'A receiver with role gemeente or lokaal-team names the gemeente it acts for (gemeentecode).',
    appliesTo: ALL,
    check(bericht, _context, report) {
      for (const [i, ontvanger] of bericht.ontvangers.entries()) {
        if ((ontvanger.rol === 'gemeente' || ontvanger.rol === 'lokaal-team') && ontvanger.gemeentecode === undefined) {
          report(['ontvangers', i, 'gemeentecode']);
        }
      }
    },
  }),
  defineRule({
    id: 'BER-015',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Zicht', section: 'v1 "Dossier and sequence"' }],
    text: 'A berichtId names one bericht only: a bericht with the id of an earlier one has the same sender and content (a resend), or it is refused.',
    appliesTo: ALL,
    check(bericht, context, report) {
      const earlier = context.findBericht(bericht.berichtId);
      if (earlier && !sameContent(earlier, bericht)) report(['berichtId'], 'An earlier bericht with this berichtId has another sender or content.');
    },
  }),
  defineRule({
    id: 'BER-016',
    stage: 'trail',
    severity: 'error',
    code: 'business-rule',
    sources: [{ document: 'Zicht', section: 'v1 "Dossier and sequence"' }],
    text: 'A bericht that answers or updates another is not sent before it (events in order).',
    appliesTo: ALL,
    check(bericht, context, report) {
      if (bericht.inAntwoordOp === undefined) return;
      const earlier = context.findBericht(bericht.inAntwoordOp);
      if (earlier && instant(bericht.verzondenOp) < instant(earlier.verzondenOp)) report(['verzondenOp'], 'Sent before the bericht it answers or updates.');
    },
  }),
  defineRule({
    id: 'BER-020',
    stage: 'content',
    severity: 'warning',
    code: 'security',
    sources: [
      { document: 'Z-L', section: '5.1.3' },
      { document: 'VNG', section: '6a.3' },
    ],
    text: 'The dossier reference holds no BSN written in groups: digits that, with the single separators between them (., -, _) left out, are nine digits passing the 11-proof.',
    appliesTo: ALL,
    check(bericht, _context, report) {
      if (containsSeparatedBsn(bericht.dossier.referentie)) report(['dossier', 'referentie']);
    },
  }),
];

/** Deep equality of two JSON values. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Same bericht content, whatever signatures each copy carries. */
function sameContent(a: Bericht, b: Bericht): boolean {
  return jsonEqual({ ...a, signatures: undefined }, { ...b, signatures: undefined });
}
