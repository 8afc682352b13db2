/**
 * Zicht: the library behind the standard and the gateway. The package entry exports the model
 * (zod schemas and their types), the rule catalogue and validation.
 */
export * from './model/index.js';
export { catalogue, ruleById } from './rules/catalogue.js';
export { noTrail, trailOf, type ValidationContext } from './rules/context.js';
export { formatPath, toOperationOutcome, RULE_SYSTEM } from './rules/issue.js';
export type { Rule, Source, Stage } from './rules/rule.js';
export { validateBericht, validateValue, type ValidateOptions, type ValidationResult } from './rules/validate.js';
