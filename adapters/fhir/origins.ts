/**
 * Where each part of a mapped bericht came from: bericht JSONPath → FHIRPath in the submitted
 * Bundle. A finding of the spec's rules names a JSONPath into the bericht; the FHIR route reports it
 * at the FHIRPath of the nearest mapped ancestor, so a vendor sees which element of its Bundle to fix.
 */
import { formatPath } from '../../src/rules/issue.js';
import type { PathSegments } from '../../src/rules/rule.js';
import type { FhirNode } from './reader.js';

/** Records origins while a Bundle is mapped to a bericht. */
export class Origins {
  readonly #paths = new Map<string, string>();

  /** Records that the bericht member at `path` came from `node`; returns the path for chaining. */
  note(path: PathSegments, node: FhirNode | string): void {
    this.#paths.set(formatPath(path), typeof node === 'string' ? node : node.path);
  }

  /** The FHIRPath for a JSONPath from a finding: that of the path itself or its nearest recorded ancestor. */
  expressionFor(jsonPath: string): string {
    for (let path = jsonPath; ; ) {
      const found = this.#paths.get(path);
      if (found !== undefined) return found;
      const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
      if (cut <= 0) return this.#paths.get('$') ?? 'Bundle';
      path = path.slice(0, cut);
    }
  }
}
