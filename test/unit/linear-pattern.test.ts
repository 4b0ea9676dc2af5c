// The linear-time pattern engine: same answers as ECMA-262 `u` patterns, or a refusal naming why.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PatternRefusal, compileLinearPattern } from '../../src/contracts/compile/linear-pattern.js';

/** [pattern, input, what ECMA-262 answers] — each pair is checked against both engines. */
const agreements: Array<[pattern: string, input: string, matches: boolean]> = [
  ['^(a+)+$', `${'a'.repeat(39)}!`, false],
  ['^(a+)+$', 'aaaa', true],
  ['^\\d+$', '123', true],
  ['^\\d+$', '\u0663', false], // ARABIC-INDIC DIGIT THREE: \d is ASCII in both
  ['^\\w+$', 'é', false],
  ['\\bword\\b', 'a word here', true],
  ['^\\s$', '\u00a0', true], // NO-BREAK SPACE: ECMA whitespace, not RE2's \s
  ['^\\s$', '\ufeff', true],
  ['^\\s$', '\v', true],
  ['^[\\s,]+$', ' ,\u2028', true],
  ['^\\S+$', 'a\u3000b', false],
  ['^.$', '😀', true], // one code point in `u` mode
  ['^.$', '\n', false],
  ['^.$', '\u2028', false], // a line terminator for ECMA, not for RE2's `.`
  ['^a.c$', 'a\rc', false],
  ['^[^]$', '\n', true],
  ['^[]$', 'a', false],
  ['^\\u00e9$', 'é', true],
  ['^\\uD83D\\uDE00$', '😀', true],
  ['^\\u{1F600}$', '😀', true],
  ['^\\p{L}+$', 'éΩж', true],
  ['^\\p{Letter}+$', 'éΩж', true],
  ['^\\p{Lu}$', 'É', true],
  ['^\\p{Script=Greek}+$', 'αβγ', true],
  ['^\\P{L}$', '1', true],
  ['^(?<year>\\d{4})-\\d{2}$', '2026-12', true],
  ['^[[]$', '[', true],
  ['^\\cJ$', '\n', true],
  ['^\\0$', '\0', true],
  ['^[\\b]$', '\b', true],
  ['^a|b$', 'xb', true], // anchors bind one branch each
  ['^a|b$', 'ax', true],
  ['^(a|b)$', 'ax', false],
  ['^\\$$', '$', true],
  ['^a\\$', 'a$x', true],
  ['colou?r', 'the colour', true],
  ['^[a-z]{2,1000}$', 'ab', true],
];

describe('linear-time patterns answer as ECMA-262 does', () => {
  for (const [pattern, input, matches] of agreements) {
    it(`/${pattern}/u on ${JSON.stringify(input.length > 20 ? `${input.slice(0, 8)}…` : input)}: ${matches}`, () => {
      if (input.length < 25) assert.equal(new RegExp(pattern, 'u').test(input), matches, 'ECMA-262 reference');
      assert.equal(compileLinearPattern(pattern).test(input), matches);
    });
  }
});

describe('patterns the linear-time engine refuses', () => {
  const refusals: Array<[pattern: string, reason: RegExp, kind: 'syntax' | 'unsupported']> = [
    ['^(?=.*\\d)\\w+$', /uses a lookahead/, 'unsupported'],
    ['^a(?!b)', /uses a lookahead/, 'unsupported'],
    ['(?<=\\$)\\d+', /uses a lookbehind/, 'unsupported'],
    ['(?<!x)y', /uses a lookbehind/, 'unsupported'],
    ['^(\\w)\\1$', /uses a backreference/, 'unsupported'],
    ['^(?<c>\\w)\\k<c>$', /uses a named backreference/, 'unsupported'],
    ['[\\S]', /\\S inside a character class/, 'unsupported'],
    ['^a{1001}$', /invalid repeat count/, 'unsupported'],
    ['\\p{Script_Extensions=Greek}', /no Script_Extensions/, 'unsupported'],
    ['\\uD800', /lone surrogate/, 'unsupported'],
    ['(', /not a valid ECMA-262 regular expression/, 'syntax'],
    ['\\q', /not a valid ECMA-262 regular expression/, 'syntax'],
  ];
  for (const [pattern, reason, kind] of refusals) {
    it(`/${pattern}/: ${kind}`, () => {
      assert.throws(
        () => compileLinearPattern(pattern),
        (error: unknown) => {
          assert.ok(error instanceof PatternRefusal);
          assert.equal(error.kind, kind);
          assert.equal(error.pattern, pattern);
          assert.ok(error.message.startsWith(`pattern "${pattern}" `), error.message);
          assert.match(error.message, reason);
          return true;
        },
      );
    });
  }
});
