/**
 * The few FHIR R4 JSON shapes the mapping writes, and the writer that collects a message Bundle's
 * entries. Entries get deterministic `urn:uuid:` full URLs derived from the berichtId, so the same
 * bericht always maps to the same Bundle (a resend is byte-for-byte the same message).
 */
import { createHash } from 'node:crypto';

/** A FHIR resource or element as JSON. */
export type FhirJson = Record<string, unknown>;

/** A FHIR resource as JSON. */
export interface FhirResource extends FhirJson {
  readonly resourceType: string;
}

/** A Bundle entry. */
export interface BundleEntry {
  readonly fullUrl: string;
  readonly resource: FhirResource;
}

/** A FHIR R4 Bundle as the mapping writes it. */
export interface FhirBundle extends FhirResource {
  readonly resourceType: 'Bundle';
  readonly id: string;
  readonly type: 'message';
  readonly timestamp: string;
  readonly entry: BundleEntry[];
}

/** A Reference to an entry of the same Bundle. */
export interface FhirReference extends FhirJson {
  readonly reference: string;
}

/** A UUID derived from a name (SHA-256, RFC 9562 version 8 layout): stable for the same berichtId and key. */
export function derivedUuid(berichtId: string, key: string): string {
  const hex = createHash('sha256').update(`${berichtId.toLowerCase()}\u0000${key}`).digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Drops members whose value is undefined, so optional members are absent rather than `undefined`. */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** An array, or undefined when it would be empty (FHIR has no empty arrays). */
export const nonEmpty = <T>(items: readonly T[]): T[] | undefined => (items.length > 0 ? [...items] : undefined);

/** Collects the entries of one message Bundle. */
export class BundleWriter {
  readonly #entries: BundleEntry[] = [];
  readonly #berichtId: string;

  constructor(berichtId: string) {
    this.#berichtId = berichtId;
  }

  /** Adds a resource under a key unique in this Bundle; returns a reference to it. */
  add(key: string, resource: FhirResource): FhirReference {
    const id = derivedUuid(this.#berichtId, key);
    const fullUrl = `urn:uuid:${id}`;
    const { resourceType, ...members } = resource;
    this.#entries.push({ fullUrl, resource: { resourceType, id, ...members } });
    return { reference: fullUrl };
  }

  /** The entries in the order they were added. */
  entries(): BundleEntry[] {
    return [...this.#entries];
  }
}
