/**
 * The generators the build runs, in order: each writes one module to generated/, assembled the
 * same way (emit/generated-module.ts) from the same analysed interpreter. A generator is an
 * emitter subclass that supplies only hooks, plus a few facts about its module.
 */
import type { Generator } from './emit/generated-module.ts';
import { TIER1_GENERATOR } from './emit/tier1-emitter.ts';
import { TRACER_GENERATOR } from './emit/tracer-emitter.ts';

export const GENERATORS: readonly Generator[] = [TIER1_GENERATOR, TRACER_GENERATOR];
