/**
 * The slice of the saxon-js 2.x API the schematron runner uses (the package ships no type declarations).
 * See: SaxonJS documentation, "SaxonJS.transform".
 */
declare module 'saxon-js' {
  interface TransformOptions {
    /** The parsed SEF object, reused across calls. */
    stylesheetInternal?: unknown;
    stylesheetFileName?: string;
    sourceText?: string;
    destination?: 'serialized' | 'raw' | 'document' | 'application';
  }
  interface TransformResult {
    principalResult: unknown;
  }
  const SaxonJS: {
    transform(options: TransformOptions, mode: 'sync'): TransformResult;
  };
  export default SaxonJS;
}
