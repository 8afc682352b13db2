/**
 * JSON Schema 2020-12 of each resource, generated from the zod model (never hand-edited).
 */
import { z } from 'zod';
import { Bericht } from '../model/bericht.js';
import { OperationOutcome } from '../model/outcome.js';
import { Ontvangstbevestiging } from '../model/ontvangstbevestiging.js';
import { Overdracht } from '../model/overdracht.js';
import { VeiligheidsvoorwaardenUpdate } from '../model/veiligheidsvoorwaarden.js';
import { Profiel } from '../profiles/profiel.js';
import { DeelnemerJwks } from '../registry/published-keys.js';
import { Versleutelingssleutel } from '../registry/versleutelingssleutel.js';
import { TokenClaims, TokenHeader } from './receiver.js';
import { RegistryFileSchema } from '../registry/file.js';
import { GatewayConfig } from '../server/config.js';

/** Base of the `$id` of every published schema. */
export const SCHEMA_ID_BASE = 'urn:zicht:spec:v1:schema:';

/** The resources published as their own JSON Schema, by name. */
export const publishedResources = {
  Bericht,
  Overdracht,
  VeiligheidsvoorwaardenUpdate,
  Ontvangstbevestiging,
  OperationOutcome,
  Profiel,
  DeelnemerJwks,
  Versleutelingssleutel,
  TokenHeader,
  TokenClaims,
  RegistryFile: RegistryFileSchema,
  GatewayConfig,
} as const;

/**
 * Resources whose published form is what the registry keeps after reading (`io: 'output'`): an encryption key
 * is read from any JSON value, checked against ENC-001 and then has the shape of its key type.
 */
const READ_AS_OUTPUT: ReadonlySet<keyof typeof publishedResources> = new Set(['Versleutelingssleutel']);

/** Generates the JSON Schema (draft 2020-12) of one resource, with its `$id` and title. */
export function jsonSchemaOf(name: keyof typeof publishedResources): Record<string, unknown> {
  const generated = z.toJSONSchema(publishedResources[name], { target: 'draft-2020-12', io: READ_AS_OUTPUT.has(name) ? 'output' : 'input', unrepresentable: 'throw' });
  const { $schema, ...rest } = generated;
  return { $schema, $id: `${SCHEMA_ID_BASE}${name}`, title: name, ...rest };
}
