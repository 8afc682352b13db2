/** Links from a rule id to its entry in spec/v1/rules.md and to its sources. */
import { ruleById } from '../../src/rules/catalogue.js';
import { packageRoot } from '../fixtures.js';

/** A link: a label and an address. */
export interface Link {
  readonly label: string;
  readonly href: string;
}

const specFile = (file: string) => new URL(`spec/v1/${file}`, packageRoot()).href;

/** The rule's entry in rules.md. */
export function ruleLink(id: string): Link {
  return { label: id, href: `${specFile('rules.md')}#${id.toLowerCase()}` };
}

const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9 -]/g, '').trim().replace(/ /g, '-');

/** Each source of the rule: an RFC section at rfc-editor.org, a section of the spec's README, or the seed document in its list of sources. */
export function sourceLinks(id: string): Link[] {
  let rule;
  try {
    rule = ruleById(id);
  } catch {
    return [];
  }
  return rule.sources.map((s) => {
    const label = `${s.document} ${s.section}`;
    const rfc = /^RFC (\d+)$/.exec(s.document);
    if (rfc) {
      const section = /^(\d+(?:\.\d+)*)/.exec(s.section)?.[1];
      return { label, href: `https://www.rfc-editor.org/rfc/rfc${rfc[1] ?? ''}${section === undefined ? '' : `#section-${section}`}` };
    }
    if (s.document === 'Zicht') {
      const title = /"([^"]+)"/.exec(s.section)?.[1];
      return { label, href: `${specFile('README.md')}${title === undefined ? '' : `#${slug(title)}`}` };
    }
    return { label, href: `${specFile('README.md')}#1-sources` };
  });
}
