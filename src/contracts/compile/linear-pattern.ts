/** Contract `pattern`s evaluated in linear time: ECMA-262 (`u` mode) syntax translated to RE2 (re2js); what RE2 cannot express is refused. */
import { RE2JS } from 're2js';

/**
 * Why linear time: a backtracking engine (JavaScript's RegExp) can take exponential time on a pattern
 * such as `^(a+)+$`, so one request could stall the event loop that serves every other request.
 * RE2 matches in time linear in the input, and has no lookaround and no backreferences: a pattern
 * that uses them is refused when the contract loads, never evaluated with the backtracking engine.
 */

/** A pattern the linear engine cannot evaluate the way ECMA-262 does, with the reason. */
export class PatternRefusal extends Error {
  readonly pattern: string;
  /** `syntax`: not ECMA-262 at all; `unsupported`: valid ECMA-262 that RE2 cannot evaluate with the same meaning. */
  readonly kind: 'syntax' | 'unsupported';
  constructor(pattern: string, reason: string, kind: 'syntax' | 'unsupported' = 'unsupported') {
    // Quoted as written in the contract: JSON escaping would double every backslash.
    super(`pattern "${pattern}" ${reason}`);
    this.name = 'PatternRefusal';
    this.pattern = pattern;
    this.kind = kind;
  }
}

/** What a compiled pattern offers Ajv: an unanchored search, like RegExp.prototype.test. */
export interface LinearPattern {
  test(input: string): boolean;
  toString(): string;
}

/** ECMA-262 `\s`: WhiteSpace and LineTerminator code points (RE2's `\s` is only `[\t\n\f\r ]`). */
const ECMA_SPACE = '\\t\\n\\v\\f\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}';
/** ECMA-262 `.` without the `s` flag: anything but a line terminator (RE2's `.` excludes only `\n`). */
const ECMA_DOT = '[^\\n\\r\\x{2028}\\x{2029}]';
const ANY = '\\x{0}-\\x{10ffff}';

/** Long General_Category names ECMA-262 accepts, as the one- or two-letter names RE2 knows. */
const CATEGORY_ALIASES: Readonly<Record<string, string>> = {
  Letter: 'L', Cased_Letter: 'L&', Uppercase_Letter: 'Lu', Lowercase_Letter: 'Ll', Titlecase_Letter: 'Lt', Modifier_Letter: 'Lm', Other_Letter: 'Lo',
  Mark: 'M', Nonspacing_Mark: 'Mn', Spacing_Mark: 'Mc', Enclosing_Mark: 'Me',
  Number: 'N', Decimal_Number: 'Nd', digit: 'Nd', Letter_Number: 'Nl', Other_Number: 'No',
  Punctuation: 'P', punct: 'P', Connector_Punctuation: 'Pc', Dash_Punctuation: 'Pd', Open_Punctuation: 'Ps', Close_Punctuation: 'Pe',
  Initial_Punctuation: 'Pi', Final_Punctuation: 'Pf', Other_Punctuation: 'Po',
  Symbol: 'S', Math_Symbol: 'Sm', Currency_Symbol: 'Sc', Modifier_Symbol: 'Sk', Other_Symbol: 'So',
  Separator: 'Z', Space_Separator: 'Zs', Line_Separator: 'Zl', Paragraph_Separator: 'Zp',
  Other: 'C', Control: 'Cc', cntrl: 'Cc', Format: 'Cf', Surrogate: 'Cs', Private_Use: 'Co', Unassigned: 'Cn',
};

/**
 * The RE2 form of an ECMA-262 pattern (as Ajv uses it: `u` flag, no other flag), with the same
 * meaning. Throws PatternRefusal for invalid syntax, lookarounds, backreferences, `\S` inside a
 * class, and Unicode properties RE2 lacks.
 */
export function translatePattern(pattern: string): string {
  try {
    // Compiling is linear and never runs the pattern: only ECMA-262's syntax check is wanted here.
    new RegExp(pattern, 'u');
  } catch (error) {
    throw new PatternRefusal(pattern, `is not a valid ECMA-262 regular expression (${error instanceof Error ? error.message : String(error)})`, 'syntax');
  }
  let out = '';
  let inClass = false;
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i]!;
    if (c === '\\') {
      const [text, next] = translateEscape(pattern, i, inClass);
      out += text;
      i = next;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      // RE2 reads `[:` inside a class as a POSIX class; ECMA-262 reads `[` there as itself.
      out += c === '[' ? '\\[' : c;
      i++;
      continue;
    }
    if (c === '[') {
      const negated = pattern[i + 1] === '^';
      const after = i + (negated ? 2 : 1);
      if (pattern[after] === ']') {
        // `[]` matches nothing and `[^]` any one character in ECMA-262; RE2 has neither form.
        out += negated ? `[${ANY}]` : `[^${ANY}]`;
        i = after + 1;
        continue;
      }
      inClass = true;
      out += negated ? '[^' : '[';
      i = after;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2, i + 4);
      if (rest.startsWith('=') || rest.startsWith('!')) throw new PatternRefusal(pattern, 'uses a lookahead, which the linear-time engine (RE2) cannot evaluate');
      if (rest === '<=' || rest === '<!') throw new PatternRefusal(pattern, 'uses a lookbehind, which the linear-time engine (RE2) cannot evaluate');
      if (rest.startsWith('<')) {
        out += '(?P<';
        i += 3;
        continue;
      }
    }
    out += c === '.' ? ECMA_DOT : c;
    i++;
  }
  return out;
}

/** Translates the escape at `start` (a backslash); returns the RE2 text and the index after it. */
function translateEscape(pattern: string, start: number, inClass: boolean): [string, number] {
  const e = pattern[start + 1]!;
  if (e >= '1' && e <= '9') throw new PatternRefusal(pattern, 'uses a backreference, which the linear-time engine (RE2) cannot evaluate');
  if (e === 'k') throw new PatternRefusal(pattern, 'uses a named backreference, which the linear-time engine (RE2) cannot evaluate');
  switch (e) {
    case '0':
      return ['\\x{0}', start + 2];
    case 's':
      return [inClass ? ECMA_SPACE : `[${ECMA_SPACE}]`, start + 2];
    case 'S':
      if (inClass) throw new PatternRefusal(pattern, 'uses \\S inside a character class, which the linear-time engine (RE2) cannot express with ECMA-262 whitespace');
      return [`[^${ECMA_SPACE}]`, start + 2];
    case 'b':
      // Inside a class `\b` is a backspace; outside it is a word boundary (ASCII in both engines).
      return [inClass ? '\\x{8}' : '\\b', start + 2];
    case 'c': {
      const letter = pattern.charCodeAt(start + 2);
      return [`\\x{${(letter % 32).toString(16)}}`, start + 3];
    }
    case 'x':
      return [`\\x{${pattern.slice(start + 2, start + 4)}}`, start + 4];
    case 'u':
      return unicodeEscape(pattern, start);
    case 'p':
    case 'P':
      return propertyEscape(pattern, start, e);
    case '-':
      return ['\\-', start + 2];
    default:
      // \d \D \w \W \B \f \n \r \t \v and escaped syntax characters mean the same in RE2.
      return [`\\${e}`, start + 2];
  }
}

function unicodeEscape(pattern: string, start: number): [string, number] {
  if (pattern[start + 2] === '{') {
    const close = pattern.indexOf('}', start + 3);
    return [`\\x{${pattern.slice(start + 3, close)}}`, close + 1];
  }
  const unit = parseInt(pattern.slice(start + 2, start + 6), 16);
  const low = pattern.startsWith('\\u', start + 6) ? parseInt(pattern.slice(start + 8, start + 12), 16) : NaN;
  if (unit >= 0xd800 && unit <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) {
    const codePoint = (unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
    return [`\\x{${codePoint.toString(16)}}`, start + 12];
  }
  if (unit >= 0xd800 && unit <= 0xdfff) throw new PatternRefusal(pattern, 'names a lone surrogate, which the linear-time engine (RE2) cannot match');
  return [`\\x{${unit.toString(16)}}`, start + 6];
}

function propertyEscape(pattern: string, start: number, letter: string): [string, number] {
  const close = pattern.indexOf('}', start + 3);
  const body = pattern.slice(start + 3, close);
  const eq = body.indexOf('=');
  const key = eq < 0 ? '' : body.slice(0, eq);
  let value = eq < 0 ? body : body.slice(eq + 1);
  if (key === 'Script_Extensions' || key === 'scx') {
    throw new PatternRefusal(pattern, `uses \\${letter}{${body}}: the linear-time engine (RE2) has no Script_Extensions`);
  }
  value = CATEGORY_ALIASES[value] ?? value;
  if (value === 'L&') throw new PatternRefusal(pattern, `uses \\${letter}{${body}}, which the linear-time engine (RE2) does not know`);
  return [`\\${letter}{${value}}`, close + 1];
}

/**
 * Compiles a pattern for linear-time search. Throws PatternRefusal when it cannot be evaluated
 * with ECMA-262's meaning (including RE2's own limits, such as a repetition count over 1000).
 */
export function compileLinearPattern(pattern: string): LinearPattern {
  const translated = translatePattern(pattern);
  try {
    const body = anchoredBody(translated);
    if (body === undefined) return RE2JS.compile(translated);
    // `^X$` searched anywhere is X matched whole, which RE2 does about twice as fast.
    const whole = RE2JS.compile(body);
    return { test: (input: string) => whole.testExact(input), toString: () => translated };
  } catch (error) {
    throw new PatternRefusal(pattern, `cannot be evaluated by the linear-time engine (RE2): ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * X when an RE2 pattern is `^X$` with no alternation outside a group (so the anchors bind the
 * whole pattern, not one branch), else undefined.
 */
function anchoredBody(re2: string): string | undefined {
  if (!re2.startsWith('^') || !re2.endsWith('$')) return undefined;
  let depth = 0;
  let inClass = false;
  for (let i = 1; i < re2.length - 1; i++) {
    const c = re2[i]!;
    if (c === '\\') {
      if (i + 1 === re2.length - 1) return undefined; // the final `$` is escaped: a literal dollar
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
    } else if (c === '|' && depth === 0) {
      return undefined;
    }
  }
  return re2.slice(1, -1);
}

/** Ajv's `code.regExp` engine: every `pattern` and `patternProperties` key compiled once at load, searched in linear time. */
export const linearRegExp = Object.assign((pattern: string): LinearPattern => {
  // Invalid syntax fails with JavaScript's own message, as it did with the native engine.
  new RegExp(pattern, 'u');
  return compileLinearPattern(pattern);
}, {
  code: 'linearRegExp',
});
