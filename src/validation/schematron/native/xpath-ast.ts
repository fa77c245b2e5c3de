/**
 * The syntax tree of the XPath 2.0 subset the schematron files use: all of XPath 1.0 plus `if`, `some`/`every`,
 * sequences, value comparisons and `castable as`. Names are resolved against the schema's namespaces when parsed.
 * See: XML Path Language (XPath) 2.0, 3 "Expressions".
 */

export type Axis =
  | 'child' | 'attribute' | 'self' | 'parent' | 'descendant' | 'descendant-or-self' | 'ancestor' | 'ancestor-or-self'
  | 'following-sibling' | 'preceding-sibling' | 'following' | 'preceding';

export type NodeTest =
  | { readonly k: 'name'; readonly uri: string; readonly local: string }
  /** `*` (any name), `p:*` (uri set), `*:l` (local set). */
  | { readonly k: 'wild'; readonly uri?: string; readonly local?: string }
  | { readonly k: 'kind'; readonly kind: 'node' | 'text' | 'comment' | 'processing-instruction' };

export type Step =
  | { readonly t: 'axis'; readonly axis: Axis; readonly test: NodeTest; readonly preds: readonly Expr[] }
  | { readonly t: 'filter'; readonly e: Expr };

export type GeneralOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ValueOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type ArithOp = '+' | '-' | '*' | 'div' | 'mod' | 'idiv';

export type Expr =
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'num'; readonly v: number }
  | { readonly t: 'var'; readonly name: string }
  | { readonly t: 'seq'; readonly items: readonly Expr[] }
  | { readonly t: 'if'; readonly cond: Expr; readonly then: Expr; readonly else: Expr }
  | { readonly t: 'quant'; readonly every: boolean; readonly name: string; readonly in: Expr; readonly sat: Expr }
  | { readonly t: 'or' | 'and'; readonly items: readonly Expr[] }
  | { readonly t: 'cmp'; readonly op: GeneralOp; readonly l: Expr; readonly r: Expr }
  | { readonly t: 'vcmp'; readonly op: ValueOp; readonly l: Expr; readonly r: Expr }
  | { readonly t: 'arith'; readonly op: ArithOp; readonly l: Expr; readonly r: Expr }
  | { readonly t: 'neg'; readonly e: Expr }
  | { readonly t: 'union'; readonly items: readonly Expr[] }
  | { readonly t: 'castable'; readonly e: Expr; readonly type: string; readonly optional: boolean }
  | { readonly t: 'call'; readonly name: string; readonly args: readonly Expr[] }
  /** A path: from the document node when `root`, else from the context item; `//` is already a descendant-or-self step. */
  | { readonly t: 'path'; readonly root: boolean; readonly steps: readonly Step[] }
  | { readonly t: 'filter'; readonly e: Expr; readonly preds: readonly Expr[] };
