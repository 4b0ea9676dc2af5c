/** Finds a member name repeated within one JSON object, in one pass over the bytes of a text that already parsed (request and response path). */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Objects with up to this many members compare names byte by byte; a larger one moves its names into a Set. */
const SMALL_OBJECT = 8;

/**
 * The path (member names and array indexes) of the first member whose name repeats an earlier
 * member of the same object, or undefined when every object's names are distinct. `json` must be a
 * text JSON.parse accepted: the scan relies on that and checks no grammar. JSON.parse keeps the last
 * of repeated members while other parsers keep the first, so a text with repeats means different
 * things to the gateway and to whoever reads it next.
 *
 * Cost: one pass over the bytes. The names of the open objects are kept as byte ranges in one flat
 * list (no string is made); an object with more than {@link SMALL_OBJECT} members, or a name holding
 * an escape (so that `"a"` and `"\u0061"` compare equal), switches that object to decoded names in
 * a Set, which keeps the scan linear.
 */
export function findDuplicateKey(json: Buffer): Array<string | number> | undefined {
  const length = json.length;
  // Per depth: whether the container is an array, its current index, the range of its current
  // member name, where its names begin in `ranges`, and its Set once it has one.
  const isArray: boolean[] = [];
  const index: number[] = [];
  const keyStart: number[] = [];
  const keyEnd: number[] = [];
  const base: number[] = [];
  const sets: Array<Set<string> | undefined> = [];
  const ranges: number[] = [];
  let depth = -1;
  let expectKey = false;
  for (let i = 0; i < length; i++) {
    const byte = json[i]!;
    if (byte === QUOTE) {
      const start = i + 1;
      let escaped = false;
      let j = start;
      for (;;) {
        const b = json[j]!;
        if (b === QUOTE) break;
        if (b === BACKSLASH) {
          escaped = true;
          j += 2;
        } else {
          j++;
        }
      }
      i = j;
      if (!expectKey) continue;
      expectKey = false;
      keyStart[depth] = start;
      keyEnd[depth] = escaped ? -j : j;
      let set = sets[depth];
      const from = base[depth]!;
      if (set === undefined && (escaped || ranges.length - from >= 2 * SMALL_OBJECT)) {
        set = new Set<string>();
        for (let k = from; k < ranges.length; k += 2) set.add(nameOf(json, ranges[k]!, ranges[k + 1]!));
        sets[depth] = set;
      }
      if (set !== undefined) {
        const name = nameOf(json, start, keyEnd[depth]!);
        if (set.has(name)) return pathOf(json, depth, isArray, index, keyStart, keyEnd);
        set.add(name);
      } else {
        for (let k = from; k < ranges.length; k += 2) {
          if (sameBytes(json, ranges[k]!, ranges[k + 1]!, start, j)) return pathOf(json, depth, isArray, index, keyStart, keyEnd);
        }
      }
      ranges.push(start, keyEnd[depth]!);
    } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      depth++;
      const array = byte === OPEN_ARRAY;
      isArray[depth] = array;
      index[depth] = 0;
      base[depth] = ranges.length;
      sets[depth] = undefined;
      expectKey = !array;
    } else if (byte === COMMA) {
      if (isArray[depth]) index[depth]!++;
      else expectKey = true;
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
      ranges.length = base[depth]!;
      sets[depth] = undefined;
      depth--;
      expectKey = false;
    } else if (byte === COLON) {
      expectKey = false;
    }
  }
  return undefined;
}

/** Byte equality of two unescaped names (`end` of an escaped name is stored negated, and never equal here). */
function sameBytes(json: Buffer, aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
  const size = bEnd - bStart;
  if (aEnd - aStart !== size) return false;
  for (let k = 0; k < size; k++) if (json[aStart + k] !== json[bStart + k]) return false;
  return true;
}

/** The decoded name in `json[start, |end|)`; a negative `end` marks a name holding an escape. */
function nameOf(json: Buffer, start: number, end: number): string {
  return end < 0 ? (JSON.parse(json.toString('utf8', start - 1, 1 - end)) as string) : json.toString('utf8', start, end);
}

function pathOf(json: Buffer, depth: number, isArray: boolean[], index: number[], keyStart: number[], keyEnd: number[]): Array<string | number> {
  const path: Array<string | number> = [];
  for (let d = 0; d <= depth; d++) path.push(isArray[d] ? index[d]! : nameOf(json, keyStart[d]!, keyEnd[d]!));
  return path;
}
