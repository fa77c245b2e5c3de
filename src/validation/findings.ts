/** A single outcome of a validation stage, typed so every transport can render it. */
export type Severity = 'error' | 'warning';

export interface Finding {
  /** Rule id: the schematron message prefix before `|` (`ERRORE-5`, `W001`), or a stage code (`XSD`, `VOCAB`). */
  readonly id: string;
  readonly severity: Severity;
  readonly message: string;
  /** XPath of the offending node, when known. */
  readonly location?: string;
}

/** The stage that produced the verdict, mirroring the Gateway validator's raw results. See: Gateway API, section 7.1. */
export type ValidationStage = 'syntax' | 'semantic' | 'vocabulary';

export interface StageTimings {
  readonly parseMs: number;
  readonly xsdMs: number;
  readonly schematronMs: number;
  readonly terminologyMs: number;
  readonly regionalMs: number;
}

export interface ValidationReport {
  /** Document type key from `mappings/document-types.json` (e.g. `LDO`), or undefined when unknown. */
  readonly docType?: string;
  readonly valid: boolean;
  /** The first stage that failed, if any (the Gateway stops at the first failing stage). */
  readonly failedStage?: ValidationStage;
  readonly errors: readonly Finding[];
  /** National warnings (schematron successful reports and W-asserts). */
  readonly warnings: readonly Finding[];
  /** Findings of the regional rules: never blocking, reported after `--middlewarewarning--`. */
  readonly regionalWarnings: readonly Finding[];
  readonly timings: StageTimings;
}
