import type { QueryResult } from '../../../src/domain/stored-query.js';
import type { Association } from '../../../src/domain/xds.js';
import type { ExpectedContent } from './testplan.js';

/**
 * The toolkit's `ExpectedContents` checks (its QueryTransaction/TestValidator), applied to a decoded response: counts
 * per object kind, ObjectRefs, None, and the SubmissionSet shapes of GetSubmissionSetAndContents. Returns what does
 * not hold, so a failing step says why. `None` is checked a little more strictly than the toolkit does: no ObjectRef
 * either.
 */

interface Counts {
  readonly Documents: number;
  readonly SubmissionSets: number;
  readonly Folders: number;
  readonly Associations: number;
  readonly ObjectRefs: number;
}

function counts(result: QueryResult): Counts {
  if (result.kind === 'ObjectRef') return { Documents: 0, SubmissionSets: 0, Folders: 0, Associations: 0, ObjectRefs: result.refs.length };
  return {
    Documents: result.documentEntries.length, SubmissionSets: result.submissionSets.length, Folders: result.folders.length,
    Associations: result.associations.length, ObjectRefs: 0,
  };
}

/** The SubmissionSet shapes: one set, `docs` entries, one folder holding them all, every link a HasMember. */
function setShape(result: QueryResult, docs: number): string[] {
  const c = counts(result);
  const expected = { SubmissionSets: 1, Documents: docs, Folders: 1, Associations: 1 + 3 * docs };
  const wrong = (Object.keys(expected) as (keyof typeof expected)[]).filter((k) => c[k] !== expected[k]);
  if (wrong.length > 0 || result.kind !== 'LeafClass') {
    return [`shape: expected ${JSON.stringify(expected)}, found ${JSON.stringify(c)}`];
  }
  const [ss] = result.submissionSets;
  const [folder] = result.folders;
  const problems: string[] = [];
  const link = (source: string | undefined, target: string | undefined): Association | undefined =>
    result.associations.find((a) => a.type === 'HasMember' && a.sourceUuid === source && a.targetUuid === target);
  if (link(ss?.entryUuid, folder?.entryUuid) === undefined) problems.push('no SubmissionSet -> Folder HasMember');
  for (const entry of result.documentEntries) {
    if (link(ss?.entryUuid, entry.entryUuid) === undefined) problems.push(`no SubmissionSet -> ${entry.entryUuid} HasMember`);
    const inFolder = link(folder?.entryUuid, entry.entryUuid);
    if (inFolder === undefined) problems.push(`no Folder -> ${entry.entryUuid} HasMember`);
    else if (link(ss?.entryUuid, inFolder.entryUuid) === undefined) problems.push(`no SubmissionSet -> (Folder -> ${entry.entryUuid}) HasMember`);
  }
  return problems;
}

/** SSwithOneDoc, SSwithTwoDoc: one set, `docs` entries, each a HasMember of the set, no folder. */
function plainSetShape(result: QueryResult, docs: number): string[] {
  const c = counts(result);
  const expected = { SubmissionSets: 1, Documents: docs, Folders: 0, Associations: docs };
  const wrong = (Object.keys(expected) as (keyof typeof expected)[]).filter((k) => c[k] !== expected[k]);
  if (wrong.length > 0 || result.kind !== 'LeafClass') return [`shape: expected ${JSON.stringify(expected)}, found ${JSON.stringify(c)}`];
  const ss = result.submissionSets[0]?.entryUuid;
  return result.documentEntries
    .filter((e) => !result.associations.some((a) => a.type === 'HasMember' && a.sourceUuid === ss && a.targetUuid === e.entryUuid))
    .map((e) => `no SubmissionSet -> ${e.entryUuid} HasMember`);
}

/** What of `expected` the result does not satisfy (empty when all hold). */
export function unmetExpectations(result: QueryResult, expected: readonly ExpectedContent[]): string[] {
  const c = counts(result);
  return expected.flatMap((e): string[] => {
    switch (e.name) {
      case 'Documents': case 'SubmissionSets': case 'Folders': case 'Associations':
        return c[e.name] === e.count ? [] : [`${e.name}: expected ${e.count}, found ${c[e.name]}`];
      case 'ObjectRefs': {
        const leaf = c.Documents + c.SubmissionSets + c.Folders + c.Associations;
        return c.ObjectRefs === e.count && leaf === 0 ? [] : [`ObjectRefs: expected ${e.count} (and no objects), found ${c.ObjectRefs} (+${leaf} objects)`];
      }
      case 'None':
        return Object.values(c).every((n) => n === 0) ? [] : [`None: found ${JSON.stringify(c)}`];
      case 'SSwithOneDocOneFol':
        return setShape(result, 1);
      case 'SSwithTwoDocOneFol':
        return setShape(result, 2);
      case 'SSwithOneDoc':
        return plainSetShape(result, 1);
      case 'SSwithTwoDoc':
        return plainSetShape(result, 2);
      case 'DocApp':
        // Every DocumentEntry returned is Approved (the toolkit's "documents approved" check).
        return result.kind === 'LeafClass' && result.documentEntries.length > 0 && result.documentEntries.every((e) => e.status === 'Approved')
          ? [] : ['DocApp: not every DocumentEntry is Approved (or none returned)'];
      default:
        return [`expectation ${e.name} is not implemented by this replay`];
    }
  });
}
