import type { XmlDocument } from 'libxml2-wasm';
import { names, UNKNOWN_NAME } from './names.js';
import { cString, wasmMemory, type WasmMemory } from './wasm-memory.js';

/**
 * A libxml2 document read once into flat arrays, in the XPath data model: nodes numbered in document order (an
 * element, then its attributes, then its children: XPath 1.0, 5 "Data Model"), so that document order is a number
 * comparison and a node's descendants are the range `id+1 .. end[id]`. Adjacent text and CDATA nodes are one text node,
 * as in the data model. Strings (values, names) are decoded from the WebAssembly memory only when an expression reads
 * them. The tree is valid while the XmlDocument is alive and unchanged.
 */

export const DOCUMENT = 9;
export const ELEMENT = 1;
export const ATTRIBUTE = 2;
export const TEXT = 3;
export const PI = 7;
export const COMMENT = 8;

// wasm32 offsets of libxml2's structs (tree.h): xmlNode/xmlAttr share the first ten fields.
const TYPE = 4;
const NAME = 8;
const CHILDREN = 12;
const NEXT = 24;
const NS = 36;
const CONTENT = 40;
const PROPERTIES = 44;
const NS_HREF = 8;
const NS_PREFIX = 12;

/** Initial array size: what the documents seen so far needed, bounded so that one huge document does not set it. */
let capacity = 4096;
const MAX_INITIAL = 1 << 16;
/** A disposed tree's arrays are reused only below this size: a huge document's arrays are left to the collector. */
const MAX_REUSED = 1 << 18;

export class DocTree {
  count = 0;
  kind: Uint8Array;
  parent: Int32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  prevSibling: Int32Array;
  firstAttr: Int32Array;
  end: Int32Array;
  /** The interned (namespace, local name) of elements and attributes ({@link names}), UNKNOWN_NAME if no rule names it. */
  nameId: Int32Array;
  /** libxml2 pointer: the node (elements, attributes), the first of a run of text nodes, the PI or comment. */
  ptr: Int32Array;
  /** Number of libxml2 text/CDATA nodes a text node stands for. */
  runs: Int32Array;
  /** Elements and attributes by name id, in document order. */
  readonly byName = new Map<number, number[]>();
  private readonly values: (string | undefined)[] = [];
  private readonly nameCache = new Map<number, string>();
  private readonly nsCache = new Map<number, { readonly uri: string; readonly prefix: string }>();
  private readonly idCache = new Map<number, Map<number, number>>();
  /** Refreshed before each run: libxml2 may have grown the memory since (the XSD stage allocates). */
  mem: WasmMemory;
  readonly namesVersion = names.size;

  /** `donor`: a tree whose document is disposed, whose arrays are reused (allocating them was 10% of a run). */
  constructor(doc: XmlDocument, donor?: DocTree) {
    const n = donor?.kind.length ?? capacity;
    this.kind = donor?.kind ?? new Uint8Array(n);
    this.parent = donor?.parent ?? new Int32Array(n);
    this.firstChild = donor?.firstChild ?? new Int32Array(n);
    this.nextSibling = donor?.nextSibling ?? new Int32Array(n);
    this.prevSibling = donor?.prevSibling ?? new Int32Array(n);
    this.firstAttr = donor?.firstAttr ?? new Int32Array(n);
    this.end = donor?.end ?? new Int32Array(n);
    this.nameId = donor?.nameId ?? new Int32Array(n);
    this.ptr = donor?.ptr ?? new Int32Array(n);
    this.runs = donor?.runs ?? new Int32Array(n);
    this.mem = wasmMemory(doc);
    const docPtr = (doc as unknown as { _ptr: number })._ptr;
    this.add(DOCUMENT, -1, docPtr);
    this.children(docPtr, 0);
    this.end[0] = this.count - 1;
    capacity = Math.min(MAX_INITIAL, Math.max(capacity, this.kind.length));
  }

  private grow(): void {
    const size = this.kind.length * 2;
    const copy = <T extends Uint8Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(size);
      b.set(a);
      return b;
    };
    this.kind = copy(this.kind); this.parent = copy(this.parent); this.firstChild = copy(this.firstChild);
    this.nextSibling = copy(this.nextSibling); this.prevSibling = copy(this.prevSibling); this.firstAttr = copy(this.firstAttr);
    this.end = copy(this.end); this.nameId = copy(this.nameId); this.ptr = copy(this.ptr); this.runs = copy(this.runs);
  }

  private add(kind: number, parent: number, ptr: number): number {
    if (this.count === this.kind.length) this.grow();
    const id = this.count++;
    this.kind[id] = kind;
    this.parent[id] = parent;
    this.firstChild[id] = -1;
    this.nextSibling[id] = -1;
    this.prevSibling[id] = -1;
    this.firstAttr[id] = -1;
    this.end[id] = id;
    this.ptr[id] = ptr;
    this.runs[id] = 1;
    this.nameId[id] = UNKNOWN_NAME;
    return id;
  }

  private named(id: number, ptr: number): void {
    const i32 = this.mem.i32;
    const namePtr = i32[(ptr + NAME) >> 2] as number;
    const nsPtr = i32[(ptr + NS) >> 2] as number;
    let byNs = this.idCache.get(namePtr);
    if (!byNs) { byNs = new Map(); this.idCache.set(namePtr, byNs); }
    let nameId = byNs.get(nsPtr);
    if (nameId === undefined) {
      nameId = names.lookup(this.nsOf(nsPtr).uri, this.string(namePtr));
      byNs.set(nsPtr, nameId);
    }
    this.nameId[id] = nameId;
    if (nameId === UNKNOWN_NAME) return;
    const list = this.byName.get(nameId);
    if (list) list.push(id); else this.byName.set(nameId, [id]);
  }

  private children(ptr: number, parent: number): void {
    const i32 = this.mem.i32;
    let prev = -1;
    for (let c = i32[(ptr + CHILDREN) >> 2] as number; c !== 0; c = i32[(c + NEXT) >> 2] as number) {
      const type = i32[(c + TYPE) >> 2] as number;
      let id: number;
      if (type === 3 || type === 4) {
        if (prev >= 0 && this.kind[prev] === TEXT) { (this.runs[prev] as number)++; continue; }
        id = this.add(TEXT, parent, c);
      } else if (type === ELEMENT) {
        id = this.add(ELEMENT, parent, c);
        this.named(id, c);
        let lastAttr = -1;
        for (let a = i32[(c + PROPERTIES) >> 2] as number; a !== 0; a = i32[(a + NEXT) >> 2] as number) {
          const attr = this.add(ATTRIBUTE, id, a);
          this.named(attr, a);
          if (lastAttr < 0) this.firstAttr[id] = attr; else this.nextSibling[lastAttr] = attr;
          lastAttr = attr;
        }
        this.children(c, id);
        this.end[id] = this.count - 1;
      } else if (type === PI || type === COMMENT) {
        id = this.add(type, parent, c);
      } else {
        continue; // entity references and DTD nodes: not in the XPath data model of a parsed, entity-free document
      }
      if (prev < 0) this.firstChild[parent] = id; else { this.nextSibling[prev] = id; this.prevSibling[id] = prev; }
      prev = id;
    }
  }

  private string(ptr: number): string {
    let s = this.nameCache.get(ptr);
    if (s === undefined) { s = cString(this.mem, ptr); this.nameCache.set(ptr, s); }
    return s;
  }

  private nsOf(nsPtr: number): { readonly uri: string; readonly prefix: string } {
    if (nsPtr === 0) return { uri: '', prefix: '' };
    let ns = this.nsCache.get(nsPtr);
    if (!ns) {
      const i32 = this.mem.i32;
      ns = { uri: cString(this.mem, i32[(nsPtr + NS_HREF) >> 2] as number), prefix: cString(this.mem, i32[(nsPtr + NS_PREFIX) >> 2] as number) };
      this.nsCache.set(nsPtr, ns);
    }
    return ns;
  }

  /** Local name of an element or attribute; '' for other nodes. */
  localName(id: number): string {
    const k = this.kind[id];
    return k === ELEMENT || k === ATTRIBUTE ? this.string(this.mem.i32[((this.ptr[id] as number) + NAME) >> 2] as number) : '';
  }

  namespaceUri(id: number): string {
    const k = this.kind[id];
    return k === ELEMENT || k === ATTRIBUTE ? this.nsOf(this.mem.i32[((this.ptr[id] as number) + NS) >> 2] as number).uri : '';
  }

  /** The QName as written in the document (XPath `name()`). */
  qname(id: number): string {
    const local = this.localName(id);
    const k = this.kind[id];
    if (k !== ELEMENT && k !== ATTRIBUTE) return '';
    const { prefix } = this.nsOf(this.mem.i32[((this.ptr[id] as number) + NS) >> 2] as number);
    return prefix === '' ? local : `${prefix}:${local}`;
  }

  /** The text of a text node, the value of an attribute, the content of a comment or PI. */
  private ownText(id: number): string {
    let v = this.values[id];
    if (v !== undefined) return v;
    const i32 = this.mem.i32;
    const ptr = this.ptr[id] as number;
    if (this.kind[id] === ATTRIBUTE) {
      v = '';
      for (let c = i32[(ptr + CHILDREN) >> 2] as number; c !== 0; c = i32[(c + NEXT) >> 2] as number) {
        v += cString(this.mem, i32[(c + CONTENT) >> 2] as number);
      }
    } else if (this.kind[id] === TEXT) {
      v = '';
      let c = ptr;
      for (let n = this.runs[id] as number; n > 0; n--, c = i32[(c + NEXT) >> 2] as number) v += cString(this.mem, i32[(c + CONTENT) >> 2] as number);
    } else {
      v = cString(this.mem, i32[(ptr + CONTENT) >> 2] as number);
    }
    this.values[id] = v;
    return v;
  }

  /** The string value of a node (XPath 1.0, 5): the text of every descendant text node of an element or document. */
  stringValue(id: number): string {
    const k = this.kind[id];
    if (k !== ELEMENT && k !== DOCUMENT) return this.ownText(id);
    let out = '';
    const last = this.end[id] as number;
    for (let i = id + 1; i <= last; i++) if (this.kind[i] === TEXT) out += this.ownText(i);
    return out;
  }

  /** An element's position among its sibling elements of the same name (1 for the first). */
  position(el: number): number {
    const local = this.localName(el);
    const uri = this.namespaceUri(el);
    let position = 1;
    for (let p = this.prevSibling[el] as number; p >= 0; p = this.prevSibling[p] as number) {
      if (this.kind[p] === ELEMENT && this.localName(p) === local && this.namespaceUri(p) === uri) position++;
    }
    return position;
  }

  /** `fn:path()`, as saxon-js writes it: `/Q{urn:hl7-org:v3}ClinicalDocument[1]/Q{urn:hl7-org:v3}id[2]/@root`. */
  path(id: number): string {
    const steps: string[] = [];
    let el = id;
    if (this.kind[id] === ATTRIBUTE) {
      const uri = this.namespaceUri(id);
      steps.push(uri ? `@Q{${uri}}${this.localName(id)}` : `@${this.localName(id)}`);
      el = this.parent[id] as number;
    }
    for (; el > 0 && this.kind[el] === ELEMENT; el = this.parent[el] as number) {
      steps.push(`Q{${this.namespaceUri(el)}}${this.localName(el)}[${this.position(el)}]`);
    }
    return `/${steps.reverse().join('/')}`;
  }
}

/** Trees of the documents seen last; a disposed document's tree gives its arrays to the next one. */
const recent: { doc: XmlDocument; tree: DocTree }[] = [];
const RECENT = 4;

const disposed = (doc: XmlDocument): boolean => (doc as unknown as { _ptr: number })._ptr === 0;

/** The tree of a document, read once and shared by every schematron file run on it. */
export function docTree(doc: XmlDocument): DocTree {
  const at = recent.findIndex((r) => r.doc === doc);
  const hit = at >= 0 ? recent[at] : undefined;
  if (hit && hit.tree.namesVersion === names.size) {
    hit.tree.mem = wasmMemory(doc);
    return hit.tree;
  }
  if (hit) recent.splice(at, 1);
  const free = recent.findIndex((r) => disposed(r.doc));
  const freed = free >= 0 ? recent.splice(free, 1)[0]?.tree : undefined;
  const tree = new DocTree(doc, freed && freed.kind.length <= MAX_REUSED ? freed : undefined);
  recent.push({ doc, tree });
  if (recent.length > RECENT) recent.shift();
  return tree;
}
