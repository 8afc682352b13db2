/**
 * Persons and their parts, both ways: a BRP-style naam as a HumanName (voorvoegsel with the HL7
 * own-prefix/own-name extensions, as Nictiz does), a Dutch adres as an Address with ISO 21090 parts,
 * contact details as telecom, a directbetrokkene as a Patient and the melder as a RelatedPerson.
 */
import type { PathSegments } from '../../src/rules/rule.js';
import type { Adres, Directbetrokkene, Melder } from '../../src/model/persoon.js';
import { compact, nonEmpty, type FhirJson, type FhirReference } from './resource.js';
import type { Origins } from './origins.js';
import type { FhirNode } from './reader.js';
import { CS, HL7_EXT, NS, extUrl } from './vocabulary.js';

type Naam = Directbetrokkene['naam'];
type Contact = NonNullable<Directbetrokkene['contact']>;

/** A naam as a HumanName. */
export function naamToFhir(naam: Naam): FhirJson {
  return compact({
    family: naam.voorvoegsel === undefined ? naam.geslachtsnaam : `${naam.voorvoegsel} ${naam.geslachtsnaam}`,
    _family:
      naam.voorvoegsel === undefined
        ? undefined
        : { extension: [{ url: HL7_EXT.ownPrefix, valueString: naam.voorvoegsel }, { url: HL7_EXT.ownName, valueString: naam.geslachtsnaam }] },
    given: naam.voornamen === undefined ? undefined : [naam.voornamen],
  });
}

/** A HumanName as a naam. */
export function naamFromFhir(name: FhirNode, path: PathSegments, origins: Origins): Record<string, unknown> {
  origins.note(path, name);
  const family = name.get('_family');
  const ownName = family.extensionValue(HL7_EXT.ownName, 'valueString');
  const given = name.value('given');
  return compact({
    voornamen: Array.isArray(given) && given.every((g) => typeof g === 'string') && given.length > 0 ? given.join(' ') : undefined,
    voorvoegsel: family.extensionValue(HL7_EXT.ownPrefix, 'valueString'),
    geslachtsnaam: ownName ?? name.value('family'),
  });
}

/** Contact details as telecom. */
export function contactToFhir(contact: Contact | undefined): FhirJson[] | undefined {
  if (contact === undefined) return undefined;
  return nonEmpty([
    ...(contact.telefoon === undefined ? [] : [{ system: 'phone', value: contact.telefoon }]),
    ...(contact.email === undefined ? [] : [{ system: 'email', value: contact.email }]),
  ]);
}

/** Telecom as contact details; `{}` when the resource marks an empty contact. */
export function contactFromFhir(resource: FhirNode, path: PathSegments, origins: Origins, key = 'telecom'): Record<string, unknown> | undefined {
  const telecom = resource.list(key);
  const phone = telecom.find((t) => t.value('system') === 'phone');
  const email = telecom.find((t) => t.value('system') === 'email');
  if (!phone && !email) return isMarkedEmpty(resource, 'contact') ? {} : undefined;
  origins.note(path, telecom[0] ?? resource);
  if (phone) origins.note([...path, 'telefoon'], phone);
  if (email) origins.note([...path, 'email'], email);
  return compact({ telefoon: phone?.value('value'), email: email?.value('value') });
}

/** The `leeg` marker for members that are present but empty. */
export const emptyMarker = (members: readonly string[]): FhirJson[] => members.map((m) => ({ url: extUrl('leeg'), valueCode: m }));

/** Whether a resource marks `member` as present but empty. */
export function isMarkedEmpty(resource: FhirNode, member: string): boolean {
  return resource.extensions(extUrl('leeg')).some((e) => e.value('valueCode') === member);
}

/** An adres as an Address: the line as text, its parts as ISO 21090 extensions, the gemeentecode as district. */
export function adresToFhir(adres: Adres): FhirJson {
  const nummer = `${String(adres.huisnummer)}${adres.huisletter ?? ''}${adres.huisnummertoevoeging === undefined ? '' : `-${adres.huisnummertoevoeging}`}`;
  return {
    line: [`${adres.straat} ${nummer}`],
    _line: [
      {
        extension: [
          { url: HL7_EXT.streetName, valueString: adres.straat },
          { url: HL7_EXT.houseNumber, valueString: String(adres.huisnummer) },
          ...(adres.huisletter === undefined ? [] : [{ url: HL7_EXT.buildingNumberSuffix, valueString: adres.huisletter }]),
          ...(adres.huisnummertoevoeging === undefined ? [] : [{ url: HL7_EXT.unitID, valueString: adres.huisnummertoevoeging }]),
        ],
      },
    ],
    postalCode: adres.postcode,
    city: adres.woonplaats,
    district: adres.gemeentecode,
  };
}

/** An Address as an adres. */
export function adresFromFhir(address: FhirNode, path: PathSegments, origins: Origins): Record<string, unknown> {
  origins.note(path, address);
  const parts = address.first('_line');
  const houseNumber = parts.extensionValue(HL7_EXT.houseNumber, 'valueString');
  return compact({
    straat: parts.extensionValue(HL7_EXT.streetName, 'valueString'),
    huisnummer: typeof houseNumber === 'string' && /^\d{1,9}$/.test(houseNumber) ? Number(houseNumber) : houseNumber,
    huisletter: parts.extensionValue(HL7_EXT.buildingNumberSuffix, 'valueString'),
    huisnummertoevoeging: parts.extensionValue(HL7_EXT.unitID, 'valueString'),
    postcode: address.value('postalCode'),
    woonplaats: address.value('city'),
    gemeentecode: address.value('district'),
  });
}

/** A directbetrokkene as a Patient: the local id and BSN as identifiers, the roles as extensions. */
export function persoonToFhir(persoon: Directbetrokkene): FhirJson & { resourceType: 'Patient' } {
  return compact({
    resourceType: 'Patient' as const,
    extension: [
      ...persoon.rollen.map((rol) => ({ url: extUrl('betrokkenenrol'), valueCode: rol })),
      ...emptyMarker(persoon.contact !== undefined && Object.keys(persoon.contact).length === 0 ? ['contact'] : []),
    ],
    identifier: [{ system: NS.persoon, value: persoon.id }, ...(persoon.bsn === undefined ? [] : [{ system: NS.bsn, value: persoon.bsn }])],
    name: [naamToFhir(persoon.naam)],
    telecom: contactToFhir(persoon.contact),
    birthDate: persoon.geboortedatum,
    address: persoon.adres === undefined ? undefined : [adresToFhir(persoon.adres)],
  });
}

/** A Patient as a directbetrokkene. */
export function persoonFromFhir(patient: FhirNode, path: PathSegments, origins: Origins): Record<string, unknown> {
  origins.note(path, patient);
  const id = patient.identifier(NS.persoon);
  const bsn = patient.identifier(NS.bsn);
  if (id) origins.note([...path, 'id'], id);
  if (bsn) origins.note([...path, 'bsn'], bsn);
  const rollen = patient.extensions(extUrl('betrokkenenrol'));
  origins.note([...path, 'rollen'], rollen[0] ?? patient);
  rollen.forEach((rol, i) => { origins.note([...path, 'rollen', i], rol); });
  const name = patient.first('name');
  const address = patient.first('address');
  return compact({
    id: id?.value('value'),
    rollen: rollen.map((r) => r.value('valueCode')),
    naam: name.exists ? naamFromFhir(name, [...path, 'naam'], origins) : undefined,
    geboortedatum: patient.value('birthDate'),
    bsn: bsn?.value('value'),
    adres: address.exists ? adresFromFhir(address, [...path, 'adres'], origins) : undefined,
    contact: contactFromFhir(patient, [...path, 'contact'], origins),
  });
}

/** The melder as a RelatedPerson of the household's first person (RelatedPerson.patient is required). */
export function melderToFhir(melder: Melder, patient: FhirReference | undefined): FhirJson & { resourceType: 'RelatedPerson' } {
  return compact({
    resourceType: 'RelatedPerson' as const,
    extension: [
      { url: extUrl('anoniem'), valueBoolean: melder.anoniem },
      ...(melder.contactNodig === undefined ? [] : [{ url: extUrl('contactNodig'), valueBoolean: melder.contactNodig }]),
      ...emptyMarker(melder.contact !== undefined && Object.keys(melder.contact).length === 0 ? ['contact'] : []),
    ],
    patient,
    relationship: melder.relatie === undefined ? undefined : [{ coding: [{ system: CS.melderrelatie, code: melder.relatie }] }],
    name: melder.naam === undefined ? undefined : [naamToFhir(melder.naam)],
    telecom: contactToFhir(melder.contact),
  });
}

/** A RelatedPerson as the melder. */
export function melderFromFhir(related: FhirNode, path: PathSegments, origins: Origins): Record<string, unknown> {
  origins.note(path, related);
  const name = related.first('name');
  return compact({
    anoniem: related.extensionValue(extUrl('anoniem'), 'valueBoolean'),
    relatie: related.first('relationship').code(CS.melderrelatie),
    naam: name.exists ? naamFromFhir(name, [...path, 'naam'], origins) : undefined,
    contact: contactFromFhir(related, [...path, 'contact'], origins),
    contactNodig: related.extensionValue(extUrl('contactNodig'), 'valueBoolean'),
  });
}
