/**
 * Turns zod's issues into Zicht issues (BER-004, BER-006, BER-007). The messages are ours: they name
 * what the schema expects and never the value that was found.
 */
import { z } from 'zod';
import { Bericht } from '../model/bericht.js';
import type { Issue } from '../model/outcome.js';
import { issueFor } from './issue.js';

const FORBIDDEN_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

let vocabulary: ReadonlySet<string> | undefined;

/** Every member name the schema defines anywhere; computed on the first unknown member only. */
function schemaVocabulary(): ReadonlySet<string> {
  if (vocabulary) return vocabulary;
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
        if (key === 'properties' && typeof value === 'object' && value !== null) for (const name of Object.keys(value)) names.add(name);
        visit(value);
      }
    }
  };
  visit(z.toJSONSchema(Bericht, { io: 'input' }));
  vocabulary = names;
  return names;
}

/**
 * An unknown member's name is shown only when it is a name the standard itself uses (a member in
 * the wrong place); any other name could be data, such as a surname used as a key, and is masked.
 */
export const shownName = (key: string): string => (schemaVocabulary().has(key) ? key : '?');

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  uuid: 'a UUID',
  datetime: 'an RFC 3339 date-time with offset',
  date: 'an RFC 3339 full-date (YYYY-MM-DD)',
  email: 'an e-mail address',
};

const list = (values: readonly unknown[]): string => values.map((v) => JSON.stringify(v)).join(', ');

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'A required member is missing.' : `Expected ${issue.expected}.`;
    case 'invalid_value':
      return `Must be one of: ${list(issue.values)}.`;
    case 'invalid_union':
      return issue.inclusive !== false && issue.options !== undefined ? `Must be one of: ${list(issue.options)}.` : 'Matches none of the allowed forms.';
    case 'invalid_format':
      if (issue.format === 'regex' && issue.pattern !== undefined) return `Does not match the pattern ${issue.pattern}.`;
      return `Must be ${FORMAT_NAMES[issue.format] ?? issue.format}.`;
    case 'too_big':
      return issue.origin === 'array' ? `Has more than ${issue.maximum} items.` : issue.origin === 'string' ? `Longer than ${issue.maximum} characters.` : `Greater than ${issue.maximum}.`;
    case 'too_small':
      return issue.origin === 'array' ? `Has fewer than ${issue.minimum} items.` : issue.origin === 'string' ? `Shorter than ${issue.minimum} characters.` : `Less than ${issue.minimum}.`;
    case 'not_multiple_of':
      return `Must be a multiple of ${issue.divisor}.`;
    case 'unrecognized_keys':
    case 'invalid_key':
    case 'invalid_element':
    case 'custom':
      return 'Does not conform to the schema.';
  }
}

/** Maps zod issues to Zicht issues, one per unknown member and one per other finding. */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[]): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? '?' : p));
    if (issue.code === 'unrecognized_keys') {
      const members = issue.input ? Object.keys(issue.input) : [];
      for (const key of issue.keys) {
        const position = members.indexOf(key) + 1;
        out.push(
          FORBIDDEN_NAMES.has(key)
            ? issueFor('BER-004', [...path, key], 'This member name is not allowed.')
            : issueFor('BER-007', [...path, shownName(key)], `Member number ${position} of this object is not defined by the schema.`),
        );
      }
    } else {
      out.push(issueFor('BER-006', path, describe(issue)));
    }
  }
  return out;
}
