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
    /** A document already parsed by SaxonJS (e.g. with `parse-xml`). */
    sourceNode?: unknown;
    destination?: 'serialized' | 'raw' | 'document' | 'application';
  }
  interface TransformResult {
    principalResult: unknown;
  }
  const SaxonJS: {
    transform(options: TransformOptions, mode: 'sync'): TransformResult;
    XPath: {
      /** Synchronous XPath 3.1 evaluation. See: SaxonJS documentation, "SaxonJS.XPath.evaluate". */
      evaluate(xpath: string, context: unknown, options?: { params?: Record<string, unknown> }): unknown;
    };
  };
  export default SaxonJS;
}
