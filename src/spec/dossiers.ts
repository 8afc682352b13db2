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
    regel: z.strictObject({ profiel: z.string(), regel: z.string(), bron: Bron, toelichting: z.string() }),
    berichten: z.array(Uuid).meta({ description: 'The berichten that make it so.' }),
  })
  .meta({ id: 'Verantwoordelijke', description: 'The party responsible for zicht op veiligheid, since when, by which profile rule and berichten.' });

const Verantwoordelijkheid = z
  .strictObject({ dossier: z.string(), op: Tijdstip, profiel: z.string(), verantwoordelijke: Verantwoordelijke.optional(), afgeslotenOp: Tijdstip.optional() })
  .meta({ id: 'Verantwoordelijkheid', description: 'Who is responsible at the instant `op`; absent before VT became responsible and after closure.' });

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
  })
  .meta({ id: 'Tijdlijn', description: "A dossier's ledger: periods of responsibility, timeline (metadata only) and terms met, open or missed." });

/** The helpers of buildOpenApi the dossier paths share. */
export interface PathHelpers {
  readonly versionHeader: Record<string, unknown>;
  readonly security: Record<string, string[]>[];
  readonly authenticated: Record<number, unknown>;
  readonly problem: (description: string) => unknown;
}

/** Registers the dossier paths. */
export function registerDossierPaths(registry: OpenAPIRegistry, h: PathHelpers): void {
  const ref = z.object({ ref: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/).meta({ param: { description: 'The dossier reference.' } }) });
  const responses = (schema: z.ZodType, description: string) => ({
    200: { description, headers: h.versionHeader, content: { 'application/json': { schema } } },
    ...h.authenticated,
    404: h.problem('No dossier with this reference.'),
  });
  registry.registerPath({
    method: 'get',
    path: '/dossiers/{ref}/verantwoordelijkheid',
    operationId: 'getVerantwoordelijkheid',
    tags: ['dossiers'],
    summary: 'Who is responsible for zicht op veiligheid',
    description: "Who is responsible at instant `op` (default now; not in the future): OIN, role, since when, the region profile rule with its source, and the berichten that make it so. Only for the dossier's participants and auditors.",
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
    description: "The periods of responsibility, the timeline (metadata only) and the terms met, open and missed. Only for the dossier's participants and auditors.",
    security: h.security,
    request: { params: ref },
    responses: responses(Tijdlijn, 'The ledger.') as never,
  });
}
