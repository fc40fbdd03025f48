/*
 * The int32 storage of RowAggregator: no object per row or per participant-week,
 * and no string per plain row.
 */

/** The most bytes a growable array may reach (2 GiB less a page): virtual address space, only reserved. */
const MAX_GROWABLE_BYTES = 2 ** 31 - 4096;

/**
 * An Int32Array, zeroed, that {@link ensureLength} grows in place: it views a
 * resizable ArrayBuffer, so growing copies nothing and touches only the pages then
 * written (a doubled copy touched each page twice, and page faults are much of what
 * ingesting a large file costs on a small VM). Its length follows the buffer's.
 */
export function growableInt32Array(length: number): Int32Array {
  return new Int32Array(new ArrayBuffer(length * 4, { maxByteLength: MAX_GROWABLE_BYTES }));
}

/** Grows a {@link growableInt32Array} (doubling) until it has at least `length` elements; new ones are 0. */
export function ensureLength(array: Int32Array, length: number): void {
  if (length <= array.length) return;
  const buffer = array.buffer as ArrayBuffer;
  buffer.resize(Math.min(MAX_GROWABLE_BYTES, Math.max(length * 4, buffer.byteLength * 2)));
  if (array.length < length) throw new RangeError(`more than ${MAX_GROWABLE_BYTES / 4} int32 values in one table`);
}

/** Records of four int32 fields in one growing array: no object per row. */
export class Records {
  readonly data = growableInt32Array(4 * 256);
  length = 0;

  push(a: number, b: number, c: number, d: number): void {
    let at = this.length * 4;
    ensureLength(this.data, at + 4);
    this.data[at++] = a;
    this.data[at++] = b;
    this.data[at++] = c;
    this.data[at] = d;
    this.length++;
  }
}

/**
 * The participant-week slots of one timesheet: slot numbers given in order of first
 * use to (participant index, week index) pairs, found through an open-addressing hash
 * table on Int32Arrays. The ingest looks one up per row, so this avoids what a
 * `Map<number, number>` costs there: a key above 2^30 is a heap number per row, and
 * the map's entries are objects the garbage collector keeps walking.
 */
export class ParticipantWeekSlots {
  readonly #participant = growableInt32Array(1024);
  readonly #week = growableInt32Array(1024);
  /** slot + 1 per bucket, 0 for empty; a power of two in length, kept at most half full. */
  #table = new Int32Array(2048);
  #size = 0;
  /**
   * Per participant index, the week (+ 1, so 0 is none) and slot it was last asked for:
   * a system export lists a participant's days one after another, mostly in one week,
   * so most rows find their slot here, without the table's scattered reads.
   */
  readonly #last = growableInt32Array(2 * 1024);

  /** How many slots there are (the next new slot's number). */
  get size(): number {
    return this.#size;
  }

  /** The slot of (participant, week), numbered `size` when it is new. Both are ≥ 0 and below 2^31. */
  slotOf(participant: number, week: number): number {
    const last = this.#last;
    if (2 * participant < last.length && last[2 * participant] === week + 1) return last[2 * participant + 1]!;
    const slot = this.#find(participant, week);
    ensureLength(last, 2 * participant + 2);
    last[2 * participant] = week + 1;
    last[2 * participant + 1] = slot;
    return slot;
  }

  #find(participant: number, week: number): number {
    const table = this.#table;
    const mask = table.length - 1;
    for (let at = hash(participant, week) & mask; ; at = (at + 1) & mask) {
      const entry = table[at]!;
      if (entry === 0) return this.#add(at, participant, week);
      if (this.#participant[entry - 1] === participant && this.#week[entry - 1] === week) return entry - 1;
    }
  }

  /** The participant index of a slot. */
  participantOf(slot: number): number {
    return this.#participant[slot]!;
  }

  /** The week index of a slot. */
  weekOf(slot: number): number {
    return this.#week[slot]!;
  }

  /**
   * Every slot, ordered by its participant's name (code-unit order, as the hours CSV is
   * sorted; `names` by participant index, all different) then by week: a sort of the
   * names, a counting sort of the slots by name rank, and an insertion sort of each
   * participant's few weeks.
   */
  sortedByName(names: readonly string[]): Int32Array {
    const byName = Array.from(names.keys()).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
    const rank = new Int32Array(names.length);
    byName.forEach((participant, r) => (rank[participant] = r));
    const start = new Int32Array(names.length + 1);
    for (let slot = 0; slot < this.#size; slot++) start[rank[this.#participant[slot]!]! + 1]!++;
    for (let r = 0; r < names.length; r++) start[r + 1]! += start[r]!;
    const next = start.slice(0, names.length);
    const sorted = new Int32Array(this.#size);
    for (let slot = 0; slot < this.#size; slot++) sorted[next[rank[this.#participant[slot]!]!]!++] = slot;
    for (let r = 0; r < names.length; r++) {
      for (let i = start[r]! + 1; i < start[r + 1]!; i++) {
        const slot = sorted[i]!;
        const week = this.#week[slot]!;
        let j = i - 1;
        for (; j >= start[r]! && this.#week[sorted[j]!]! > week; j--) sorted[j + 1] = sorted[j]!;
        sorted[j + 1] = slot;
      }
    }
    return sorted;
  }

  #add(at: number, participant: number, week: number): number {
    const slot = this.#size++;
    ensureLength(this.#participant, slot + 1);
    ensureLength(this.#week, slot + 1);
    this.#participant[slot] = participant;
    this.#week[slot] = week;
    this.#table[at] = slot + 1;
    if (this.#size * 2 > this.#table.length) this.#rehash();
    return slot;
  }

  #rehash(): void {
    this.#table = doubled(this.#table, this.#size, (slot) => hash(this.#participant[slot]!, this.#week[slot]!));
  }
}

/** Mixes both numbers into 32 bits (multiplicative hashing, then the high bits folded down). */
function hash(participant: number, week: number): number {
  const h = Math.imul(participant, 0x9e3779b1) ^ Math.imul(week + 0x7f4a7c15, 0x85ebca6b);
  return h ^ (h >>> 15);
}

/** What {@link ByteKeyTable.get} returns for a key it does not hold. */
export const ABSENT = -0x8000_0000;
/** Keys longer than this are never held: the caller reads such a value the long way each time. */
const MAX_KEY_BYTES = 128;

/**
 * Int32 values by short byte strings (a cell's bytes as read), looked up without
 * making a string: an open-addressing table over keys kept in one growing pool of
 * bytes. The ingest's fast path finds each plain row's participant, date, hours and
 * activity here, so a cell's text is read (and validated) once per distinct
 * spelling, not once per row. At most `maxKeys` keys are held, which bounds the
 * memory a file of ever-new spellings can take; past it, `set` holds nothing more.
 */
export class ByteKeyTable {
  readonly #maxKeys: number;
  #pool = new Uint8Array(4096);
  #poolUsed = 0;
  readonly #keyStart = growableInt32Array(64);
  readonly #keyLength = growableInt32Array(64);
  readonly #keyHash = growableInt32Array(64);
  readonly #value = growableInt32Array(64);
  /** key + 1 per bucket, 0 for empty; a power of two in length, kept at most half full. */
  #table = new Int32Array(128);
  #size = 0;

  constructor(maxKeys: number) {
    this.#maxKeys = maxKeys;
  }

  /** How many keys are held. */
  get size(): number {
    return this.#size;
  }

  /** The value held for `bytes[start, end)`, or ABSENT. */
  get(bytes: Uint8Array, start: number, end: number): number {
    const key = this.#find(bytes, start, end, hashBytes(bytes, start, end));
    return key >= 0 ? this.#value[key]! : ABSENT;
  }

  /** Holds `value` for `bytes[start, end)` (copying the bytes), unless it is a new key that is too long or finds the table full. */
  set(bytes: Uint8Array, start: number, end: number, value: number): void {
    const length = end - start;
    const hash = hashBytes(bytes, start, end);
    const found = this.#find(bytes, start, end, hash);
    if (found >= 0) {
      this.#value[found] = value;
      return;
    }
    if (length > MAX_KEY_BYTES || this.#size >= this.#maxKeys) return;
    const key = this.#size++;
    ensureLength(this.#keyStart, key + 1);
    ensureLength(this.#keyLength, key + 1);
    ensureLength(this.#keyHash, key + 1);
    ensureLength(this.#value, key + 1);
    while (this.#poolUsed + length > this.#pool.length) {
      const pool = new Uint8Array(this.#pool.length * 2);
      pool.set(this.#pool);
      this.#pool = pool;
    }
    this.#pool.set(bytes.subarray(start, end), this.#poolUsed);
    this.#keyStart[key] = this.#poolUsed;
    this.#keyLength[key] = length;
    this.#keyHash[key] = hash;
    this.#value[key] = value;
    this.#poolUsed += length;
    if (this.#size * 2 > this.#table.length) this.#table = doubled(this.#table, this.#size, (each) => this.#keyHash[each]!);
    else this.#table[emptyBucket(this.#table, hash)] = key + 1;
  }

  /** The key number of `bytes[start, end)`, or -1. */
  #find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const table = this.#table;
    const mask = table.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const entry = table[at]!;
      if (entry === 0) return -1;
      const key = entry - 1;
      if (this.#keyHash[key] === hash && this.#keyIs(key, bytes, start, end)) return key;
    }
  }

  /** Whether key number `key` is `bytes[start, end)`. */
  #keyIs(key: number, bytes: Uint8Array, start: number, end: number): boolean {
    if (this.#keyLength[key] !== end - start) return false;
    const pool = this.#pool;
    const from = this.#keyStart[key]! - start;
    let i = start;
    while (i < end && pool[from + i] === bytes[i]) i++;
    return i === end;
  }

}

// The two tables above are open addressing with linear probing over an Int32Array
// of entry + 1 per bucket (0 for empty), a power of two in length, at most half full.

/** The first empty bucket for `hash` in `table`. */
function emptyBucket(table: Int32Array, hash: number): number {
  const mask = table.length - 1;
  let at = hash & mask;
  while (table[at] !== 0) at = (at + 1) & mask;
  return at;
}

/** `table` twice as long, holding entries 0 to `size` - 1 again, each by its hash. */
function doubled(table: Int32Array, size: number, hashOf: (entry: number) => number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(table.length * 2);
  for (let entry = 0; entry < size; entry++) bigger[emptyBucket(bigger, hashOf(entry))] = entry + 1;
  return bigger;
}

/** FNV-1a over the bytes, then the high bits folded down (the table indexes by the low ones). */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h ^ (h >>> 16);
}
