import { XmlAttribute, XmlElement, XmlText, type XmlDocument } from 'libxml2-wasm';
import { copyElementAfter } from './cda-mutations.ts';
import { pick, type Random } from './seeded-random.ts';

/**
 * Random, seeded edits of a parsed CDA for differential tests of the schematron engines: elements removed, duplicated
 * (with their subtree), renamed, emptied or given another text; attributes removed, changed or added. Values are
 * chosen to make rules fire: empty, codes and OIDs taken from the same document, wrong OIDs, odd dates, null flavours.
 * Each edit returns a line saying what it did (kind, node name, position in `//*` document order).
 */
export type EditKind =
  | 'remove-element' | 'duplicate-element' | 'rename-element' | 'add-empty-sibling' | 'change-text'
  | 'remove-attribute' | 'change-attribute' | 'add-attribute';

export const EDIT_KINDS: readonly EditKind[] = [
  'remove-element', 'duplicate-element', 'rename-element', 'add-empty-sibling', 'change-text',
  'remove-attribute', 'change-attribute', 'add-attribute',
];

/** Values that official rules test: dates (HL7 TS), OIDs of the Italian FSE and of LOINC, codes, null flavours. */
const VALUES = [
  '', ' ', 'X', '0', '1', '-1', '3.5', 'NI', 'UNK', 'OTH', 'true', '20240101', '20241301', '2024-01-01',
  '20240101120000+0100', '19000101', '29991231', '2.16.840.1.113883.2.9.4.3.2', '2.16.840.1.113883.6.1',
  '2.16.840.1.113883.2.9.6.1.5', '2.16.840.1.113883.2.9.10.1.1', '1.2.3.4', 'ABCDEF12G34H567I', 'POCD_HD000040',
  'it-IT', 'en-US',
];

/** Attribute names added to elements that lack them: null flavours, codes, identifiers, HL7 structural codes. */
const ADDED_ATTRIBUTES = ['nullFlavor', 'code', 'codeSystem', 'root', 'extension', 'value', 'unit', 'classCode', 'moodCode', 'typeCode'];

// The root element is never edited: removing or duplicating it leaves no document (or not a well-formed one).
const elementsOf = (doc: XmlDocument): XmlElement[] =>
  doc.find('//*').filter((n): n is XmlElement => n instanceof XmlElement && n.parent !== null);
const attributesOf = (doc: XmlDocument): XmlAttribute[] =>
  doc.find('//@*').filter((n): n is XmlAttribute => n instanceof XmlAttribute);
const textsOf = (doc: XmlDocument): XmlText[] =>
  doc.find('//text()[normalize-space()]').filter((n): n is XmlText => n instanceof XmlText);

/**
 * Half the picks are uniform, half go through a distinct name first: rare elements (recordTarget, a section) and rare
 * attributes get their share instead of the thousands of leaf `code`/`value` nodes.
 */
function pickNamed<T extends { name: string }>(next: Random, items: readonly T[]): T {
  if (next() < 0.5) return pick(next, items);
  const name = pick(next, [...new Set(items.map((i) => i.name))]);
  return pick(next, items.filter((i) => i.name === name));
}

function newValue(next: Random, current: string, attributes: readonly XmlAttribute[], name: string): string {
  const r = next();
  if (r < 0.35) return pick(next, VALUES);
  const namesakes = attributes.filter((a) => a.name === name);
  if (r < 0.6 && namesakes.length > 0) return pick(next, namesakes).value;
  if (r < 0.75) return pick(next, attributes).value;
  if (r < 0.9) return `${current}X`;
  return current.slice(0, -1);
}

function where(elements: readonly XmlElement[], el: XmlElement | null): string {
  const i = el ? elements.findIndex((e) => e.isSameNode(el)) : -1;
  return i < 0 ? 'root' : `${el?.name ?? ''}#${i + 1}`;
}

/** Applies one edit of a kind drawn from `kinds` and says what it did. */
export function randomEdit(doc: XmlDocument, next: Random, kinds: readonly EditKind[] = EDIT_KINDS): string {
  // Only the node lists the kind needs: listing a CDA's attributes or texts costs as much as parsing it.
  const elements = elementsOf(doc);
  const kind = pick(next, kinds);
  switch (kind) {
    case 'remove-element': {
      const el = pickNamed(next, elements);
      const at = where(elements, el);
      el.remove();
      return `${kind} ${at}`;
    }
    case 'duplicate-element': {
      const el = pickNamed(next, elements);
      copyElementAfter(el);
      return `${kind} ${where(elements, el)}`;
    }
    case 'rename-element': {
      const el = pickNamed(next, elements);
      const name = pick(next, [...new Set(elements.map((e) => e.name))].filter((n) => n !== el.name));
      const at = where(elements, el);
      copyElementAfter(el, name);
      el.remove();
      return `${kind} ${at} -> ${name}`;
    }
    case 'add-empty-sibling': {
      const el = pickNamed(next, elements);
      el.appendElement(el.name, el.prefix || undefined);
      return `${kind} ${where(elements, el)}`;
    }
    case 'change-text': {
      const texts = textsOf(doc);
      const text = pick(next, texts);
      const value = next() < 0.5 ? pick(next, VALUES) : pick(next, texts).content;
      text.content = value;
      return `${kind} in ${where(elements, text.parent)} = ${JSON.stringify(value)}`;
    }
    case 'remove-attribute': {
      const attributes = attributesOf(doc);
      const a = pickNamed(next, attributes);
      const at = `@${a.name} of ${where(elements, a.parent)}`;
      a.remove();
      return `${kind} ${at}`;
    }
    case 'change-attribute': {
      const attributes = attributesOf(doc);
      const a = pickNamed(next, attributes);
      a.value = newValue(next, a.value, attributes, a.name);
      return `${kind} @${a.name} of ${where(elements, a.parent)} = ${JSON.stringify(a.value)}`;
    }
    case 'add-attribute': {
      const el = pickNamed(next, elements);
      const name = pick(next, ADDED_ATTRIBUTES);
      if (el.attr(name)) return randomEdit(doc, next, kinds); // setAttr would add a namespaced duplicate
      const value = newValue(next, '', attributesOf(doc), name);
      el.setAttr(name, value);
      return `${kind} @${name} to ${where(elements, el)} = ${JSON.stringify(value)}`;
    }
  }
}

/** Applies 1 edit (70 %), 2 (20 %) or 3 (10 %) and returns what each did. */
export function randomEdits(doc: XmlDocument, next: Random): string[] {
  const r = next();
  const count = r < 0.7 ? 1 : r < 0.9 ? 2 : 3;
  return Array.from({ length: count }, () => randomEdit(doc, next));
}
