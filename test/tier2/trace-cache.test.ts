/**
 * The code cache's bound (runtime/tier2/trace-cache.ts): past its capacity it drops the entry
 * used least recently, never the one just added.
 */
import { describe, expect, it } from 'vitest';
import { TraceCache } from '../../runtime/tier2/trace-cache.ts';

interface Entry {
  readonly name: string;
  lastEntered: number;
}

function entry(name: string): Entry {
  return { name, lastEntered: 0 };
}

describe('TraceCache', () => {
  it('evicts the least recently entered entry when it grows past its capacity', () => {
    const cache = new TraceCache<Entry>(2);
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(entry) as [Entry, Entry, Entry, Entry];
    expect(cache.add(a)).toEqual([]);
    expect(cache.add(b)).toEqual([]);
    cache.touch(a);
    expect(cache.add(c)).toEqual([b]);
    cache.touch(c);
    cache.touch(a);
    expect(cache.add(d)).toEqual([c]);
    expect([...cache.all()].map((e) => e.name).sort()).toEqual(['a', 'd']);
    expect(cache.size).toBe(2);
  });

  it('keeps the entry just added, even with no room at all', () => {
    const cache = new TraceCache<Entry>(0);
    const [a, b] = [entry('a'), entry('b')];
    expect(cache.add(a)).toEqual([]);
    expect(cache.add(b)).toEqual([a]);
    expect([...cache.all()]).toEqual([b]);
  });

  it('forgets a removed entry', () => {
    const cache = new TraceCache<Entry>(1);
    const [a, b] = [entry('a'), entry('b')];
    cache.add(a);
    cache.remove(a);
    expect(cache.add(b)).toEqual([]);
  });
});
