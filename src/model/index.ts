/** The Zicht model: zod schemas (the single source of every type and generated file) and their types. */
export * from './bericht.js';
export * from './ontvangstbevestiging.js';
export * from './outcome.js';
export * from './overdracht.js';
export * from './persoon.js';
export * from './primitives.js';
export * from './veiligheidsvoorwaarden.js';
export * from './transportbevestiging.js';
export * from './bericht-status.js';
export * from './levenscyclus.js';
export * from './geboekt.js';
