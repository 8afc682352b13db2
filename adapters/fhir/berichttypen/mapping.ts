/**
 * What it takes to map one bericht type: which resource the MessageHeader focuses on, and the two
 * directions for `inhoud` and `inAntwoordOp`. The envelope (ids, parties, dossier, signatures) is
 * mapped once for all types in to-bundle.ts and from-bundle.ts, so a new bericht type is one file
 * here and one line in ./index.ts.
 */
import type { Bericht, BerichtType } from '../../../src/model/bericht.js';
import type { PathSegments } from '../../../src/rules/rule.js';
import type { Origins } from '../origins.js';
import type { FhirNode } from '../reader.js';
import type { BundleWriter, FhirJson, FhirReference } from '../resource.js';
import { NS } from '../vocabulary.js';

/** What a type's writer gets besides its bericht. */
export interface WriteContext {
  readonly writer: BundleWriter;
  /** The household Group's subject for resources that need one but have no persons (a logical reference by dossier). */
  readonly dossierSubject: FhirJson;
}

/** What a type's reader gets besides the focus. */
export interface ReadContext {
  readonly origins: Origins;
}

/** The mapped content of a bericht. */
export interface MappedContent {
  readonly inhoud: unknown;
  readonly inAntwoordOp: unknown;
}

/** The mapping of one bericht type. */
export interface BerichttypeMapping<T extends BerichtType> {
  readonly type: T;
  /** The resourceType of MessageHeader.focus[0], the resource that stands for the content. */
  readonly focus: string;
  /** A one-line description for the published page. */
  readonly summary: string;
  /** Why these resources and not others, for the published page (where the choice is not obvious). */
  readonly rationale?: string;
  /** The mapping table of the published page: bericht member → FHIR element. */
  readonly table: readonly (readonly [string, string])[];
  /** Writes the content's resources; returns MessageHeader.focus (the focus resource first). */
  toFhir(bericht: Extract<Bericht, { berichtType: T }>, context: WriteContext): FhirReference[];
  /** Reads the content back from the focus resources (already resolved, the first of type `focus`). */
  fromFhir(focus: readonly FhirNode[], context: ReadContext): MappedContent;
}

/** A logical reference to an earlier bericht, by its berichtId as `urn:uuid:`. */
export const berichtReference = (berichtId: string): FhirJson => ({ identifier: { system: NS.uri, value: `urn:uuid:${berichtId}` } });

/** The berichtId of a logical reference to a bericht (the raw value when it is not a `urn:uuid:`). */
export function berichtIdOf(reference: FhirNode | undefined, path: PathSegments, origins: Origins): unknown {
  if (!reference?.exists) return undefined;
  const identifier = reference.get('identifier');
  origins.note(path, identifier);
  const value = identifier.value('value');
  return typeof value === 'string' && value.startsWith('urn:uuid:') ? value.slice('urn:uuid:'.length) : value;
}
