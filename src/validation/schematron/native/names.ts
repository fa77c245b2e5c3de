/**
 * Element and attribute names as small integers, so that a name test is one integer comparison. Names are interned
 * when a schematron file is compiled (the names its expressions test); a document's names are only looked up, so a
 * document cannot grow the table. A document name no rule mentions gets {@link UNKNOWN_NAME}.
 */

export const UNKNOWN_NAME = -1;

class Names {
  private readonly ids = new Map<string, number>();

  get size(): number {
    return this.ids.size;
  }

  /** The id of a name a compiled expression tests (created on first use). */
  intern(uri: string, local: string): number {
    const key = `${uri}\u0000${local}`;
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
    }
    return id;
  }

  /** The id of a document's name, or UNKNOWN_NAME when no compiled expression tests it. */
  lookup(uri: string, local: string): number {
    return this.ids.get(`${uri}\u0000${local}`) ?? UNKNOWN_NAME;
  }
}

export const names = new Names();
