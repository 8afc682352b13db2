/**
 * The registry file of a gateway (and of a demo network): `{ "zichtRegistry": 1, "deelnemers": [...] }`, one
 * {@link Deelnemer} per entry, read into an {@link InMemoryDeelnemerRepository}.
 */
import { readFile } from 'node:fs/promises';
import { parseStrictJson } from '../json/strict-json.js';
import { z } from 'zod';
import { IoError, JsonError, RegistryError } from '../errors.js';
import { Deelnemer } from './deelnemer.js';
import { InMemoryDeelnemerRepository } from './in-memory.js';
import type { DeelnemerRepository } from './repository.js';

/** The outline of a registry file; each participant is checked by the repository as it is added. */
export const RegistryFile = z.strictObject({
  zichtRegistry: z.literal(1),
  deelnemers: z.array(z.unknown()).max(10_000),
});

/**
 * The registry file with every participant's schema, as published (spec/v1/schemas/RegistryFile.schema.json,
 * docs/configuration.md). Reading checks the outline with {@link RegistryFile} and then each entry, so that a
 * refusal names the entry (CFG-001).
 */
export const RegistryFileSchema = z
  .strictObject({
    zichtRegistry: z.literal(1).meta({ description: 'The format version of the file.' }),
    deelnemers: z.array(Deelnemer).max(10_000).meta({ description: 'The participants: the gateway itself (CFG-002) and every organisation it serves.' }),
  })
  .meta({ description: 'A Zicht registry file (zicht serve --registry, registry.json of zicht init).' });

/**
 * Reads a registry file's parsed JSON into an in-memory registry.
 *
 * @throws {RegistryError} `ZICHT_REGISTRY_INVALID`, `ZICHT_REGISTRY_CONFLICT`.
 */
export function parseRegistry(value: unknown): Promise<InMemoryDeelnemerRepository> {
  const parsed = RegistryFile.safeParse(value);
  if (!parsed.success) return Promise.reject(new RegistryError('ZICHT_REGISTRY_INVALID', 'not a Zicht registry file ({ "zichtRegistry": 1, "deelnemers": [...] })'));
  return entries(parsed.data.deelnemers);
}

/** The OIN an entry claims, for messages (an OIN names an organisation, never a person). */
function oinOf(entry: unknown): string | undefined {
  return typeof entry === 'object' && entry !== null && 'oin' in entry && typeof entry.oin === 'string' && /^\d{20}$/.test(entry.oin) ? entry.oin : undefined;
}

/** Adds the entries one by one; a refusal names the entry (index and OIN), the field and the rule (CFG-001, or the entry's own rule). */
async function entries(deelnemers: readonly unknown[]): Promise<InMemoryDeelnemerRepository> {
  const repository = new InMemoryDeelnemerRepository();
  for (const [index, entry] of deelnemers.entries()) {
    try {
      await repository.add(entry);
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      const oin = oinOf(entry);
      throw new RegistryError(error.code, `deelnemers[${index}]${oin === undefined ? '' : ` (OIN ${oin})`}: ${error.message} (${error.rule ?? 'CFG-001'})`, { cause: error, rule: error.rule ?? 'CFG-001' });
    }
  }
  return repository;
}

/**
 * Reads a registry file from disk.
 *
 * @throws {IoError} when the file cannot be read. @throws {RegistryError} when it is not a valid registry.
 */
export async function loadRegistryFile(path: string): Promise<InMemoryDeelnemerRepository> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new IoError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`, { cause: error });
  }
  let value: unknown;
  try {
    value = parseStrictJson(text);
  } catch (error) {
    throw new RegistryError('ZICHT_REGISTRY_INVALID', error instanceof JsonError ? `the registry file: ${error.message}` : 'the registry file is not JSON', { cause: error, ...(error instanceof JsonError && error.code === 'ZICHT_JSON_DUPLICATE_MEMBER' ? { rule: 'BER-017' } : {}) });
  }
  return parseRegistry(value);
}

/** The registry file form of a registry, to write a demo network back to disk. */
export async function registryToFile(repository: DeelnemerRepository): Promise<z.infer<typeof RegistryFile>> {
  return { zichtRegistry: 1, deelnemers: [...(await repository.list())] };
}
