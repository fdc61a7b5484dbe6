/**
 * The red-black tree of the CD benchmark (after CLRS, as in AWFY's CD): an ordered map
 * whose keys answer `compareTo(other)` with -1, 0 or 1. `put` answers the previous value or
 * null; `forEach` visits entries in key order.
 */

class Node {
  constructor(key, value) {
    this.key = key;
    this.value = value;
    this.left = null;
    this.right = null;
    this.parent = null;
    this.color = 'red';
  }

  successor() {
    let x = this;
    if (x.right !== null) return treeMinimum(x.right);
    let y = x.parent;
    while (y !== null && x === y.right) {
      x = y;
      y = y.parent;
    }
    return y;
  }
}

class InsertResult {
  constructor(isNewEntry, newNode, oldValue) {
    this.isNewEntry = isNewEntry;
    this.newNode = newNode;
    this.oldValue = oldValue;
  }
}

function treeMinimum(x) {
  let current = x;
  while (current.left !== null) current = current.left;
  return current;
}

function isBlack(node) {
  return node === null || node.color === 'black';
}

export class RedBlackTree {
  constructor() {
    this.root = null;
  }

  put(key, value) {
    const insertion = this.treeInsert(key, value);
    if (!insertion.isNewEntry) return insertion.oldValue;
    let x = insertion.newNode;
    while (x !== this.root && x.parent.color === 'red') {
      if (x.parent === x.parent.parent.left) {
        const y = x.parent.parent.right;
        if (y !== null && y.color === 'red') {
          x.parent.color = 'black';
          y.color = 'black';
          x.parent.parent.color = 'red';
          x = x.parent.parent;
        } else {
          if (x === x.parent.right) {
            x = x.parent;
            this.leftRotate(x);
          }
          x.parent.color = 'black';
          x.parent.parent.color = 'red';
          this.rightRotate(x.parent.parent);
        }
      } else {
        const y = x.parent.parent.left;
        if (y !== null && y.color === 'red') {
          x.parent.color = 'black';
          y.color = 'black';
          x.parent.parent.color = 'red';
          x = x.parent.parent;
        } else {
          if (x === x.parent.left) {
            x = x.parent;
            this.rightRotate(x);
          }
          x.parent.color = 'black';
          x.parent.parent.color = 'red';
          this.leftRotate(x.parent.parent);
        }
      }
    }
    this.root.color = 'black';
    return null;
  }

  remove(key) {
    const z = this.findNode(key);
    if (z === null) return null;
    // y is the node to unlink: z itself, or its successor when z has two children.
    const y = z.left === null || z.right === null ? z : z.successor();
    const x = y.left !== null ? y.left : y.right;
    let xParent;
    if (x !== null) {
      x.parent = y.parent;
      xParent = x.parent;
    } else {
      xParent = y.parent;
    }
    if (y.parent === null) this.root = x;
    else if (y === y.parent.left) y.parent.left = x;
    else y.parent.right = x;

    if (y !== z) {
      if (y.color === 'black') this.removeFixup(x, xParent);
      y.parent = z.parent;
      y.color = z.color;
      y.left = z.left;
      y.right = z.right;
      if (z.left !== null) z.left.parent = y;
      if (z.right !== null) z.right.parent = y;
      if (z.parent !== null) {
        if (z.parent.left === z) z.parent.left = y;
        else z.parent.right = y;
      } else {
        this.root = y;
      }
    } else if (y.color === 'black') {
      this.removeFixup(x, xParent);
    }
    return z.value;
  }

  get(key) {
    const node = this.findNode(key);
    return node === null ? null : node.value;
  }

  forEach(fn) {
    if (this.root === null) return;
    for (let current = treeMinimum(this.root); current !== null; current = current.successor()) {
      fn(current.key, current.value);
    }
  }

  findNode(key) {
    let node = this.root;
    while (node !== null) {
      const comparison = key.compareTo(node.key);
      if (comparison === 0) return node;
      node = comparison < 0 ? node.left : node.right;
    }
    return null;
  }

  /** Inserts a new node, or replaces the value of an existing one. */
  treeInsert(key, value) {
    let y = null;
    let x = this.root;
    while (x !== null) {
      y = x;
      const comparison = key.compareTo(x.key);
      if (comparison < 0) {
        x = x.left;
      } else if (comparison > 0) {
        x = x.right;
      } else {
        const oldValue = x.value;
        x.value = value;
        return new InsertResult(false, null, oldValue);
      }
    }
    const z = new Node(key, value);
    z.parent = y;
    if (y === null) this.root = z;
    else if (key.compareTo(y.key) < 0) y.left = z;
    else y.right = z;
    return new InsertResult(true, z, null);
  }

  leftRotate(x) {
    const y = x.right;
    x.right = y.left;
    if (y.left !== null) y.left.parent = x;
    y.parent = x.parent;
    if (x.parent === null) this.root = y;
    else if (x === x.parent.left) x.parent.left = y;
    else x.parent.right = y;
    y.left = x;
    x.parent = y;
    return y;
  }

  rightRotate(y) {
    const x = y.left;
    y.left = x.right;
    if (x.right !== null) x.right.parent = y;
    x.parent = y.parent;
    if (y.parent === null) this.root = x;
    else if (y === y.parent.left) y.parent.left = x;
    else y.parent.right = x;
    x.right = y;
    y.parent = x;
    return x;
  }

  removeFixup(xArg, xParentArg) {
    let x = xArg;
    let xParent = xParentArg;
    while (x !== this.root && isBlack(x)) {
      if (x === xParent.left) {
        // w cannot be null here, by the red-black properties.
        let w = xParent.right;
        if (w.color === 'red') {
          w.color = 'black';
          xParent.color = 'red';
          this.leftRotate(xParent);
          w = xParent.right;
        }
        if (isBlack(w.left) && isBlack(w.right)) {
          w.color = 'red';
          x = xParent;
          xParent = x.parent;
        } else {
          if (isBlack(w.right)) {
            w.left.color = 'black';
            w.color = 'red';
            this.rightRotate(w);
            w = xParent.right;
          }
          w.color = xParent.color;
          xParent.color = 'black';
          if (w.right !== null) w.right.color = 'black';
          this.leftRotate(xParent);
          x = this.root;
          xParent = x.parent;
        }
      } else {
        let w = xParent.left;
        if (w.color === 'red') {
          w.color = 'black';
          xParent.color = 'red';
          this.rightRotate(xParent);
          w = xParent.left;
        }
        if (isBlack(w.right) && isBlack(w.left)) {
          w.color = 'red';
          x = xParent;
          xParent = x.parent;
        } else {
          if (isBlack(w.left)) {
            w.right.color = 'black';
            w.color = 'red';
            this.leftRotate(w);
            w = xParent.left;
          }
          w.color = xParent.color;
          xParent.color = 'black';
          if (w.left !== null) w.left.color = 'black';
          this.rightRotate(xParent);
          x = this.root;
          xParent = x.parent;
        }
      }
    }
    if (x !== null) x.color = 'black';
  }
}
