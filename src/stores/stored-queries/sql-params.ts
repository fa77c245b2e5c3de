/**
 * Positional parameters collected while a stored query's SQL text is assembled: `add(value)` records the value and
 * returns its placeholder (`$3`), so the SQL reads in order in review and values never enter the text (STYLE rule 14).
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
