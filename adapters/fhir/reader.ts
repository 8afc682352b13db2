/**
 * Reading an untrusted Bundle: a cursor over unknown JSON that knows its FHIRPath, so every value the
 * mapping takes can be traced back to where it came from, and every reference is resolved against the
 * Bundle's entries (by fullUrl, or by `Type/id`). A reference that resolves to nothing is a finding
 * (FHIR-004), not an exception.
 */
import { fhirIssue, type FhirIssue } from './issues.js';

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The entries of a Bundle, indexed for reference resolution, and the findings made while reading. */
export class BundleIndex {
  readonly issues: FhirIssue[] = [];
  readonly #byUrl = new Map<string, FhirNode>();

  constructor(entries: readonly FhirNode[]) {
    for (const entry of entries) {
      const resource = entry.get('resource');
      const fullUrl = entry.value('fullUrl');
      if (typeof fullUrl === 'string' && !this.#byUrl.has(fullUrl)) this.#byUrl.set(fullUrl, resource);
      const type = resource.value('resourceType');
      const id = resource.value('id');
      if (typeof type === 'string' && typeof id === 'string' && !this.#byUrl.has(`${type}/${id}`)) this.#byUrl.set(`${type}/${id}`, resource);
    }
  }

  /** The resource a literal reference points to. */
  lookup(reference: string): FhirNode | undefined {
    const found = this.#byUrl.get(reference);
    return found && new FhirNode(found.json, found.path, this);
  }
}

/** A position in the Bundle: its value (anything) and its FHIRPath. */
export class FhirNode {
  constructor(
    readonly json: unknown,
    readonly path: string,
    readonly index: BundleIndex | undefined,
  ) {}

  /** Whether there is a value here. */
  get exists(): boolean {
    return this.json !== undefined && this.json !== null;
  }

  /** The raw value of a member (undefined when this is not an object). */
  value(key: string): unknown {
    return isObject(this.json) && Object.hasOwn(this.json, key) ? this.json[key] : undefined;
  }

  /** A member as a node. */
  get(key: string): FhirNode {
    return new FhirNode(this.value(key), `${this.path}.${key}`, this.index);
  }

  /** The items of an array member (none when it is absent or not an array). */
  list(key: string): FhirNode[] {
    const value = this.value(key);
    return Array.isArray(value) ? value.map((item, i) => new FhirNode(item, `${this.path}.${key}[${i}]`, this.index)) : [];
  }

  /** The first item of an array member, or a missing node. */
  first(key: string): FhirNode {
    return this.list(key)[0] ?? new FhirNode(undefined, `${this.path}.${key}[0]`, this.index);
  }

  /** The extensions with this url (on `extension`, or on a primitive's `_key`). */
  extensions(url: string, on = 'extension'): FhirNode[] {
    return this.list(on).filter((e) => e.value('url') === url);
  }

  /** The value[x] of the first extension with this url, or undefined. */
  extensionValue(url: string, valueKey: string): unknown {
    return this.extensions(url)[0]?.value(valueKey);
  }

  /** The first identifier with this system, as a node (its `value` is the identifier). */
  identifier(system: string, key = 'identifier'): FhirNode | undefined {
    return this.list(key).find((i) => i.value('system') === system);
  }

  /** The code of the first coding with this system in a CodeableConcept member (or in `coding` of this node). */
  code(system: string): unknown {
    return this.list('coding').find((c) => c.value('system') === system)?.value('code');
  }

  /**
   * Follows a Reference member to the entry it points to. An absent reference gives undefined; one that
   * does not resolve is recorded as FHIR-004 and gives undefined.
   */
  resolve(key?: string): FhirNode | undefined {
    const reference = key === undefined ? this : this.get(key);
    const target = reference.value('reference');
    if (target === undefined) return undefined;
    const found = typeof target === 'string' ? this.index?.lookup(target) : undefined;
    if (!found) this.index?.issues.push(fhirIssue('FHIR-004', `${reference.path}.reference`));
    return found;
  }
}
