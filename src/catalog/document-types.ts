import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../config.js';

const DocumentTypeSchema = z.object({
  key: z.string().regex(/^[A-Z_]+$/),
  templateRoot: z.string().regex(/^\d+(\.\d+)+$/),
  name: z.string().min(1),
  loinc: z.array(z.string().regex(/^\d+-\d$/)),
  schematronStem: z.string().min(1),
});
const FileSchema = z.object({ $comment: z.string().optional(), types: z.array(DocumentTypeSchema).min(1) });

export type DocumentType = z.infer<typeof DocumentTypeSchema>;

/** Loads `mappings/document-types.json` once and checks it: unique keys and template roots. */
export function loadDocumentTypes(file = path.join(PROJECT_ROOT, 'mappings', 'document-types.json')): readonly DocumentType[] {
  const parsed = FileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  const keys = new Set<string>();
  const roots = new Set<string>();
  for (const t of parsed.types) {
    if (keys.has(t.key) || roots.has(t.templateRoot)) throw new Error(`${file}: duplicate type ${t.key} / ${t.templateRoot}`);
    keys.add(t.key);
    roots.add(t.templateRoot);
  }
  return Object.freeze(parsed.types.map((t) => Object.freeze(t)));
}

export type TypeSelection =
  | { readonly kind: 'found'; readonly type: DocumentType; readonly by: 'templateId' | 'code' }
  | { readonly kind: 'unknown'; readonly root?: string };

/**
 * Selects the document type as the Gateway does: by `@root` of the first `ClinicalDocument/templateId`
 * (See: Gateway API digest, 7.3); when that root is unknown, by `code/@code` if exactly one type uses it.
 */
export function selectDocumentType(
  types: readonly DocumentType[],
  header: { templateRoots: readonly string[]; code?: { code?: string } },
): TypeSelection {
  const root = header.templateRoots[0];
  const byRoot = root ? types.find((t) => t.templateRoot === root) : undefined;
  if (byRoot) return { kind: 'found', type: byRoot, by: 'templateId' };
  const code = header.code?.code;
  const byCode = code ? types.filter((t) => t.loinc.includes(code)) : [];
  if (byCode.length === 1 && byCode[0]) return { kind: 'found', type: byCode[0], by: 'code' };
  return { kind: 'unknown', root };
}
