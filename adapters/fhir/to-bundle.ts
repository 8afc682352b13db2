/**
 * Bericht → FHIR R4 message Bundle. The envelope maps the same for every type: the MessageHeader
 * (first entry; its id is the berichtId) names the type as eventCoding, the sender and each receiver
 * as an Organization with its OIN as identifier, the dossier as an extension and the spec version as
 * the version of its MessageDefinition; the signatures travel in a Provenance. The content is the
 * bericht type's mapping (./berichttypen/). Deterministic: the same bericht gives the same Bundle.
 */
import type { Bericht, BerichtType } from '../../src/model/bericht.js';
import { MAPPINGS } from './berichttypen/index.js';
import type { BerichttypeMapping, WriteContext } from './berichttypen/mapping.js';
import { BundleWriter, compact, nonEmpty, type FhirBundle, type FhirReference, type FhirResource } from './resource.js';
import { CS, MESSAGE_DEFINITION, NS, SIGNATURE_TYPE, extUrl } from './vocabulary.js';

/** The endpoint URI of a participant in MessageHeader.source/destination: its OIN as a URN. */
export const oinEndpoint = (oin: string): string => `urn:zicht:oin:${oin}`;

type Signature = NonNullable<Bericht['signatures']>[number];

const organization = (oin: string, rol: string): FhirResource => ({
  resourceType: 'Organization',
  identifier: [{ system: NS.oin, value: oin }],
  type: [{ coding: [{ system: CS.deelnemersrol, code: rol }] }],
});

/** The protected header members a Provenance signature shows: when and by whom (undefined when unreadable). */
function signatureHeader(signature: Signature): { when?: string; oin?: string } {
  try {
    const header = JSON.parse(Buffer.from(signature.protected, 'base64url').toString('utf8')) as { iat?: unknown; oin?: unknown };
    return compact({
      when: typeof header.iat === 'number' && Number.isFinite(header.iat) ? new Date(header.iat * 1000).toISOString() : undefined,
      oin: typeof header.oin === 'string' ? header.oin : undefined,
    });
  } catch {
    return {};
  }
}

/** A detached JWS as Provenance.signature.data: base64 of its compact form `protected..signature`. */
export const signatureData = (signature: Signature): string => Buffer.from(`${signature.protected}..${signature.signature}`, 'utf8').toString('base64');

/** The content's resources, by the bericht type's mapping (one mapping per type, so the cast is exact). */
function contentOf(bericht: Bericht, context: WriteContext): FhirReference[] {
  const mapping = MAPPINGS[bericht.berichtType] as BerichttypeMapping<BerichtType>;
  return mapping.toFhir(bericht, context);
}

/** Maps a bericht to a FHIR R4 message Bundle. */
export function berichtToBundle(bericht: Bericht): FhirBundle {
  const writer = new BundleWriter(bericht.berichtId);
  const headerUrl = `urn:uuid:${bericht.berichtId}`;
  const sender = writer.add('verzender', organization(bericht.verzender.oin, bericht.verzender.rol));
  const receivers = bericht.ontvangers.map((o, i) => writer.add(`ontvanger/${String(i)}`, organization(o.oin, o.rol)));
  const focus = contentOf(bericht, {
    writer,
    dossierSubject: { type: 'Group', identifier: { system: NS.dossier, value: bericht.dossier.referentie } },
  });
  if (bericht.signatures !== undefined) {
    writer.add('handtekeningen', {
      resourceType: 'Provenance',
      target: [{ reference: headerUrl }],
      recorded: bericht.verzondenOp,
      agent: [{ who: sender }],
      signature: bericht.signatures.map((s, i) => {
        const header = signatureHeader(s);
        return {
          type: [{ system: SIGNATURE_TYPE.system, code: i === 0 ? SIGNATURE_TYPE.author : SIGNATURE_TYPE.verification }],
          when: header.when ?? bericht.verzondenOp,
          who: { type: 'Organization', identifier: { system: NS.oin, value: header.oin ?? bericht.verzender.oin } },
          targetFormat: 'application/json',
          sigFormat: 'application/jose',
          data: signatureData(s),
        };
      }),
    });
  }
  const header: FhirResource = {
    resourceType: 'MessageHeader',
    id: bericht.berichtId,
    extension: [
      {
        url: extUrl('dossier'),
        extension: [
          { url: 'referentie', valueString: bericht.dossier.referentie },
          { url: 'volgnummer', valuePositiveInt: bericht.dossier.volgnummer },
        ],
      },
    ],
    eventCoding: { system: CS.berichttype, code: bericht.berichtType },
    destination: bericht.ontvangers.map((o, i) =>
      compact({
        extension: nonEmpty([
          ...(o.gemeentecode === undefined ? [] : [{ url: extUrl('gemeentecode'), valueCode: o.gemeentecode }]),
          ...(o.kopie === undefined ? [] : [{ url: extUrl('kopie'), valueBoolean: o.kopie }]),
        ]),
        endpoint: oinEndpoint(o.oin),
        receiver: receivers[i],
      }),
    ),
    sender,
    source: { endpoint: oinEndpoint(bericht.verzender.oin) },
    focus,
    definition: `${MESSAGE_DEFINITION}|${bericht.specVersie}`,
  };
  return {
    resourceType: 'Bundle',
    id: bericht.berichtId,
    type: 'message',
    timestamp: bericht.verzondenOp,
    entry: [{ fullUrl: headerUrl, resource: header }, ...writer.entries()],
  };
}
