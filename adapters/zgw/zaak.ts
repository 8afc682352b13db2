/**
 * A delivered overdracht (handover) becomes a zaak in the gemeente's Zaken API: a zaak of the
 * configured zaaktype, the handover as an informatieobject (an EnkelvoudigInformatieObject in the
 * Documenten API whose `link` is the dossier's page in the gateway's console, related to the zaak by a
 * ZaakInformatieObject) and a Rol per directbetrokkene and role. Only what the case system needs is
 * copied: the persons' names, BSN and birth date into the rollen (the gemeente's own case file), the
 * dossier's pseudonymous reference and the berichtId as kenmerken; no text of the melding.
 * Each step is recorded in the link, so a retry continues where the last attempt stopped.
 */
import type { Bericht } from '../../src/model/bericht.js';
import type { ZgwConfig } from './config.js';
import { urlOf, zgwRequest } from './client.js';
import { inhoudVan, updateLink, type ZaakLink, type ZaakLinks } from './links.js';

type Overdracht = Extract<Bericht, { berichtType: 'overdracht' }>;

const date = (iso: string): string => iso.slice(0, 10);

/** The (person, role) pairs of a handover, in order: one Rol each. */
function rolParen(bericht: Overdracht) {
  return bericht.inhoud.directbetrokkenen.flatMap((persoon) => persoon.rollen.map((rol) => ({ persoon, rol })));
}

/**
 * Makes (or finishes) the zaak for a handover; returns its link. Throws {@link ZgwError} when an API
 * fails; what was made before the failure is kept in the link.
 */
export async function zaakVoorOverdracht(bericht: Overdracht, config: ZgwConfig, links: ZaakLinks, now: Date = new Date()): Promise<ZaakLink> {
  let link: ZaakLink = links.byBericht(bericht.berichtId) ?? {
    berichtId: bericht.berichtId,
    dossier: bericht.dossier.referentie,
    vtOin: bericht.verzender.oin,
    ontvangenOp: now.toISOString(),
    teams: bericht.ontvangers.filter((o) => o.kopie !== true).map((o) => o.oin),
    inhoud: inhoudVan(bericht),
    rollen: 0,
    compleet: false,
    geaccepteerd: false,
  };
  links.save(link);
  if (link.compleet) return link;
  const { client, api, rsin, catalogus } = config;

  const zaak =
    link.zaak ??
    urlOf(
      await zgwRequest(client, 'POST', `${api.zaken}/zaken`, {
        bronorganisatie: rsin,
        verantwoordelijkeOrganisatie: rsin,
        zaaktype: catalogus.zaaktype,
        startdatum: date(link.ontvangenOp),
        registratiedatum: date(link.ontvangenOp),
        omschrijving: 'Overdracht Veilig Thuis',
        vertrouwelijkheidaanduiding: 'zeer_geheim',
        kenmerken: [
          { kenmerk: bericht.dossier.referentie, bron: 'Veilig Thuis dossier' },
          { kenmerk: bericht.berichtId, bron: 'Zicht berichtId' },
        ],
      }),
    );
  link = updateLink(links, link, (l) => { l.zaak = zaak; });

  const informatieobject =
    link.informatieobject ??
    urlOf(
      await zgwRequest(client, 'POST', `${api.documenten}/enkelvoudiginformatieobjecten`, {
        bronorganisatie: rsin,
        creatiedatum: date(bericht.verzondenOp),
        titel: `Overdracht Veilig Thuis ${bericht.berichtId}`,
        auteur: 'Veilig Thuis',
        taal: 'dut', // ISO 639-2/B, as the Documenten API asks
        formaat: 'application/json',
        // Where a case worker opens the handover's context: the dossier page of the gateway's console (a
        // gemeente session), not an API route that only answers a participant's bearer token.
        link: `${config.gateway.url.replace(/\/$/, '')}/console/dossiers/${encodeURIComponent(bericht.dossier.referentie)}`,
        informatieobjecttype: catalogus.informatieobjecttype,
        vertrouwelijkheidaanduiding: 'zeer_geheim',
        indicatieGebruiksrecht: false,
      }),
    );
  link = updateLink(links, link, (l) => { l.informatieobject = informatieobject; });

  if (link.zaakinformatieobject !== true) {
    await zgwRequest(client, 'POST', `${api.zaken}/zaakinformatieobjecten`, { zaak, informatieobject, titel: 'Overdracht Veilig Thuis' });
    link = updateLink(links, link, (l) => { l.zaakinformatieobject = true; });
  }

  const paren = rolParen(bericht);
  for (const { persoon, rol } of paren.slice(link.rollen)) {
    await zgwRequest(client, 'POST', `${api.zaken}/rollen`, {
      zaak,
      betrokkeneType: 'natuurlijk_persoon',
      roltype: catalogus.roltypen[rol],
      roltoelichting: rol,
      betrokkeneIdentificatie: {
        ...(persoon.bsn === undefined ? {} : { inpBsn: persoon.bsn }),
        geslachtsnaam: persoon.naam.geslachtsnaam,
        ...(persoon.naam.voorvoegsel === undefined ? {} : { voorvoegselGeslachtsnaam: persoon.naam.voorvoegsel }),
        ...(persoon.naam.voornamen === undefined ? {} : { voornamen: persoon.naam.voornamen }),
        ...(persoon.geboortedatum === undefined ? {} : { geboortedatum: persoon.geboortedatum }),
      },
    });
    link = updateLink(links, link, (l) => { l.rollen += 1; });
  }
  return updateLink(links, link, (l) => { l.compleet = true; });
}
