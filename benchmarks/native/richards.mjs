/**
 * Richards (AWFY macro benchmark): Martin Richards' operating-system task scheduler
 * simulation, with an idle task, a worker, two handlers and two devices exchanging packets.
 * Exercises polymorphic sends, closures and linked lists. Verification: the scheduler
 * queues 23246 packets and holds tasks 9297 times.
 */
import { Benchmark } from './benchmark.mjs';

const IDLER = 0;
const WORKER = 1;
const HANDLER_A = 2;
const HANDLER_B = 3;
const DEVICE_A = 4;
const DEVICE_B = 5;
const NUM_TYPES = 6;

const KIND_DEVICE = 0;
const KIND_WORK = 1;
const DATA_SIZE = 4;

/** Appends `packet` to the queue starting at `queueHead`; answers the new head. */
function append(packet, queueHead) {
  packet.link = null;
  if (queueHead === null) return packet;
  let mouse = queueHead;
  let link;
  while ((link = mouse.link) !== null) mouse = link;
  mouse.link = packet;
  return queueHead;
}

class Packet {
  constructor(link, identity, kind) {
    this.link = link;
    this.identity = identity;
    this.kind = kind;
    this.datum = 0;
    this.data = new Array(DATA_SIZE).fill(0);
  }
}

class DeviceTaskDataRecord {
  constructor() {
    this.pending = null;
  }
}

class HandlerTaskDataRecord {
  constructor() {
    this.workIn = null;
    this.deviceIn = null;
  }

  deviceInAdd(packet) {
    this.deviceIn = append(packet, this.deviceIn);
  }

  workInAdd(packet) {
    this.workIn = append(packet, this.workIn);
  }
}

class IdleTaskDataRecord {
  constructor() {
    this.control = 1;
    this.count = 10000;
  }
}

class WorkerTaskDataRecord {
  constructor() {
    this.destination = HANDLER_A;
    this.count = 0;
  }
}

class TaskState {
  constructor() {
    this.packetPending = true;
    this.taskWaiting = false;
    this.taskHolding = false;
  }

  becomePacketPending() {
    this.packetPending = true;
    this.taskWaiting = false;
    this.taskHolding = false;
  }

  becomeRunning() {
    this.packetPending = false;
    this.taskWaiting = false;
    this.taskHolding = false;
  }

  becomeWaiting() {
    this.packetPending = false;
    this.taskWaiting = true;
    this.taskHolding = false;
  }

  becomeWaitingWithPacket() {
    this.packetPending = true;
    this.taskWaiting = true;
    this.taskHolding = false;
  }

  isTaskHoldingOrWaiting() {
    return this.taskHolding || (!this.packetPending && this.taskWaiting);
  }

  isWaitingWithPacket() {
    return this.packetPending && this.taskWaiting && !this.taskHolding;
  }

  static running() {
    const s = new TaskState();
    s.becomeRunning();
    return s;
  }

  static waiting() {
    const s = new TaskState();
    s.becomeWaiting();
    return s;
  }

  static waitingWithPacket() {
    const s = new TaskState();
    s.becomeWaitingWithPacket();
    return s;
  }
}

class TaskControlBlock extends TaskState {
  constructor(link, identity, priority, initialWorkQueue, initialState, fn, privateData) {
    super();
    this.link = link;
    this.identity = identity;
    this.priority = priority;
    this.input = initialWorkQueue;
    this.packetPending = initialState.packetPending;
    this.taskWaiting = initialState.taskWaiting;
    this.taskHolding = initialState.taskHolding;
    this.fn = fn;
    this.handle = privateData;
  }

  addInputAndCheckPriority(packet, oldTask) {
    if (this.input === null) {
      this.input = packet;
      this.packetPending = true;
      if (this.priority > oldTask.priority) return this;
    } else {
      this.input = append(packet, this.input);
    }
    return oldTask;
  }

  runTask() {
    let message;
    if (this.isWaitingWithPacket()) {
      message = this.input;
      this.input = message.link;
      if (this.input === null) this.becomeRunning();
      else this.becomePacketPending();
    } else {
      message = null;
    }
    return this.fn(message, this.handle);
  }
}

class Scheduler {
  constructor() {
    this.taskList = null;
    this.currentTask = null;
    this.currentTaskIdentity = 0;
    this.taskTable = new Array(NUM_TYPES).fill(null);
    this.queuePacketCount = 0;
    this.holdCount = 0;
  }

  createDevice(identity, priority, workPacket, state) {
    this.createTask(identity, priority, workPacket, state, new DeviceTaskDataRecord(), (work, dataRecord) => {
      if (work === null) {
        const pending = dataRecord.pending;
        if (pending === null) return this.markWaiting();
        dataRecord.pending = null;
        return this.queuePacket(pending);
      }
      dataRecord.pending = work;
      return this.holdSelf();
    });
  }

  createHandler(identity, priority, workPacket, state) {
    this.createTask(identity, priority, workPacket, state, new HandlerTaskDataRecord(), (work, dataRecord) => {
      if (work !== null) {
        if (work.kind === KIND_WORK) dataRecord.workInAdd(work);
        else dataRecord.deviceInAdd(work);
      }
      const workPacket = dataRecord.workIn;
      if (workPacket === null) return this.markWaiting();
      const count = workPacket.datum;
      if (count >= DATA_SIZE) {
        dataRecord.workIn = workPacket.link;
        return this.queuePacket(workPacket);
      }
      const devicePacket = dataRecord.deviceIn;
      if (devicePacket === null) return this.markWaiting();
      dataRecord.deviceIn = devicePacket.link;
      devicePacket.datum = workPacket.data[count];
      workPacket.datum = count + 1;
      return this.queuePacket(devicePacket);
    });
  }

  createIdler(identity, priority, work, state) {
    this.createTask(identity, priority, work, state, new IdleTaskDataRecord(), (_work, dataRecord) => {
      dataRecord.count -= 1;
      if (dataRecord.count === 0) return this.holdSelf();
      if ((dataRecord.control & 1) === 0) {
        dataRecord.control = Math.trunc(dataRecord.control / 2);
        return this.release(DEVICE_A);
      }
      dataRecord.control = Math.trunc(dataRecord.control / 2) ^ 53256;
      return this.release(DEVICE_B);
    });
  }

  createWorker(identity, priority, workPacket, state) {
    this.createTask(identity, priority, workPacket, state, new WorkerTaskDataRecord(), (work, dataRecord) => {
      if (work === null) return this.markWaiting();
      dataRecord.destination = dataRecord.destination === HANDLER_A ? HANDLER_B : HANDLER_A;
      work.identity = dataRecord.destination;
      work.datum = 0;
      for (let i = 0; i < DATA_SIZE; i++) {
        dataRecord.count += 1;
        if (dataRecord.count > 26) dataRecord.count = 1;
        work.data[i] = 65 + dataRecord.count - 1;
      }
      return this.queuePacket(work);
    });
  }

  createTask(identity, priority, work, state, data, fn) {
    const t = new TaskControlBlock(this.taskList, identity, priority, work, state, fn, data);
    this.taskList = t;
    this.taskTable[identity] = t;
  }

  start() {
    this.createIdler(IDLER, 0, null, TaskState.running());
    let workQ = new Packet(null, WORKER, KIND_WORK);
    workQ = new Packet(workQ, WORKER, KIND_WORK);
    this.createWorker(WORKER, 1000, workQ, TaskState.waitingWithPacket());

    workQ = new Packet(null, DEVICE_A, KIND_DEVICE);
    workQ = new Packet(workQ, DEVICE_A, KIND_DEVICE);
    workQ = new Packet(workQ, DEVICE_A, KIND_DEVICE);
    this.createHandler(HANDLER_A, 2000, workQ, TaskState.waitingWithPacket());

    workQ = new Packet(null, DEVICE_B, KIND_DEVICE);
    workQ = new Packet(workQ, DEVICE_B, KIND_DEVICE);
    workQ = new Packet(workQ, DEVICE_B, KIND_DEVICE);
    this.createHandler(HANDLER_B, 3000, workQ, TaskState.waitingWithPacket());

    this.createDevice(DEVICE_A, 4000, null, TaskState.waiting());
    this.createDevice(DEVICE_B, 5000, null, TaskState.waiting());

    this.schedule();
    return this.queuePacketCount === 23246 && this.holdCount === 9297;
  }

  findTask(identity) {
    const t = this.taskTable[identity];
    if (t === null) throw new Error('findTask failed');
    return t;
  }

  holdSelf() {
    this.holdCount += 1;
    this.currentTask.taskHolding = true;
    return this.currentTask.link;
  }

  queuePacket(packet) {
    const t = this.findTask(packet.identity);
    this.queuePacketCount += 1;
    packet.link = null;
    packet.identity = this.currentTaskIdentity;
    return t.addInputAndCheckPriority(packet, this.currentTask);
  }

  markWaiting() {
    this.currentTask.taskWaiting = true;
    return this.currentTask;
  }

  release(identity) {
    const t = this.findTask(identity);
    t.taskHolding = false;
    if (t.priority > this.currentTask.priority) return t;
    return this.currentTask;
  }

  schedule() {
    this.currentTask = this.taskList;
    while (this.currentTask !== null) {
      if (this.currentTask.isTaskHoldingOrWaiting()) {
        this.currentTask = this.currentTask.link;
      } else {
        this.currentTaskIdentity = this.currentTask.identity;
        this.currentTask = this.currentTask.runTask();
      }
    }
  }
}

export class Richards extends Benchmark {
  benchmark() {
    return new Scheduler().start();
  }

  verifyResult(result) {
    return result;
  }
}
