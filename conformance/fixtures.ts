/**
 * The berichten the suite sends are the spec's own examples (spec/v1/examples/): the valid ones
 * and the invalid ones, each named after the one rule it breaks. New examples (new bericht types,
 * new rules) become cases without code. Every run gives each example a fresh berichtId and dossier
 * reference, consistently (a receipt keeps answering its handover), so a system that keeps state
 * between runs sees new berichten, not resends.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parseStrictJson } from '../src/json/strict-json.js';

/** One example file of the spec. */
export interface ExampleFile {
  /** The file name without `.json`, e.g. `OVD-001-gezaghebbende-ouder-zonder-contact`. */
  readonly name: string;
  readonly kind: 'valid' | 'invalid';
  readonly bytes: Buffer;
  /** The parsed JSON, when the file is JSON. */
  readonly json?: Record<string, unknown>;
  /** For an invalid example: the one rule id it breaks (from its name). */
  readonly rule?: string;
}

/** The package root, found from this module whether it runs from conformance/ or from dist/conformance/. */
export function packageRoot(): URL {
  for (let dir = new URL('./', import.meta.url); ; dir = new URL('../', dir)) {
    if (existsSync(new URL('package.json', dir)) && existsSync(new URL('spec/v1/rules.md', dir))) return dir;
    if (dir.pathname === '/') throw new Error('spec/v1 is not found beside the conformance suite');
  }
}

function load(kind: 'valid' | 'invalid'): ExampleFile[] {
  const dir = new URL(`spec/v1/examples/${kind}/`, packageRoot());
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const bytes = readFileSync(new URL(f, dir));
      let json: Record<string, unknown> | undefined;
      try {
        const value: unknown = parseStrictJson(bytes.toString('utf8'));
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) json = value as Record<string, unknown>;
      } catch {
        json = undefined;
      }
      const name = f.slice(0, -'.json'.length);
      const rule = kind === 'invalid' ? /^([A-Z]{3}-\d{3})/.exec(name)?.[1] : undefined;
      return { name, kind, bytes, ...(json === undefined ? {} : { json }), ...(rule === undefined ? {} : { rule }) };
    });
}

let cache: { valid: ExampleFile[]; invalid: ExampleFile[] } | undefined;

/** The spec's examples, loaded once. */
export function examples(): { readonly valid: readonly ExampleFile[]; readonly invalid: readonly ExampleFile[] } {
  cache ??= { valid: load('valid'), invalid: load('invalid') };
  return cache;
}

/** A valid example by name. */
export function validExample(name: string): ExampleFile {
  const found = examples().valid.find((e) => e.name === name);
  if (!found) throw new Error(`spec/v1/examples/valid/${name}.json is missing`);
  return found;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Per-run renaming of the examples' identities: every berichtId (and every reference to it) gets a
 * fresh UUID, every dossier reference a run suffix, and `rename` maps other strings (OINs,
 * gemeentecodes) to the ones of the system under test.
 */
export class RunIdentities {
  readonly #ids: Map<string, string> = new Map<string, string>();
  readonly #suffix: string = randomBytes(3).toString('hex');
  readonly #rename: ReadonlyMap<string, string>;
  readonly #roles: ReadonlyMap<string, string>;

  constructor(rename: ReadonlyMap<string, string> = new Map(), shared?: { ids: Map<string, string>; suffix: string }, roles: ReadonlyMap<string, string> = new Map()) {
    this.#rename = rename;
    this.#roles = roles;
    if (shared) {
      this.#ids = shared.ids;
      this.#suffix = shared.suffix;
    }
  }

  /** The same identities, with other strings renamed (e.g. the example's receiver to the system under test). */
  withRename(rename: ReadonlyMap<string, string>): RunIdentities {
    return new RunIdentities(rename, { ids: this.#ids, suffix: this.#suffix }, this.#roles);
  }

  /**
   * The same identities, with every party entry (`verzender`, an `ontvangers` entry) of an OIN in `roles` given that
   * role after renaming: the system under test named with the role it is registered with (`--sut-rol`).
   */
  withRoles(roles: ReadonlyMap<string, string>): RunIdentities {
    return new RunIdentities(this.#rename, { ids: this.#ids, suffix: this.#suffix }, roles);
  }

  /** The run's id for an example berichtId. */
  id(exampleId: string): string {
    const key = exampleId.toLowerCase();
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = randomUUID();
      this.#ids.set(key, id);
    }
    return id;
  }

  /** The run's dossier reference for an example's. */
  referentie(example: string): string {
    return `${example}-${this.#suffix}`;
  }

  /** A deep copy of an example with this run's identities. */
  apply<T>(value: T): T {
    const visit = (v: unknown, key: string): unknown => {
      if (typeof v === 'string') {
        if (key === 'referentie') return this.referentie(v);
        if ((key === 'berichtId' || key === 'inAntwoordOp') && UUID.test(v)) return this.id(v);
        return this.#rename.get(v) ?? v;
      }
      if (Array.isArray(v)) return v.map((item) => visit(item, key));
      if (typeof v === 'object' && v !== null) {
        const copy: Record<string, unknown> = Object.fromEntries(Object.entries(v).map(([k, item]) => [k, visit(item, k)]));
        const rol = typeof copy.oin === 'string' && 'rol' in copy ? this.#roles.get(copy.oin) : undefined;
        return rol === undefined ? copy : { ...copy, rol };
      }
      return v;
    };
    return visit(value, '') as T;
  }
}
