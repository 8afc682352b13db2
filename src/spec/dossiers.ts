/**
 * The OpenAPI paths of the dossier ledger (issue 6): who is responsible for zicht op veiligheid at an
 * instant, and the timeline with its terms. Registered once from buildOpenApi.
 */
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { Bron } from '../profiles/profiel.js';
import { Deelnemersrol } from '../model/bericht.js';
import { Oin, Tijdstip, Uuid } from '../model/primitives.js';
import { TermijnSoort } from '../model/levenscyclus.js';

const Verantwoordelijke = z
  .strictObject({
    oin: Oin,
    rol: Deelnemersrol,
    sinds: Tijdstip,
    regel: z.strictObject({ profiel: z.string(), regel: z.string(), bron: Bron, toelichting: z.string().meta({ description: 'What happened, in a few words of English for people; informative, not part of the answer a client compares or parses.' }) }),
    berichten: z.array(Uuid).meta({ description: "The berichten that make it so: for VT's first period the dossier's first handover; for a transfer the handover and the receipts by which its rule was met by then (under `ontvangst` the receiver's ontvangen and geaccepteerd, under `acceptatie` its geaccepteerd, under `termijn` none, with two or more gemeenten every receipt naming the lead); for a return the handover and the niet-geaccepteerd receipts (implementation-questions.md Q326)." }),
    mede: z.array(Oin).optional().meta({ description: 'With two or more gemeenten: the other addressed teams, which named this one to lead (afstemming, Z-L 5.2.4).' }),
  })
  .meta({ id: 'Verantwoordelijke', description: 'The party responsible for zicht op veiligheid, since when, by which profile rule and berichten.' });

const Bij = z.enum(['ontvangst', 'acceptatie', 'termijn']);

const OverdrachtStand = z
  .strictObject({
    overdracht: Uuid,
    regel: z.string(),
    bij: Bij,
    meerdereGemeenten: z.boolean().meta({ description: 'Handed over to two or more receivers (not in cc): the afstemming decides (Z-L 5.2.4).' }),
    teams: z.array(
      z.strictObject({
        oin: Oin,
        status: z.enum(['wacht', 'ontvangen', 'geaccepteerd', 'niet-geaccepteerd']),
        voldaan: z.boolean().meta({ description: "Whether its answers (or the term) meet the profile's rule for this moment; with two or more gemeenten also true for a niet-geaccepteerd that names another team to lead (its part of the afstemming is done, responsibility.md §3; Q335), false for one that names none." }),
        regie: Oin.optional().meta({ description: 'The team it named to lead (afstemming.regie).' }),
      }),
    ),
    regie: Oin.optional().meta({ description: 'The team all receivers named to lead, once they agree.' }),
    houder: Oin.meta({ description: 'Who holds zicht by this handover: VT or the team it passed to.' }),
    toelichting: z.string().meta({ description: 'Why, in a few words of English for people; informative, not part of the answer a client compares or parses.' }),
  })
  .meta({ id: 'OverdrachtStand', description: 'Where a handover stands at an instant: its receivers, their answers, the agreed lead and who holds zicht by it (spec/v1/responsibility.md).' });

const Verantwoordelijkheid = z
  .strictObject({
    dossier: z.string(),
    op: Tijdstip,
    profiel: z.string(),
    stand: z.enum(['nog-niet-begonnen', 'verantwoordelijk', 'afgesloten']).meta({ description: 'Before VT became responsible (begintOp), someone holds zicht (verantwoordelijke), or closed (afgeslotenOp).' }),
    begintOp: Tijdstip.optional().meta({ description: 'When VT became (or becomes) responsible; absent without a handover.' }),
    verantwoordelijke: Verantwoordelijke.optional(),
    afgeslotenOp: Tijdstip.optional(),
    overdrachten: z.array(OverdrachtStand),
  })
  .meta({ id: 'Verantwoordelijkheid', description: 'Who is responsible at the instant `op`: not yet begun, a party, or closed; and where each handover stands.' });

const OverdrachtOverzicht = z
  .strictObject({
    berichtId: Uuid,
    vt: Oin,
    verzondenOp: Tijdstip.meta({ description: "When VT says it sent the handover: its statement, reported; the ledger does not count from it." }),
    rcv: Tijdstip.meta({ description: "When the gateway accepted the handover (its countersignature's rcv): the ledger counts the handover and its termijn from here (spec/v1/responsibility.md §5)." }),
    regel: z.string(),
    bij: Bij,
    termijnEinde: Tijdstip.optional(),
    triagetafelBelegd: z.boolean(),
    teams: z.array(z.strictObject({ oin: Oin, rol: Deelnemersrol })),
    antwoorden: z.array(z.strictObject({ oin: Oin, status: z.enum(['ontvangen', 'geaccepteerd', 'niet-geaccepteerd']), op: Tijdstip.meta({ description: 'When the gateway accepted the answer.' }), berichtId: Uuid, regie: Oin.optional() })),
  })
  .meta({ id: 'OverdrachtOverzicht', description: "A handover, its profile rule, its receivers (not in cc) and their answers in time order: what decides each transfer." });

const Tijdlijn = z
  .strictObject({
    dossier: z.string(),
    profiel: z.string(),
    nu: Tijdstip,
    vtVerantwoordelijkSinds: Tijdstip.optional(),
    afgeslotenOp: Tijdstip.optional(),
    perioden: z.array(z.strictObject({ van: Tijdstip, tot: Tijdstip.optional(), verantwoordelijke: Verantwoordelijke })),
    tijdlijn: z.array(z.strictObject({ op: Tijdstip, soort: z.string(), oin: Oin, berichtId: z.string() })),
    termijnen: z.array(
      z.strictObject({
        soort: TermijnSoort,
        regel: z.string(),
        bron: Bron,
        berichtId: Uuid,
        moetHandelen: Oin,
        start: Tijdstip,
        uiterlijk: Tijdstip,
        maand: z.int().optional(),
        status: z.enum(['gehaald', 'open', 'gemist', 'vervallen']),
        gehaaldOp: Tijdstip.optional(),
        gehaaldMet: Uuid.optional(),
      }),
    ),
    overdrachten: z.array(OverdrachtOverzicht),
  })
  .meta({ id: 'Tijdlijn', description: "A dossier's ledger: periods of responsibility, timeline (metadata only) and terms met, open or missed." });

/** The helpers of buildOpenApi the dossier paths share. */
export interface PathHelpers {
  readonly versionHeader: Record<string, unknown>;
  readonly security: Record<string, string[]>[];
  readonly authenticated: Record<number, unknown>;
  /** The 403 of the dossier routes: not a participant of the dossier, nor an auditor. */
  readonly forbidden: Record<number, unknown>;
  readonly problem: (description: string) => unknown;
}

/** Registers the dossier paths. */
export function registerDossierPaths(registry: OpenAPIRegistry, h: PathHelpers): void {
  const ref = z.object({ ref: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/).meta({ param: { description: 'The dossier reference.' } }) });
  const responses = (schema: z.ZodType, description: string) => ({
    200: { description, headers: h.versionHeader, content: { 'application/json': { schema } } },
    ...h.authenticated,
    ...h.forbidden,
    404: h.problem('No dossier with this reference.'),
  });
  registry.registerPath({
    method: 'get',
    path: '/dossiers/{ref}/verantwoordelijkheid',
    operationId: 'getVerantwoordelijkheid',
    tags: ['dossiers'],
    summary: 'Who is responsible for zicht op veiligheid',
    description: "Who is responsible at instant `op` (default now; not in the future): OIN, role, since when, the region profile rule with its source, and the berichten that make it so. Every event counts from when the gateway accepted its bericht (its countersignature's `rcv`), not from the sender's `verzondenOp` (spec/v1/responsibility.md §5). Only for the dossier's participants and auditors.",
    security: h.security,
    request: { params: ref, query: z.object({ op: Tijdstip.optional().meta({ param: { description: 'The instant (RFC 3339 date-time with offset).' } }) }) },
    responses: responses(Verantwoordelijkheid, 'Who is responsible.') as never,
  });
  registry.registerPath({
    method: 'get',
    path: '/dossiers/{ref}/tijdlijn',
    operationId: 'getTijdlijn',
    tags: ['dossiers'],
    summary: "A dossier's timeline and terms",
    description: "The periods of responsibility, the timeline (metadata only) and the terms met, open and missed, each at the instants the gateway accepted the berichten (`rcv`), as in /verantwoordelijkheid. Only for the dossier's participants and auditors.",
    security: h.security,
    request: { params: ref },
    responses: responses(Tijdlijn, 'The ledger.') as never,
  });
}
