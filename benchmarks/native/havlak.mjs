/**
 * Havlak (AWFY macro benchmark): Havlak's loop-recognition algorithm (after Hundt's
 * "Loop Recognition in C++/Java/Go/Scala") run on a synthetic control-flow graph of nested
 * loops. Exercises collections, hashing and graph traversal. The inner-iteration count is
 * the number of dummy loop searches before the real one; only 15000, 1500, 150, 15 and 1
 * have known results (loops found, basic blocks).
 */
import { Benchmark } from './benchmark.mjs';
import { IdentityDictionary, IdentitySet, Set, Vector } from './core.mjs';

const EXPECTED = new Map([
  [15000, [46602, 5213]],
  [1500, [6102, 5213]],
  [150, [2052, 5213]],
  [15, [1647, 5213]],
  [1, [1605, 5213]],
]);

/** Marks nodes not yet reached by the depth-first search. */
const UNVISITED = 2147483647;
/** Safeguard against pathological behaviour of the algorithm. */
const MAX_NON_BACK_PREDS = 32 * 1024;

// Kinds of basic blocks during loop recognition.
const BB_NONHEADER = 1;
const BB_REDUCIBLE = 2;
const BB_SELF = 3;
const BB_IRREDUCIBLE = 4;
const BB_DEAD = 5;

class BasicBlock {
  constructor(name) {
    this.name = name;
    this.inEdges = new Vector(2);
    this.outEdges = new Vector(2);
  }

  numPred() {
    return this.inEdges.size();
  }

  addOutEdge(to) {
    this.outEdges.append(to);
  }

  addInEdge(from) {
    this.inEdges.append(from);
  }

  customHashcode() {
    return this.name;
  }
}

class BasicBlockEdge {
  constructor(cfg, fromName, toName) {
    this.from = cfg.createNode(fromName);
    this.to = cfg.createNode(toName);
    this.from.addOutEdge(this.to);
    this.to.addInEdge(this.from);
    cfg.addEdge(this);
  }
}

class ControlFlowGraph {
  constructor() {
    this.startNode = null;
    this.basicBlockMap = new Vector();
    this.edgeList = new Vector();
  }

  createNode(name) {
    let node = this.basicBlockMap.at(name);
    if (node === null) {
      node = new BasicBlock(name);
      this.basicBlockMap.atPut(name, node);
    }
    if (this.numNodes() === 1) this.startNode = node;
    return node;
  }

  addEdge(edge) {
    this.edgeList.append(edge);
  }

  numNodes() {
    return this.basicBlockMap.size();
  }
}

class SimpleLoop {
  constructor(bb, isReducible) {
    this.counter = 0;
    this.depthLevel = 0;
    this.parent = null;
    this.isRoot = false;
    this.nestingLevel = 0;
    this.header = bb;
    this.isReducible = isReducible;
    this.basicBlocks = new IdentitySet();
    this.children = new IdentitySet();
    if (bb !== null) this.basicBlocks.add(bb);
  }

  addNode(bb) {
    this.basicBlocks.add(bb);
  }

  addChildLoop(loop) {
    this.children.add(loop);
  }

  setParent(parent) {
    this.parent = parent;
    this.parent.addChildLoop(this);
  }

  setNestingLevel(level) {
    this.nestingLevel = level;
    if (level === 0) this.isRoot = true;
  }
}

class LoopStructureGraph {
  constructor() {
    this.loopCounter = 0;
    this.loops = new Vector();
    this.root = new SimpleLoop(null, true);
    this.root.setNestingLevel(0);
    this.root.counter = this.loopCounter;
    this.loopCounter += 1;
    this.loops.append(this.root);
  }

  createNewLoop(bb, isReducible) {
    const loop = new SimpleLoop(bb, isReducible);
    loop.counter = this.loopCounter;
    this.loopCounter += 1;
    this.loops.append(loop);
    return loop;
  }

  calculateNestingLevel() {
    // Link up all first-level loops to the artificial root, then assign levels.
    this.loops.forEach((liter) => {
      if (!liter.isRoot && liter.parent === null) liter.setParent(this.root);
    });
    this.calculateNestingLevelRec(this.root, 0);
  }

  calculateNestingLevelRec(loop, depth) {
    loop.depthLevel = depth;
    loop.children.forEach((liter) => {
      this.calculateNestingLevelRec(liter, depth + 1);
      loop.setNestingLevel(Math.max(loop.nestingLevel, 1 + liter.nestingLevel));
    });
  }

  numLoops() {
    return this.loops.size();
  }
}

class UnionFindNode {
  constructor() {
    this.dfsNumber = 0;
    this.parent = null;
    this.bb = null;
    this.loop = null;
  }

  initNode(bb, dfsNumber) {
    this.parent = this;
    this.bb = bb;
    this.dfsNumber = dfsNumber;
    this.loop = null;
  }

  /** Finds the set's representative, compressing the path to it. */
  findSet() {
    const nodeList = new Vector();
    let node = this;
    while (node !== node.parent) {
      if (node.parent !== node.parent.parent) nodeList.append(node);
      node = node.parent;
    }
    nodeList.forEach((iter) => iter.union(this.parent));
    return node;
  }

  union(basicBlock) {
    this.parent = basicBlock;
  }
}

class HavlakLoopFinder {
  constructor(cfg, lsg) {
    this.cfg = cfg;
    this.lsg = lsg;
    this.nonBackPreds = new Vector();
    this.backPreds = new Vector();
    this.number = new IdentityDictionary();
    this.maxSize = 0;
    this.header = null;
    this.type = null;
    this.last = null;
    this.nodes = null;
  }

  /** Whether w is an ancestor of v in the depth-first spanning tree (pre-order trick). */
  isAncestor(w, v) {
    return w <= v && v <= this.last[w];
  }

  doDFS(currentNode, current) {
    this.nodes[current].initNode(currentNode, current);
    this.number.atPut(currentNode, current);
    let lastId = current;
    const outerBlocks = currentNode.outEdges;
    for (let i = 0; i < outerBlocks.size(); i++) {
      const target = outerBlocks.at(i);
      if (this.number.at(target) === UNVISITED) lastId = this.doDFS(target, lastId + 1);
    }
    this.last[current] = lastId;
    return lastId;
  }

  initAllNodes() {
    this.cfg.basicBlockMap.forEach((bb) => this.number.atPut(bb, UNVISITED));
    this.doDFS(this.cfg.startNode, 0);
  }

  identifyEdges(size) {
    for (let w = 0; w < size; w++) {
      this.header[w] = 0;
      this.type[w] = BB_NONHEADER;
      const nodeW = this.nodes[w].bb;
      if (nodeW === null) this.type[w] = BB_DEAD;
      else this.processEdges(nodeW, w);
    }
  }

  /** Sorts the incoming edges of w into back edges and other edges (after Tarjan). */
  processEdges(nodeW, w) {
    if (nodeW.numPred() > 0) {
      nodeW.inEdges.forEach((nodeV) => {
        const v = this.number.at(nodeV);
        if (v !== UNVISITED) {
          if (this.isAncestor(w, v)) this.backPreds.at(w).append(v);
          else this.nonBackPreds.at(w).add(v);
        }
      });
    }
  }

  findLoops() {
    if (this.cfg.startNode === null) return;
    const size = this.cfg.numNodes();
    this.nonBackPreds.removeAll();
    this.backPreds.removeAll();
    this.number.removeAll();
    if (size > this.maxSize) {
      this.header = new Array(size).fill(0);
      this.type = new Array(size).fill(0);
      this.last = new Array(size).fill(0);
      this.nodes = new Array(size).fill(null);
      this.maxSize = size;
    }
    for (let i = 0; i < size; i++) {
      this.nonBackPreds.append(new Set());
      this.backPreds.append(new Vector());
      this.nodes[i] = new UnionFindNode();
    }
    this.initAllNodes();
    this.identifyEdges(size);
    this.header[0] = 0;

    // Visit nodes in reverse DFS pre-order, so that inner loop headers come before the
    // headers of the loops around them.
    for (let w = size - 1; w >= 0; w--) {
      const nodePool = new Vector(); // 'P' in Havlak's paper
      const nodeW = this.nodes[w].bb;
      if (nodeW === null) continue;
      this.stepD(w, nodePool);
      const workList = new Vector();
      nodePool.forEach((niter) => workList.append(niter));
      if (nodePool.size() !== 0) this.type[w] = BB_REDUCIBLE;
      while (!workList.isEmpty()) {
        const x = workList.removeFirst();
        const nonBackSize = this.nonBackPreds.at(x.dfsNumber).size();
        if (nonBackSize > MAX_NON_BACK_PREDS) return;
        this.stepEProcessNonBackPreds(w, nodePool, workList, x);
      }
      // Collapse the nodes of an SCC into one loop descriptor.
      if (nodePool.size() > 0 || this.type[w] === BB_SELF) {
        const loop = this.lsg.createNewLoop(nodeW, this.type[w] !== BB_IRREDUCIBLE);
        this.setLoopAttributes(w, nodePool, loop);
      }
    }
  }

  /** Step e: chase up from the back-edge sources; an entry that avoids w makes it irreducible. */
  stepEProcessNonBackPreds(w, nodePool, workList, x) {
    this.nonBackPreds.at(x.dfsNumber).forEach((iter) => {
      const y = this.nodes[iter];
      const ydash = y.findSet();
      if (!this.isAncestor(w, ydash.dfsNumber)) {
        this.type[w] = BB_IRREDUCIBLE;
        this.nonBackPreds.at(w).add(ydash.dfsNumber);
      } else if (ydash.dfsNumber !== w) {
        if (!nodePool.hasSome((e) => e === ydash)) {
          workList.append(ydash);
          nodePool.append(ydash);
        }
      }
    });
  }

  setLoopAttributes(w, nodePool, loop) {
    this.nodes[w].loop = loop;
    nodePool.forEach((node) => {
      this.header[node.dfsNumber] = w;
      node.union(this.nodes[w]);
      // Nested loops are linked, not added.
      if (node.loop !== null) node.loop.setParent(loop);
      else loop.addNode(node.bb);
    });
  }

  stepD(w, nodePool) {
    this.backPreds.at(w).forEach((v) => {
      if (v !== w) nodePool.append(this.nodes[v].findSet());
      else this.type[w] = BB_SELF;
    });
  }
}

class LoopTesterApp {
  constructor() {
    this.cfg = new ControlFlowGraph();
    this.lsg = new LoopStructureGraph();
    this.cfg.createNode(0);
  }

  /** Four blocks shaped like an if/then/else diamond; answers the join block. */
  buildDiamond(start) {
    const bb0 = start;
    new BasicBlockEdge(this.cfg, bb0, bb0 + 1);
    new BasicBlockEdge(this.cfg, bb0, bb0 + 2);
    new BasicBlockEdge(this.cfg, bb0 + 1, bb0 + 3);
    new BasicBlockEdge(this.cfg, bb0 + 2, bb0 + 3);
    return bb0 + 3;
  }

  buildConnect(start, end) {
    new BasicBlockEdge(this.cfg, start, end);
  }

  buildStraight(start, n) {
    for (let i = 0; i < n; i++) this.buildConnect(start + i, start + i + 1);
    return start + n;
  }

  /** A simple loop with two diamonds in it. */
  buildBaseLoop(from) {
    const header = this.buildStraight(from, 1);
    const diamond1 = this.buildDiamond(header);
    const d11 = this.buildStraight(diamond1, 1);
    const diamond2 = this.buildDiamond(d11);
    let footer = this.buildStraight(diamond2, 1);
    this.buildConnect(diamond2, d11);
    this.buildConnect(diamond1, header);
    this.buildConnect(footer, from);
    footer = this.buildStraight(footer, 1);
    return footer;
  }

  main(numDummyLoops, findLoopIterations, parLoops, pparLoops, ppparLoops) {
    this.constructSimpleCFG();
    this.addDummyLoops(numDummyLoops);
    this.constructCFG(parLoops, pparLoops, ppparLoops);
    this.findLoops(this.lsg);
    for (let i = 0; i < findLoopIterations; i++) this.findLoops(new LoopStructureGraph());
    this.lsg.calculateNestingLevel();
    return [this.lsg.numLoops(), this.cfg.numNodes()];
  }

  constructCFG(parLoops, pparLoops, ppparLoops) {
    let n = 2;
    for (let parlooptrees = 0; parlooptrees < parLoops; parlooptrees++) {
      this.cfg.createNode(n + 1);
      this.buildConnect(2, n + 1);
      n += 1;
      for (let i = 0; i < pparLoops; i++) {
        const top = n;
        n = this.buildStraight(n, 1);
        for (let j = 0; j < ppparLoops; j++) n = this.buildBaseLoop(n);
        const bottom = this.buildStraight(n, 1);
        this.buildConnect(n, top);
        n = bottom;
      }
      this.buildConnect(n, 1);
    }
  }

  addDummyLoops(numDummyLoops) {
    for (let dummyloop = 0; dummyloop < numDummyLoops; dummyloop++) this.findLoops(this.lsg);
  }

  findLoops(loopStructure) {
    new HavlakLoopFinder(this.cfg, loopStructure).findLoops();
  }

  constructSimpleCFG() {
    this.cfg.createNode(0);
    this.buildBaseLoop(0);
    this.cfg.createNode(1);
    new BasicBlockEdge(this.cfg, 0, 2);
  }
}

export class Havlak extends Benchmark {
  innerBenchmarkLoop(innerIterations) {
    const [numLoops, numNodes] = new LoopTesterApp().main(innerIterations, 50, 10, 10, 5);
    const expected = EXPECTED.get(innerIterations);
    if (expected === undefined) {
      console.log(`No verification result for ${innerIterations} found`);
      console.log(`Result is: ${numLoops}, ${numNodes}`);
      return false;
    }
    return numLoops === expected[0] && numNodes === expected[1];
  }
}
