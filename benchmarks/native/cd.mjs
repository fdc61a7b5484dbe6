/**
 * CD (AWFY macro benchmark): collision detection for aircraft, after the CD^x benchmark of
 * Kalibera et al. A simulator moves aircraft in pairs; each frame, a detector maps their
 * motions onto a voxel grid kept in red-black trees and intersects the motions that share
 * a voxel. Exercises double arithmetic, trees and small objects. The inner-iteration count
 * is the number of aircraft; only 1000, 500, 250, 200, 100, 10 and 2 have known results.
 */
import { Benchmark } from './benchmark.mjs';
import { Vector } from './core.mjs';
import { RedBlackTree } from './red-black-tree.mjs';

const MIN_X = 0.0;
const MIN_Y = 0.0;
const MAX_X = 1000.0;
const MAX_Y = 1000.0;
const MIN_Z = 0.0;
const MAX_Z = 10.0;
const PROXIMITY_RADIUS = 1.0;
const GOOD_VOXEL_SIZE = PROXIMITY_RADIUS * 2.0;

const EXPECTED_COLLISIONS = new Map([
  [1000, 14484],
  [500, 14484],
  [250, 10830],
  [200, 8655],
  [100, 4305],
  [10, 390],
  [2, 42],
]);

/** Orders doubles; NaN sorts below every number. */
function compareNumbers(a, b) {
  if (a === b) return 0;
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === a) return 1;
  return -1;
}

class Vector2D {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }

  plus(other) {
    return new Vector2D(this.x + other.x, this.y + other.y);
  }

  minus(other) {
    return new Vector2D(this.x - other.x, this.y - other.y);
  }

  compareTo(other) {
    const result = compareNumbers(this.x, other.x);
    if (result !== 0) return result;
    return compareNumbers(this.y, other.y);
  }
}

class Vector3D {
  constructor(x, y, z) {
    this.x = x;
    this.y = y;
    this.z = z;
  }

  plus(other) {
    return new Vector3D(this.x + other.x, this.y + other.y, this.z + other.z);
  }

  minus(other) {
    return new Vector3D(this.x - other.x, this.y - other.y, this.z - other.z);
  }

  dot(other) {
    return this.x * other.x + this.y * other.y + this.z * other.z;
  }

  squaredMagnitude() {
    return this.dot(this);
  }

  magnitude() {
    return Math.sqrt(this.squaredMagnitude());
  }

  times(amount) {
    return new Vector3D(this.x * amount, this.y * amount, this.z * amount);
  }
}

const HORIZONTAL = new Vector2D(GOOD_VOXEL_SIZE, 0.0);
const VERTICAL = new Vector2D(0.0, GOOD_VOXEL_SIZE);

class CallSign {
  constructor(value) {
    this.value = value;
  }

  compareTo(other) {
    if (this.value === other.value) return 0;
    return this.value < other.value ? -1 : 1;
  }
}

class Aircraft {
  constructor(callsign, position) {
    this.callsign = callsign;
    this.position = position;
  }
}

class Collision {
  constructor(aircraftA, aircraftB, position) {
    this.aircraftA = aircraftA;
    this.aircraftB = aircraftB;
    this.position = position;
  }
}

class Motion {
  constructor(callsign, posOne, posTwo) {
    this.callsign = callsign;
    this.posOne = posOne;
    this.posTwo = posTwo;
  }

  delta() {
    return this.posTwo.minus(this.posOne);
  }

  /**
   * Answers where the two aircraft come within PROXIMITY_RADIUS of each other during this
   * frame, assuming both move at constant speed, or null. Solves |I1 + vV1 - I2 - vV2| = r
   * for v, a quadratic a v^2 + b v + c = 0.
   */
  findIntersection(other) {
    const init1 = this.posOne;
    const init2 = other.posOne;
    const vec1 = this.delta();
    const vec2 = other.delta();
    const radius = PROXIMITY_RADIUS;
    const a = vec2.minus(vec1).squaredMagnitude();
    if (a !== 0.0) {
      const b = 2.0 * init1.minus(init2).dot(vec1.minus(vec2));
      const c = 0.0 - radius * radius + init2.minus(init1).squaredMagnitude();
      const discr = b * b - 4.0 * a * c;
      if (discr < 0.0) return null;
      const v1 = (0.0 - b - Math.sqrt(discr)) / (2.0 * a);
      const v2 = (0.0 - b + Math.sqrt(discr)) / (2.0 * a);
      if (v1 <= v2 && ((v1 <= 1.0 && 1.0 <= v2) || (v1 <= 0.0 && 0.0 <= v2) || (0.0 <= v1 && v2 <= 1.0))) {
        // Report the collision where it starts, or at the start of the frame.
        const v = v1 <= 0.0 ? 0.0 : v1;
        const result1 = init1.plus(vec1.times(v));
        const result2 = init2.plus(vec2.times(v));
        const result = result1.plus(result2).times(0.5);
        if (
          result.x >= MIN_X &&
          result.x <= MAX_X &&
          result.y >= MIN_Y &&
          result.y <= MAX_Y &&
          result.z >= MIN_Z &&
          result.z <= MAX_Z
        ) {
          return result;
        }
      }
      return null;
    }
    // Same speed and direction (or not moving): the distance stays the initial one.
    const dist = init2.minus(init1).magnitude();
    if (dist <= radius) return init1.plus(init2).times(0.5);
    return null;
  }
}

class CollisionDetector {
  constructor() {
    this.state = new RedBlackTree();
  }

  handleNewFrame(frame) {
    const motions = new Vector();
    const seen = new RedBlackTree();
    frame.forEach((aircraft) => {
      let oldPosition = this.state.put(aircraft.callsign, aircraft.position);
      const newPosition = aircraft.position;
      seen.put(aircraft.callsign, true);
      // A newly introduced aircraft counts as stationary.
      if (oldPosition === null) oldPosition = newPosition;
      motions.append(new Motion(aircraft.callsign, oldPosition, newPosition));
    });

    // Remove aircraft that are no longer present.
    const toRemove = new Vector();
    this.state.forEach((key) => {
      if (seen.get(key) === null) toRemove.append(key);
    });
    toRemove.forEach((key) => this.state.remove(key));

    const collisions = new Vector();
    this.reduceCollisionSet(motions).forEach((reduced) => {
      for (let i = 0; i < reduced.size(); i++) {
        const motion1 = reduced.at(i);
        for (let j = i + 1; j < reduced.size(); j++) {
          const motion2 = reduced.at(j);
          const collision = motion1.findIntersection(motion2);
          if (collision !== null) {
            collisions.append(new Collision(motion1.callsign, motion2.callsign, collision));
          }
        }
      }
    });
    return collisions;
  }

  isInVoxel(voxel, motion) {
    if (voxel.x > MAX_X || voxel.x < MIN_X || voxel.y > MAX_Y || voxel.y < MIN_Y) return false;
    const init = motion.posOne;
    const fin = motion.posTwo;
    const vS = GOOD_VOXEL_SIZE;
    const r = PROXIMITY_RADIUS / 2.0;

    const vX = voxel.x;
    const x0 = init.x;
    const xv = fin.x - init.x;
    const vY = voxel.y;
    const y0 = init.y;
    const yv = fin.y - init.y;

    let lowX = (vX - r - x0) / xv;
    let highX = (vX + vS + r - x0) / xv;
    if (xv < 0.0) {
      const tmp = lowX;
      lowX = highX;
      highX = tmp;
    }
    let lowY = (vY - r - y0) / yv;
    let highY = (vY + vS + r - y0) / yv;
    if (yv < 0.0) {
      const tmp = lowY;
      lowY = highY;
      highY = tmp;
    }
    return (
      ((xv === 0.0 && vX <= x0 + r && x0 - r <= vX + vS) ||
        (lowX <= 1.0 && 1.0 <= highX) ||
        (lowX <= 0.0 && 0.0 <= highX) ||
        (0.0 <= lowX && highX <= 1.0)) &&
      ((yv === 0.0 && vY <= y0 + r && y0 - r <= vY + vS) ||
        (lowY <= 1.0 && 1.0 <= highY) ||
        (lowY <= 0.0 && 0.0 <= highY) ||
        (0.0 <= lowY && highY <= 1.0))
    );
  }

  putIntoMap(voxelMap, voxel, motion) {
    let array = voxelMap.get(voxel);
    if (array === null) {
      array = new Vector();
      voxelMap.put(voxel, array);
    }
    array.append(motion);
  }

  recurse(voxelMap, seen, nextVoxel, motion) {
    if (!this.isInVoxel(nextVoxel, motion)) return;
    if (seen.put(nextVoxel, true) !== null) return;
    this.putIntoMap(voxelMap, nextVoxel, motion);
    this.recurse(voxelMap, seen, nextVoxel.minus(HORIZONTAL), motion);
    this.recurse(voxelMap, seen, nextVoxel.plus(HORIZONTAL), motion);
    this.recurse(voxelMap, seen, nextVoxel.minus(VERTICAL), motion);
    this.recurse(voxelMap, seen, nextVoxel.plus(VERTICAL), motion);
    this.recurse(voxelMap, seen, nextVoxel.minus(HORIZONTAL).minus(VERTICAL), motion);
    this.recurse(voxelMap, seen, nextVoxel.minus(HORIZONTAL).plus(VERTICAL), motion);
    this.recurse(voxelMap, seen, nextVoxel.plus(HORIZONTAL).minus(VERTICAL), motion);
    this.recurse(voxelMap, seen, nextVoxel.plus(HORIZONTAL).plus(VERTICAL), motion);
  }

  /** Answers the motions grouped by voxel, keeping only voxels with two or more. */
  reduceCollisionSet(motions) {
    const voxelMap = new RedBlackTree();
    motions.forEach((motion) => this.drawMotionOnVoxelMap(voxelMap, motion));
    const result = new Vector();
    voxelMap.forEach((_key, value) => {
      if (value.size() > 1) result.append(value);
    });
    return result;
  }

  voxelHash(position) {
    const xDiv = Math.trunc(position.x / GOOD_VOXEL_SIZE);
    const yDiv = Math.trunc(position.y / GOOD_VOXEL_SIZE);
    let x = GOOD_VOXEL_SIZE * xDiv;
    let y = GOOD_VOXEL_SIZE * yDiv;
    if (position.x < 0) x -= GOOD_VOXEL_SIZE;
    if (position.y < 0) y -= GOOD_VOXEL_SIZE;
    return new Vector2D(x, y);
  }

  drawMotionOnVoxelMap(voxelMap, motion) {
    const seen = new RedBlackTree();
    this.recurse(voxelMap, seen, this.voxelHash(motion.posOne), motion);
  }
}

class Simulator {
  constructor(numAircraft) {
    this.aircraft = new Vector();
    for (let i = 0; i < numAircraft; i++) this.aircraft.append(new CallSign(i));
  }

  simulate(time) {
    const frame = new Vector();
    for (let i = 0; i < this.aircraft.size(); i += 2) {
      frame.append(new Aircraft(this.aircraft.at(i), new Vector3D(time, Math.cos(time) * 2.0 + i * 3, 10.0)));
      frame.append(new Aircraft(this.aircraft.at(i + 1), new Vector3D(time, Math.sin(time) * 2.0 + i * 3, 10.0)));
    }
    return frame;
  }
}

export class CD extends Benchmark {
  benchmark(numAircraft) {
    const numFrames = 200;
    const simulator = new Simulator(numAircraft);
    const detector = new CollisionDetector();
    let actualCollisions = 0;
    for (let i = 0; i < numFrames; i++) {
      const time = i / 10.0;
      const collisions = detector.handleNewFrame(simulator.simulate(time));
      actualCollisions += collisions.size();
    }
    return actualCollisions;
  }

  innerBenchmarkLoop(innerIterations) {
    const result = this.benchmark(innerIterations);
    const expected = EXPECTED_COLLISIONS.get(innerIterations);
    if (expected === undefined) {
      console.log(`No verification result for ${innerIterations} found`);
      console.log(`Result is: ${result}`);
      return false;
    }
    return result === expected;
  }
}
