/**
 * Small helpers the lifecycle mappings share: a CodeableConcept of one Zicht code, a typed slot of a
 * Task.input or Observation.component found by its Zicht code, and the logical reference to the bericht
 * a lifecycle bericht answers.
 */
import type { PathSegments } from '../../../src/rules/rule.js';
import type { Origins } from '../origins.js';
import type { FhirNode } from '../reader.js';
import type { FhirJson } from '../resource.js';
import { CS } from '../vocabulary.js';
import { berichtIdOf, berichtReference } from './mapping.js';

/** A CodeableConcept with one coding. */
export const concept = (system: string, code: string): FhirJson => ({ coding: [{ system, code }] });

/** The type of a typed slot: a code of CodeSystem gegeven. */
export const gegeven = (code: string): FhirJson => concept(CS.gegeven, code);

/** The slot (Task.input, Observation.component) whose type or code is this gegeven, or undefined. */
export const slot = (slots: readonly FhirNode[], key: 'type' | 'code', code: string): FhirNode | undefined => slots.find((s) => s.get(key).code(CS.gegeven) === code);

/** The references to the answered bericht as a list member (absent when the bericht answers none). */
export const answered = (inAntwoordOp: string | undefined): FhirJson[] | undefined => (inAntwoordOp === undefined ? undefined : [berichtReference(inAntwoordOp)]);

/** The answered berichtId from a list member of logical references. */
export const answeredFrom = (node: FhirNode, key: string, origins: Origins, path: PathSegments = ['inAntwoordOp']): unknown => berichtIdOf(node.list(key)[0], path, origins);
