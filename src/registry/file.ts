/**
 * The registry file of a demo network: `{ "zichtRegistry": 1, "deelnemers": [...] }`, one
 * {@link Deelnemer} per entry, read into an {@link InMemoryDeelnemerRepository}.
 */
import { readFile } from 'node:fs/promises';
import { parseStrictJson } from '../json/strict-json.js';
import { z } from 'zod';
import { IoError, JsonError, RegistryError } from '../errors.js';
import { InMemoryDeelnemerRepository } from './in-memory.js';
import type { DeelnemerRepository } from './repository.js';

/** The outline of a registry file; each participant is checked by the repository as it is added. */
export const RegistryFile = z.strictObject({
  zichtRegistry: z.literal(1),
  deelnemers: z.array(z.unknown()).max(10_000),
});

/**
 * Reads a registry file's parsed JSON into an in-memory registry.
 *
 * @throws {RegistryError} `ZICHT_REGISTRY_INVALID`, `ZICHT_REGISTRY_CONFLICT`.
 */
export function parseRegistry(value: unknown): Promise<InMemoryDeelnemerRepository> {
  const parsed = RegistryFile.safeParse(value);
  if (!parsed.success) return Promise.reject(new RegistryError('ZICHT_REGISTRY_INVALID', 'not a Zicht registry file ({ "zichtRegistry": 1, "deelnemers": [...] })'));
  return InMemoryDeelnemerRepository.of(parsed.data.deelnemers);
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
