import type { XmlDocument } from 'libxml2-wasm';
import { XmlNodeSetStruct } from 'libxml2-wasm/lib/libxml2.mjs';

/**
 * Direct reads of libxml2-wasm's WebAssembly memory, so that a document's tree can be walked in JavaScript at the
 * cost of an array read per field instead of a call into the library per field (measured on the VPS corpus: a libxml2
 * XPath evaluation costs 0.3 us of call overhead before it does any work, and the schematron of one document runs a few
 * thousand of them). libxml2-wasm does not export its memory; `XmlNodeSetStruct.nodeTable` returns a view on it, which
 * is how this module reaches the buffer. This, and the struct offsets in doc-tree.ts, are internals of libxml2-wasm
 * 0.7.x (wasm32 layout of libxml2's xmlNode/xmlAttr/xmlNs): a version that changes them fails the native engine's
 * unit tests, which read the same tree through the public API.
 */

/** Views on the memory as it is now; the memory grows (and its buffer is replaced) only while libxml2 allocates. */
export interface WasmMemory {
  readonly i32: Int32Array;
  readonly u8: Uint8Array;
  readonly text: Utf8Slicer;
}

/** Node's own UTF-8 decoder of a Buffer range: measured 6x faster than `toString('utf8', start, end)` on short strings. */
interface Utf8Slicer { utf8Slice(start: number, end: number): string }

let cached: WasmMemory | undefined;

/** The current memory views: call again after anything that may have called into libxml2. */
export function wasmMemory(doc: XmlDocument): WasmMemory {
  const ptr = (doc as unknown as { _ptr: number })._ptr;
  const buffer = XmlNodeSetStruct.nodeTable(ptr, 0).buffer as ArrayBuffer;
  if (cached?.i32.buffer !== buffer) cached = { i32: new Int32Array(buffer), u8: new Uint8Array(buffer), text: Buffer.from(buffer) as unknown as Utf8Slicer };
  return cached;
}

/** The NUL-terminated UTF-8 string at `ptr` ('' for a null pointer). */
export function cString(mem: WasmMemory, ptr: number): string {
  if (ptr === 0) return '';
  const end = mem.u8.indexOf(0, ptr);
  return mem.text.utf8Slice(ptr, end);
}
