/**
 * The residue of a purged bericht: what the gateway keeps of it once its payload is purged. The envelope
 * (ids, type, sender, receivers, time sent, dossier reference and sequence number, what it answers) and,
 * of `inhoud`, only the times, flags, codes and numbers the responsibility ledger (src/lifecycle/ledger.ts)
 * and the trail rules (src/rules/, stage `trail`) read. No names, addresses, contact details, BSNs, free
 * text, judgements (`oordeel`) or signatures: nothing that says who the household is or what happened.
 *
 * The ledger of a dossier is the same before and after its berichten are purged
 * (test/retention/residue.test.ts checks it for every scenario and profile), so the trail of who was
 * responsible when outlives the content (W-B "Afweging", EIND 4).
 */
import type { BerichtType } from '../model/bericht.js';

/** Which members of an object to keep: `true` keeps the value as it is, an object keeps some of its members, `[shape]` does so for every array item. */
type Shape = { readonly [member: string]: true | Shape | readonly [Shape] };

const ENVELOPE: Shape = {
  specVersie: true,
  berichtId: true,
  berichtType: true,
  verzender: true,
  ontvangers: true,
  verzondenOp: true,
  dossier: true,
  inAntwoordOp: true,
};

const VOORWAARDEN: Shape = { versie: true, vastgesteldOp: true, voorwaarden: [{ id: true, termijn: true }] };

/** Per type, the members of `inhoud` the ledger and the trail rules need. Exhaustive by type. */
const INHOUD: Record<BerichtType, Shape> = {
  overdracht: {
    moment: true,
    vtRegio: true,
    overdrachtAan: { soort: true },
    melding: { ontvangenOp: true, urgent: true },
    triage: { afgerondOp: true, triagetafel: true },
    dienst: true,
    dienstAfgerondOp: true,
    veiligheidsvoorwaarden: VOORWAARDEN,
    monitoring: { doorVt: true, momentenInMaanden: true },
  },
  veiligheidsvoorwaarden: VOORWAARDEN,
  ontvangstbevestiging: { status: true, ontvangenOp: true, afstemming: { regie: true } },
  'contact-gestart': { gestartOp: true },
  monitoring: { maand: true, uitgevoerdOp: true, uitkomst: true },
  afsluiting: { afgeslotenOp: true, reden: true },
  escalatie: { afspraak: true },
  'escalatie-antwoord': {},
  termijnsignaal: { termijn: true, verlopenOp: true, moetHandelen: true, profiel: true, regel: true, maand: true },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function project(value: Record<string, unknown>, shape: Shape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [member, keep] of Object.entries(shape)) {
    const v = value[member];
    if (v === undefined) continue;
    if (keep === true) out[member] = v;
    else if (Array.isArray(keep)) {
      const item = (keep as readonly [Shape])[0];
      if (Array.isArray(v)) out[member] = v.filter(isRecord).map((x) => project(x, item));
    } else if (isRecord(v)) out[member] = project(v, keep as Shape);
  }
  return out;
}

/**
 * The residue of a stored bericht body (JSON text): its envelope and the lifecycle members of its `inhoud`,
 * as JSON text. A body that is not a bericht of a known type keeps its envelope only.
 */
export function residueOf(body: string): string {
  const parsed: unknown = JSON.parse(body);
  if (!isRecord(parsed)) return '{}';
  const type = parsed.berichtType;
  const inhoudShape = typeof type === 'string' && Object.hasOwn(INHOUD, type) ? INHOUD[type as BerichtType] : undefined;
  const residue = project(parsed, ENVELOPE);
  if (inhoudShape !== undefined && isRecord(parsed.inhoud)) residue.inhoud = project(parsed.inhoud, inhoudShape);
  return JSON.stringify(residue);
}
