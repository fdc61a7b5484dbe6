/**
 * NBody (AWFY micro benchmark): the Jovian planets orbiting the sun, integrated with a
 * simple symplectic step. Exercises double arithmetic and field access. The inner-iteration
 * count is the number of steps; only 250000 and 1 have known energies, compared exactly.
 */
import { Benchmark } from './benchmark.mjs';

const PI = 3.141592653589793;
const SOLAR_MASS = 4 * PI * PI;
const DAYS_PER_YEAR = 365.24;

const EXPECTED = new Map([
  [250000, -0.1690859889909308],
  [1, -0.16907495402506745],
]);

class Body {
  constructor(x, y, z, vx, vy, vz, mass) {
    this.x = x;
    this.y = y;
    this.z = z;
    this.vx = vx * DAYS_PER_YEAR;
    this.vy = vy * DAYS_PER_YEAR;
    this.vz = vz * DAYS_PER_YEAR;
    this.mass = mass * SOLAR_MASS;
  }

  offsetMomentum(px, py, pz) {
    this.vx = 0.0 - px / SOLAR_MASS;
    this.vy = 0.0 - py / SOLAR_MASS;
    this.vz = 0.0 - pz / SOLAR_MASS;
  }

  static jupiter() {
    return new Body(
      4.8414314424647209,
      -1.16032004402742839,
      -0.103622044471123109,
      0.00166007664274403694,
      0.00769901118419740425,
      -0.0000690460016972063023,
      0.000954791938424326609,
    );
  }

  static saturn() {
    return new Body(
      8.34336671824457987,
      4.12479856412430479,
      -0.403523417114321381,
      -0.00276742510726862411,
      0.00499852801234917238,
      0.0000230417297573763929,
      0.000285885980666130812,
    );
  }

  static uranus() {
    return new Body(
      12.894369562139131,
      -15.1111514016986312,
      -0.223307578892655734,
      0.00296460137564761618,
      0.0023784717395948095,
      -0.0000296589568540237556,
      0.0000436624404335156298,
    );
  }

  static neptune() {
    return new Body(
      15.3796971148509165,
      -25.9193146099879641,
      0.179258772950371181,
      0.00268067772490389322,
      0.00162824170038242295,
      -0.000095159225451971587,
      0.0000515138902046611451,
    );
  }

  static sun() {
    return new Body(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0);
  }
}

class NBodySystem {
  constructor() {
    this.bodies = [Body.sun(), Body.jupiter(), Body.saturn(), Body.uranus(), Body.neptune()];
    let px = 0.0;
    let py = 0.0;
    let pz = 0.0;
    for (const b of this.bodies) {
      px += b.vx * b.mass;
      py += b.vy * b.mass;
      pz += b.vz * b.mass;
    }
    this.bodies[0].offsetMomentum(px, py, pz);
  }

  advance(dt) {
    const bodies = this.bodies;
    for (let i = 0; i < bodies.length; i++) {
      const iBody = bodies[i];
      for (let j = i + 1; j < bodies.length; j++) {
        const jBody = bodies[j];
        const dx = iBody.x - jBody.x;
        const dy = iBody.y - jBody.y;
        const dz = iBody.z - jBody.z;
        const dSquared = dx * dx + dy * dy + dz * dz;
        const distance = Math.sqrt(dSquared);
        const mag = dt / (dSquared * distance);
        iBody.vx = iBody.vx - dx * jBody.mass * mag;
        iBody.vy = iBody.vy - dy * jBody.mass * mag;
        iBody.vz = iBody.vz - dz * jBody.mass * mag;
        jBody.vx = jBody.vx + dx * iBody.mass * mag;
        jBody.vy = jBody.vy + dy * iBody.mass * mag;
        jBody.vz = jBody.vz + dz * iBody.mass * mag;
      }
    }
    for (const body of bodies) {
      body.x = body.x + dt * body.vx;
      body.y = body.y + dt * body.vy;
      body.z = body.z + dt * body.vz;
    }
  }

  energy() {
    const bodies = this.bodies;
    let e = 0.0;
    for (let i = 0; i < bodies.length; i++) {
      const iBody = bodies[i];
      e += 0.5 * iBody.mass * (iBody.vx * iBody.vx + iBody.vy * iBody.vy + iBody.vz * iBody.vz);
      for (let j = i + 1; j < bodies.length; j++) {
        const jBody = bodies[j];
        const dx = iBody.x - jBody.x;
        const dy = iBody.y - jBody.y;
        const dz = iBody.z - jBody.z;
        const distance = Math.sqrt(dx * dx + dy * dy + dz * dz);
        e -= (iBody.mass * jBody.mass) / distance;
      }
    }
    return e;
  }
}

export class NBody extends Benchmark {
  innerBenchmarkLoop(innerIterations) {
    const system = new NBodySystem();
    for (let i = 0; i < innerIterations; i++) system.advance(0.01);
    const result = system.energy();
    const expected = EXPECTED.get(innerIterations);
    if (expected === undefined) {
      console.log(`No verification result for ${innerIterations} found`);
      console.log(`Result is: ${result}`);
      return false;
    }
    return result === expected;
  }
}
