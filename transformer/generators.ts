/**
 * The generators the build runs, in order: each writes one module to generated/, assembled the
 * same way (emit/generated-module.ts) from the same analysed interpreter. A generator is an
 * emitter subclass that supplies only hooks, plus a few facts about its module; the tracer's
 * recorder joins this list.
 */
import type { Generator } from './emit/generated-module.ts';
import { TIER1_GENERATOR } from './emit/tier1-emitter.ts';

export const GENERATORS: readonly Generator[] = [TIER1_GENERATOR];
