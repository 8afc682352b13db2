/**
 * The generated files of the published standard, as path → content. `npm run spec:build` writes
 * them; `npm run spec:check` compares them with what is on disk.
 */
import { jsonSchemaOf, publishedResources } from './json-schema.js';
import { fhirSpecFiles } from '../../adapters/fhir/publish.js';
import { buildOpenApi } from './openapi.js';
import { renderRulesMarkdown } from './rules-doc.js';

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Every generated file under spec/v1/, keyed by its path relative to the repository root. */
export function generatedSpecFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const name of Object.keys(publishedResources) as (keyof typeof publishedResources)[]) {
    files.set(`spec/v1/schemas/${name}.schema.json`, json(jsonSchemaOf(name)));
  }
  files.set('spec/v1/openapi.json', json(buildOpenApi()));
  files.set('spec/v1/rules.md', renderRulesMarkdown());
  for (const [path, content] of fhirSpecFiles()) files.set(path, content);
  return files;
}
