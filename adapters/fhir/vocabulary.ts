/**
 * The FHIR vocabulary of the Zicht mapping: the canonical base, the code systems, naming systems and
 * extensions the mapping uses. One list, read by the mapping in both directions and by the generator
 * of spec/v1/fhir/, so the published profile cannot drift from what the code produces.
 */

/** Canonical base of every Zicht FHIR artefact. */
export const FHIR_BASE = 'https://zicht.example/fhir';

/** Code systems (each published as a CodeSystem in spec/v1/fhir/). */
export const CS = {
  berichttype: `${FHIR_BASE}/CodeSystem/berichttype`,
  deelnemersrol: `${FHIR_BASE}/CodeSystem/deelnemersrol`,
  betrokkenenrol: `${FHIR_BASE}/CodeSystem/betrokkenenrol`,
  melderrelatie: `${FHIR_BASE}/CodeSystem/melderrelatie`,
  overdrachtmoment: `${FHIR_BASE}/CodeSystem/overdrachtmoment`,
  overdrachtAan: `${FHIR_BASE}/CodeSystem/overdracht-aan`,
  beoordeling: `${FHIR_BASE}/CodeSystem/beoordeling`,
  oordeelHuiselijkGeweld: `${FHIR_BASE}/CodeSystem/oordeel-huiselijk-geweld`,
  oordeelKindermishandeling: `${FHIR_BASE}/CodeSystem/oordeel-kindermishandeling`,
  tekstsoort: `${FHIR_BASE}/CodeSystem/tekstsoort`,
  taak: `${FHIR_BASE}/CodeSystem/taak`,
  monitoringuitkomst: `${FHIR_BASE}/CodeSystem/monitoringuitkomst`,
  afsluitreden: `${FHIR_BASE}/CodeSystem/afsluitreden`,
  afspraak: `${FHIR_BASE}/CodeSystem/afspraak`,
  termijn: `${FHIR_BASE}/CodeSystem/termijn`,
  /** The named parts of a lifecycle bericht that sit in a typed slot (Observation.component, Task.input). */
  gegeven: `${FHIR_BASE}/CodeSystem/gegeven`,
} as const;

/** Identifier systems. BSN is the Dutch national one (Nictiz); the others are Zicht's. */
export const NS = {
  oin: `${FHIR_BASE}/NamingSystem/oin`,
  bsn: 'http://fhir.nl/fhir/NamingSystem/bsn',
  /** The local `id` of a directbetrokkene, unique within one bericht. */
  persoon: `${FHIR_BASE}/NamingSystem/persoon`,
  voorwaarde: `${FHIR_BASE}/NamingSystem/voorwaarde`,
  dossier: `${FHIR_BASE}/NamingSystem/dossier`,
  vtRegio: `${FHIR_BASE}/NamingSystem/vt-regio`,
  /** RFC 3986 URIs: berichtIds as `urn:uuid:…`. */
  uri: 'urn:ietf:rfc:3986',
} as const;

/** Core HL7 extensions the mapping reuses (Dutch name and address parts, as Nictiz does). */
export const HL7_EXT = {
  ownPrefix: 'http://hl7.org/fhir/StructureDefinition/humanname-own-prefix',
  ownName: 'http://hl7.org/fhir/StructureDefinition/humanname-own-name',
  streetName: 'http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-streetName',
  houseNumber: 'http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-houseNumber',
  buildingNumberSuffix: 'http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-buildingNumberSuffix',
  unitID: 'http://hl7.org/fhir/StructureDefinition/iso21090-ADXP-unitID',
} as const;

/** A Zicht extension: where it sits, its value type, and why no standard element fits. */
export interface ZichtExtension {
  readonly id: string;
  readonly context: readonly string[];
  /** The value[x] type, or `complex` with sub-extensions. */
  readonly type: 'boolean' | 'code' | 'positiveInt' | 'Identifier' | 'complex';
  readonly max: '1' | '*';
  readonly description: string;
  readonly slices?: readonly { readonly url: string; readonly type: 'boolean' | 'string' | 'positiveInt'; readonly max: '1' | '*'; readonly min: 0 | 1; readonly description: string }[];
}

const extension = <T extends ZichtExtension>(e: T) => e;

/** The Zicht extensions, by key; `url` of each is `${FHIR_BASE}/StructureDefinition/${id}`. */
export const ZICHT_EXTENSIONS = {
  dossier: extension({
    id: 'dossier',
    context: ['MessageHeader'],
    type: 'complex',
    max: '1',
    description: "The bericht's dossier: VT's pseudonymous case reference and the sender's sequence number in it (BER-009, BER-011). No MessageHeader element carries a case and a sequence number.",
    slices: [
      { url: 'referentie', type: 'string', min: 1, max: '1', description: 'dossier.referentie' },
      { url: 'volgnummer', type: 'positiveInt', min: 1, max: '1', description: 'dossier.volgnummer' },
    ],
  }),
  kopie: extension({ id: 'kopie', context: ['MessageHeader.destination'], type: 'boolean', max: '1', description: 'The receiver gets the bericht in cc (ontvangers[].kopie, Z-L Bijlage 3a.1).' }),
  gemeentecode: extension({ id: 'gemeentecode', context: ['MessageHeader.destination'], type: 'code', max: '1', description: 'The CBS gemeentecode the receiver acts for (ontvangers[].gemeentecode, BER-014).' }),
  betrokkenenrol: extension({ id: 'betrokkenenrol', context: ['Patient'], type: 'code', max: '*', description: 'The roles of a directbetrokkene (slachtoffer, kind, gezaghebbende-ouder, …), in order. Patient has no role element.' }),
  anoniem: extension({ id: 'anoniem', context: ['RelatedPerson'], type: 'boolean', max: '1', description: 'The melder is anonymous (OVD-002).' }),
  contactNodig: extension({ id: 'contact-nodig', context: ['RelatedPerson'], type: 'boolean', max: '1', description: 'After a service: the lokale veld needs to contact the melder (OVD-004).' }),
  triagetafel: extension({ id: 'triagetafel', context: ['ClinicalImpression'], type: 'boolean', max: '1', description: 'Handed over at the triage table (Z-L 2i).' }),
  tekstsoort: extension({ id: 'tekstsoort', context: ['Communication.payload'], type: 'code', max: '1', description: 'Which text of the handover a payload carries (advies, consequenties, afsprakenPlan, …); payload has no code.' }),
  toestemming: extension({ id: 'toestemming', context: ['Communication'], type: 'Identifier', max: '*', description: 'A gezaghebbende ouder who consented to the handover (Z-L Bijlage 3a.5), by the local person id. A Consent resource would need a policy and scope the source agreements do not give.' }),
  monitoring: extension({
    id: 'monitoring',
    context: ['Communication'],
    type: 'complex',
    max: '1',
    description: "VT's monitoring after the handover (Z-L 5.2.6, Bijlage 2): whether VT monitors, at which months, and why not.",
    slices: [
      { url: 'doorVt', type: 'boolean', min: 1, max: '1', description: 'monitoring.doorVt' },
      { url: 'momentInMaanden', type: 'positiveInt', min: 0, max: '*', description: 'monitoring.momentenInMaanden, in order' },
      { url: 'toelichting', type: 'string', min: 0, max: '1', description: 'monitoring.toelichting' },
    ],
  }),
  voorwaardenVersie: extension({ id: 'voorwaarden-versie', context: ['CarePlan'], type: 'positiveInt', max: '1', description: 'The version of the set of veiligheidsvoorwaarden (VVW-004); CarePlan has no business version.' }),
  leeg: extension({ id: 'leeg', context: ['Communication', 'Patient', 'RelatedPerson', 'Task'], type: 'code', max: '*', description: 'An optional member that is present but empty in the bericht (`[]` or `{}`), which FHIR cannot express otherwise; kept so the round trip is exact and the signature still verifies.' }),
} as const;

/** The URL of a Zicht extension. */
export const extUrl = (key: keyof typeof ZICHT_EXTENSIONS): string => `${FHIR_BASE}/StructureDefinition/${ZICHT_EXTENSIONS[key].id}`;

/** The canonical of the message definition; its version is the bericht's `specVersie`. */
export const MESSAGE_DEFINITION = `${FHIR_BASE}/MessageDefinition/zicht`;

/** The core extension that says why a required element has no value (R4 data-absent-reason). */
export const DATA_ABSENT_REASON = 'http://hl7.org/fhir/StructureDefinition/data-absent-reason';

/** ISO-ASTM E1762-95 signature types (the FHIR R4 signature-type value set). */
export const SIGNATURE_TYPE = {
  system: 'urn:iso-astm:E1762-95:2013',
  author: '1.2.840.10065.1.12.1.1',
  verification: '1.2.840.10065.1.12.1.5',
} as const;
