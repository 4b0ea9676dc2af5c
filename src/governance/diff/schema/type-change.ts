/** Classifies a change of type or format as a widening, a narrowing or a break, the way oasdiff's checker does. */

/** The types (null left out) and the format of one side. */
export interface TypeFormat {
  types: readonly string[];
  format: string;
}

/** The verdict; `compatible` is a swap that is safe only because the media type is not strongly typed. */
export type TypeVerdict = 'changed' | 'generalized' | 'specialized' | 'compatible';

/** Where the schema sits, which decides how lenient the type comparison is. */
export type TypeSite = 'body' | 'parameter' | 'parameter-property' | 'response' | 'response-header';

interface SetDiff {
  added: string[];
  deleted: string[];
}

function setDiff(from: readonly string[], to: readonly string[]): SetDiff | undefined {
  const added = to.filter((t) => !from.includes(t));
  const deleted = from.filter((t) => !to.includes(t));
  return added.length === 0 && deleted.length === 0 ? undefined : { added, deleted };
}

/** Every integer is a number. */
function isSubtype(sub: string, sup: string): boolean {
  return sub === sup || (sub === 'integer' && sup === 'number');
}

function isTypeSetSubset(sub: readonly string[], sup: readonly string[]): boolean {
  return sub.length > 0 && sub.every((t) => sup.some((s) => isSubtype(t, s)));
}

/** The old types (`from`) still fit the new ones (`to`); in text media anything fits a string. */
function isTypeContained(to: readonly string[], from: readonly string[], stronglyTyped: boolean): boolean {
  if (to.length === 1 && from.length === 1 && isSubtype(from[0], to[0])) return true;
  if (!stronglyTyped) return to.length === 0 || (to.length === 1 && to[0] === 'string');
  return false;
}

/** Formats whose values include those of another format of the same type. */
function isFormatContained(toTypes: readonly string[], to: string, from: string): boolean {
  if (to === '') return true;
  if (toTypes.length !== 1) return false;
  switch (toTypes[0]) {
    case 'number':
      return to === 'double' && from === 'float';
    case 'integer':
      return (to === 'int64' && from === 'int32') || (to === 'bigint' && (from === 'int32' || from === 'int64'));
    case 'string':
      return to === 'date-time' && (from === 'date' || from === 'time');
    default:
      return false;
  }
}

/** Judges a change toward `toTypes`: the type axis and the format axis separately, breaking if either is. */
function typeOrFormatBreaking(types: SetDiff | undefined, format: { from: string; to: string } | undefined, stronglyTyped: boolean, toTypes: readonly string[]): boolean {
  const typeBreaking = types !== undefined && !isTypeContained(types.added, types.deleted, stronglyTyped);
  const formatBreaking = format !== undefined && !isFormatContained(toTypes, format.to, format.from);
  return typeBreaking || formatBreaking;
}

function typeFormatBreaking(types: SetDiff | undefined, format: { from: string; to: string } | undefined, stronglyTyped: boolean, toTypes: readonly string[]): boolean {
  // No type constraint on the receiving side: any value is accepted.
  if (types !== undefined && toTypes.length === 0) return false;
  return typeOrFormatBreaking(types, format, stronglyTyped, toTypes);
}

/**
 * The verdict on a change of type or format between `base` and `revision`, or undefined when
 * neither changed. Requests are judged toward the revision (it must accept what clients sent),
 * responses toward the base (clients must accept what is now returned).
 */
export function classifyTypeChange(base: TypeFormat, revision: TypeFormat, site: TypeSite, stronglyTyped: boolean): TypeVerdict | undefined {
  const types = setDiff(base.types, revision.types);
  const format = base.format !== revision.format ? { from: base.format, to: revision.format } : undefined;
  if (!types && !format) return undefined;
  const bothConcrete = base.types.length > 0 && revision.types.length > 0;
  switch (site) {
    case 'parameter':
      // A scalar parameter is text on the wire: anything may become a string.
      return typeOrFormatBreaking(types, format, false, revision.types) ? 'changed' : 'generalized';
    case 'parameter-property': {
      // An object parameter's serialisation is unknown: when the strict and lenient readings
      // disagree the change is uncertain (reported as a warning).
      const strict = typeOrFormatBreaking(types, format, true, revision.types);
      const lenient = typeOrFormatBreaking(types, format, false, revision.types);
      if (strict !== lenient) return 'changed';
      return strict ? 'specialized' : 'generalized';
    }
    case 'body': {
      const widened = types !== undefined && isTypeSetSubset(base.types, revision.types);
      if (typeFormatBreaking(widened ? undefined : types, format, stronglyTyped, revision.types)) return 'changed';
      if (types && bothConcrete && !widened) return 'compatible';
      return 'generalized';
    }
    case 'response':
    case 'response-header': {
      const strongly = site === 'response' ? stronglyTyped : false;
      const narrowed = types !== undefined && isTypeSetSubset(revision.types, base.types);
      const reversedTypes = narrowed || !types ? undefined : { added: types.deleted, deleted: types.added };
      const reversedFormat = format ? { from: format.to, to: format.from } : undefined;
      if (typeFormatBreaking(reversedTypes, reversedFormat, strongly, base.types)) {
        return types !== undefined && isTypeSetSubset(base.types, revision.types) ? 'generalized' : 'changed';
      }
      if (types && bothConcrete && !narrowed) return 'compatible';
      return 'specialized';
    }
  }
}

/** `string`, `string/uuid`, `array<integer>`: one side of a type change for a message. */
export function describeTypeFormat(side: TypeFormat, nullable: boolean, itemType?: TypeFormat): string {
  const names = side.types.map((t) => (t === 'array' && itemType ? `array<${describeTypeFormat(itemType, false)}>` : t));
  if (nullable) names.push('null');
  const type = names.length === 0 ? 'any' : names.join(', ');
  if (!side.format) return type;
  return type === 'any' ? side.format : `${type}/${side.format}`;
}
