/**
 * A person's birth date as their fiscal code states it (characters 7-11: year, month letter, day, plus 40 for women),
 * with omocodia undone (digits replaced by letters L M N P Q R S T U V when two codes would collide). The year has two
 * digits: the most recent century that does not put the birth in the future is taken. Used for one rule: a parent acts
 * for a minor only. See: privacy digest 5; Gateway API digest 5.3 (fiscal codes).
 */
const MONTHS = 'ABCDEHLMPRST';
const OMOCODIA = 'LMNPQRSTUV';
const DIGIT_POSITIONS = [6, 7, 9, 10];

export function birthDateOf(fiscalCode: string, now: Date): Date | undefined {
  if (!/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(fiscalCode)) return undefined;
  const chars = [...fiscalCode];
  for (const i of DIGIT_POSITIONS) {
    const at = OMOCODIA.indexOf(chars[i] ?? '');
    if (at >= 0) chars[i] = String(at);
  }
  const yy = Number(chars.slice(6, 8).join(''));
  const month = MONTHS.indexOf(chars[8] ?? '');
  const day = Number(chars.slice(9, 11).join('')) % 40;
  if (day < 1 || day > 31) return undefined;
  const century = 2000 + yy <= now.getUTCFullYear() ? 2000 : 1900;
  const date = new Date(Date.UTC(century + yy, month, day));
  return date.getUTCDate() === day ? date : undefined;
}

/** Whole years from `birth` to `now`. */
export function ageAt(birth: Date, now: Date): number {
  const years = now.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday = now.getUTCMonth() < birth.getUTCMonth()
    || (now.getUTCMonth() === birth.getUTCMonth() && now.getUTCDate() < birth.getUTCDate());
  return beforeBirthday ? years - 1 : years;
}
