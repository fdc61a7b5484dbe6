/**
 * Tier 2's policy on real SOM programs (runtime/tier2/blacklist.ts, trace-cache.ts,
 * trace-runtime.ts): recordings that are too long abort without changing the output, a loop
 * whose recordings keep aborting is blacklisted (and in multi mode stays in tier 1), and the
 * code cache stays within `--max-traces`. The jit log shows, per loop header, what happened.
 */
import { describe, expect, it } from 'vitest';
import { FAILED_RECORDING_LIMIT } from '../../runtime/tier2/blacklist.ts';
import { traceStatistics } from '../../runtime/tier2/trace-runtime.ts';
import { eventsOf, interpreted, type LoggedEvent, programFiles, runLogged } from './program-dir.ts';

/** A loop of `iterations` whose body is longer than 5 recorded instructions. */
function longBodyLoop(iterations: number): string {
  return programFiles({
    LongLoop: `LongLoop = (
      run = ( | sum | sum := 0. 1 to: ${iterations} do: [ :i | sum := sum + (i * 3) - (i / 2) + (i % 7) ]. sum println )
    )`,
  });
}

/** Installed traces after each event of the log: compiled minus evicted and invalidated. */
function installedCounts(events: readonly LoggedEvent[]): number[] {
  let installed = 0;
  return events.map((e) => {
    if (e.event === 'trace-compile') installed++;
    if (e.event === 'evict' || e.event === 'invalidate') installed--;
    return installed;
  });
}

describe('tier-2 policy', () => {
  it('aborts recordings longer than --trace-limit as too long, with the output unchanged', () => {
    const file = longBodyLoop(300);
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 2, traceLimit: 5 });
    expect(run).toEqual(interpreted(file));
    const aborts = eventsOf(events, 'trace-abort', 'LongLoop>>run');
    expect(aborts.length).toBeGreaterThan(0);
    for (const abort of aborts) expect(abort.reason).toBe('longer than 5 instructions');
    expect(eventsOf(events, 'trace-compile', 'LongLoop>>run')).toEqual([]);
  });

  it('blacklists a loop whose recordings keep aborting, and tries it once more much later', () => {
    const file = longBodyLoop(1000);
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 2, traceLimit: 5 });
    const blacklistings = traceStatistics().blacklistings;
    expect(run).toEqual(interpreted(file));
    // The back-off waits 16, 32, 64, 128 back-edges: all the attempts fit in 1000 iterations.
    expect(eventsOf(events, 'trace-start', 'LongLoop>>run')).toHaveLength(FAILED_RECORDING_LIMIT);
    const blacklisted = eventsOf(events, 'blacklist', 'LongLoop>>run');
    expect(blacklisted).toHaveLength(1);
    expect(blacklisted[0]).toMatchObject({ reason: `${FAILED_RECORDING_LIMIT} recordings in a row gave no trace` });
    expect(blacklistings).toBeGreaterThanOrEqual(1);

    // After the wait (10000 back-edges) one more attempt, which fails and doubles the wait.
    const longer = longBodyLoop(12_000);
    const again = runLogged(longer, 'tier2', { tier2Threshold: 2, traceLimit: 5 });
    expect(again.run).toEqual(interpreted(longer));
    expect(eventsOf(again.events, 'trace-start', 'LongLoop>>run')).toHaveLength(FAILED_RECORDING_LIMIT + 1);
    const waits = eventsOf(again.events, 'blacklist', 'LongLoop>>run').map((e) => e.waitBackEdges);
    expect(waits).toEqual([10_000, 20_000]);
  });

  it('leaves the method of a blacklisted loop in tier 1 (multi mode)', () => {
    const file = longBodyLoop(3000);
    const { run, events } = runLogged(file, 'multi', { tier2Threshold: 2, traceLimit: 5 });
    expect(run).toEqual(interpreted(file));
    expect(eventsOf(events, 'blacklist', 'LongLoop>>run')).toHaveLength(1);
    expect(eventsOf(events, 'osr', 'LongLoop>>run')).toHaveLength(1);
    expect(eventsOf(events, 'trace-compile', 'LongLoop>>run')).toEqual([]);
  });

  it('keeps at most --max-traces traces, dropping the least recently entered', () => {
    const loops = Array.from(
      { length: 8 },
      (_, i) => `loop${i} = ( | s | s := 0. 1 to: 50 do: [ :j | s := s + j + ${i} ]. ^s )`,
    );
    const calls = Array.from({ length: 8 }, (_, i) => `(self loop${i}) println.`).join(' ');
    const file = programFiles({
      ManyLoops: `ManyLoops = (
        run = ( ${calls} ${calls} )
        ${loops.join('\n        ')}
      )`,
    });
    const { run, events } = runLogged(file, 'tier2', { tier2Threshold: 2, maxTraces: 3 });
    expect(run).toEqual(interpreted(file));
    expect(Math.max(...installedCounts(events))).toBe(3);
    const evicted = events.filter((e) => e.event === 'evict');
    expect(evicted.length).toBeGreaterThan(8);
    // Loops run in order, so the one evicted is always the loop entered longest ago: loop0
    // goes when loop3 comes (after the trace the library compiled at start-up), and so on.
    const evictedLoops = evicted.map((e) => e.method).filter((m) => String(m).startsWith('ManyLoops>>'));
    expect(evictedLoops.slice(0, 3)).toEqual(['ManyLoops>>loop0', 'ManyLoops>>loop1', 'ManyLoops>>loop2']);
    // Every loop was traced again in the second round, its first trace having been evicted.
    expect(eventsOf(events, 'trace-compile', 'ManyLoops>>loop0')).toHaveLength(2);
  });

  it("counts the slow exits of a bridge with a function of its own in its root's trace-exits", () => {
    // Every third iteration leaves the loop's trace; after 5 such exits a bridge takes them,
    // kept as a function of its own (never inlined). In the last iterations the bridge's own
    // guard fails (i > rareFrom): 4 times with rareFrom 2990 (2991, 2994, 2997, 3000), too few
    // for a bridge of its own, so they are slow exits of the bridge. The bridge reports no
    // counts itself: its root's report holds them.
    const program = (rareFrom: number): string =>
      programFiles({
        Main: `Main = (
          run = ( | sum | sum := 0.
            1 to: 3000 do: [ :i |
              (i rem: 3) = 0
                ifTrue: [ i > ${rareFrom} ifTrue: [ sum := sum + 7 ] ifFalse: [ sum := sum + 2 ] ]
                ifFalse: [ sum := sum + 1 ] ].
            sum println )
        )`,
      });
    const slowExits = (rareFrom: number): number => {
      const file = program(rareFrom);
      // (At 11 back-edges the recording runs an iteration that takes the common path.)
      const { run, events } = runLogged(file, 'tier2', {
        tier2Threshold: 11,
        bridgeThreshold: 5,
        bridgeInlineThreshold: 0,
      });
      expect(run).toEqual(interpreted(file));
      expect(eventsOf(events, 'bridge-compile', 'Main>>run')).toHaveLength(1);
      return eventsOf(events, 'trace-exits', 'Main>>run').reduce((sum, e) => {
        const resumed = e.resumedIn as { tier1: number; interpreter: number };
        return sum + resumed.tier1 + resumed.interpreter;
      }, 0);
    };
    expect(slowExits(2990) - slowExits(5000)).toBe(4);
  });

  it("reports each bridge's runs and exits in its root's trace-exits", () => {
    // As above, with the bridge's own guard failing 4 times (2991, 2994, 2997, 3000).
    const file = programFiles({
      Main: `Main = (
        run = ( | sum | sum := 0.
          1 to: 3000 do: [ :i |
            (i rem: 3) = 0
              ifTrue: [ i > 2990 ifTrue: [ sum := sum + 7 ] ifFalse: [ sum := sum + 2 ] ]
              ifFalse: [ sum := sum + 1 ] ].
          sum println )
      )`,
    });
    const report = (bridgeInlineThreshold: number) => {
      const { run, events } = runLogged(file, 'tier2', {
        tier2Threshold: 11,
        bridgeThreshold: 5,
        bridgeInlineThreshold,
      });
      expect(run).toEqual(interpreted(file));
      const [bridge] = eventsOf(events, 'bridge-compile', 'Main>>run');
      const [root] = eventsOf(events, 'trace-exits', 'Main>>run');
      return { bridge: bridge!, root: root! };
    };
    type BridgeCounts = {
      trace: number;
      parent: number;
      exit: number;
      inlined: boolean;
      entries: number;
      exits: Record<string, number>;
    };
    for (const inlineAt of [0, 1]) {
      const { bridge, root } = report(inlineAt);
      const bridges = root['bridges'] as BridgeCounts[];
      expect(bridges).toHaveLength(1);
      const counts = bridges[0]!;
      // Attached where its bridge-compile event says, to the root that reports it.
      expect(counts.trace).toBe(bridge['trace']);
      expect(counts.parent).toBe(root['trace']);
      expect(String(counts.exit)).toBe(String(bridge['exit']));
      expect(counts.inlined).toBe(inlineAt === 1);
      // Its own guard failed 4 times, whether its code ran as its own function or in the root's.
      expect(Object.values(counts.exits).reduce((a, b) => a + b, 0)).toBe(4);
      // The root's exit was taken 5 times before the bridge (the fifth recorded it), then once per
      // run of the bridge as a function of its own: every run when it is never inlined, its
      // first when it is inlined at once (its runs inside the root's function take no exit).
      const taken = (root['exits'] as Record<string, number>)[counts.exit]!;
      expect(taken - counts.entries).toBe(5);
      if (inlineAt === 1) expect(counts.entries).toBe(1);
      else expect(counts.entries).toBeGreaterThan(900);
    }
  });
});
