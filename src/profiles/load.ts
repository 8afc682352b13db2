/**
 * Loading the published region profiles (spec/v1/profiles/*.json). Each file is validated against
 * {@link Profiel} and must be named after its id; a new region is a new file, not new code.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { parseStrictJson } from '../json/strict-json.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JsonError, ProfielError } from '../errors.js';
import { Profiel, STANDAARD_PROFIEL } from './profiel.js';

/** The folder of the published profiles: spec/v1/profiles of this package (found from src/ and dist/src/ alike). */
export function profielenDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'spec', 'v1', 'profiles');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new ProfielError('ZICHT_PROFIEL_UNKNOWN', 'The folder spec/v1/profiles was not found.');
    dir = parent;
  }
}

/** Parses one profile file's text; `id` is the file name without `.json`. */
export function parseProfiel(text: string, id: string): Profiel {
  let value: unknown;
  try {
    value = parseStrictJson(text);
  } catch (error) {
    throw new ProfielError('ZICHT_PROFIEL_INVALID', error instanceof JsonError ? `Profile ${id}: ${error.message}` : `Profile ${id} is not JSON.`, { cause: error });
  }
  const parsed = Profiel.safeParse(value);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new ProfielError('ZICHT_PROFIEL_INVALID', `Profile ${id} does not match the Profiel schema at: ${paths}.`);
  }
  if (parsed.data.id !== id) throw new ProfielError('ZICHT_PROFIEL_INVALID', `Profile file ${id}.json has id ${parsed.data.id}.`);
  return parsed.data;
}

/** Every profile in `dir` (default: the published ones), by id. */
export function loadProfielen(dir: string = profielenDir()): ReadonlyMap<string, Profiel> {
  const profielen = new Map<string, Profiel>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const id = name.slice(0, -'.json'.length);
    profielen.set(id, parseProfiel(readFileSync(join(dir, name), 'utf8'), id));
  }
  return profielen;
}

/**
 * The profile with this id (default {@link STANDAARD_PROFIEL}) from a set of profiles.
 *
 * @throws {ProfielError} `ZICHT_PROFIEL_UNKNOWN` when there is none.
 */
export function profielById(profielen: ReadonlyMap<string, Profiel>, id: string = STANDAARD_PROFIEL): Profiel {
  const profiel = profielen.get(id);
  if (!profiel) throw new ProfielError('ZICHT_PROFIEL_UNKNOWN', `No profile ${id} is published.`);
  return profiel;
}

let published: ReadonlyMap<string, Profiel> | undefined;

/** The published profiles, read once per process. */
export function publishedProfielen(): ReadonlyMap<string, Profiel> {
  published ??= loadProfielen();
  return published;
}
