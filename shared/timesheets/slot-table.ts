/*
 * The int32 storage of RowAggregator: no object per row or per participant-week.
 */

/** Records of four int32 fields in one growing array: no object per row. */
export class Records {
  data = new Int32Array(4 * 256);
  length = 0;

  push(a: number, b: number, c: number, d: number): void {
    let at = this.length * 4;
    if (at === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
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
  #participant: Int32Array = new Int32Array(1024);
  #week: Int32Array = new Int32Array(1024);
  /** slot + 1 per bucket, 0 for empty; a power of two in length, kept at most half full. */
  #table = new Int32Array(2048);
  #size = 0;
  /**
   * Per participant index, the week and slot it was last asked for, (week, slot) pairs:
   * a system export lists a participant's days one after another, mostly in one week,
   * so most rows find their slot here, without the table's scattered reads.
   */
  #last: Int32Array = new Int32Array(2 * 1024).fill(-1);

  /** How many slots there are (the next new slot's number). */
  get size(): number {
    return this.#size;
  }

  /** The slot of (participant, week), numbered `size` when it is new. Both are ≥ 0 and below 2^31. */
  slotOf(participant: number, week: number): number {
    const last = this.#last;
    if (2 * participant < last.length && last[2 * participant] === week) return last[2 * participant + 1]!;
    const slot = this.#find(participant, week);
    if (2 * participant >= last.length) {
      this.#last = new Int32Array(Math.max(2 * last.length, 2 * participant + 2)).fill(-1);
      this.#last.set(last);
    }
    this.#last[2 * participant] = week;
    this.#last[2 * participant + 1] = slot;
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
    if (slot === this.#participant.length) {
      this.#participant = grown(this.#participant);
      this.#week = grown(this.#week);
    }
    this.#participant[slot] = participant;
    this.#week[slot] = week;
    this.#table[at] = slot + 1;
    if (this.#size * 2 > this.#table.length) this.#rehash();
    return slot;
  }

  #rehash(): void {
    const table = new Int32Array(this.#table.length * 2);
    const mask = table.length - 1;
    for (let slot = 0; slot < this.#size; slot++) {
      let at = hash(this.#participant[slot]!, this.#week[slot]!) & mask;
      while (table[at] !== 0) at = (at + 1) & mask;
      table[at] = slot + 1;
    }
    this.#table = table;
  }
}

/** Twice the length, the old content first. */
function grown(array: Int32Array): Int32Array {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** Mixes both numbers into 32 bits (multiplicative hashing, then the high bits folded down). */
function hash(participant: number, week: number): number {
  const h = Math.imul(participant, 0x9e3779b1) ^ Math.imul(week + 0x7f4a7c15, 0x85ebca6b);
  return h ^ (h >>> 15);
}
