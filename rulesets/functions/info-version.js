// @ts-check
/** accord-info-version-semver: info.version is a version in one of the accepted forms (semver by default). */
import { createRulesetFunction } from '@stoplight/spectral-core';

/** Each accepted form: how to recognise it and how to name it in a message. */
const FORMS = {
  // semver.org 2.0.0
  semver: {
    pattern: /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/,
    name: 'a semantic version (MAJOR.MINOR.PATCH)',
  },
  // 1.2, as many APIs publish their version
  'major-minor': { pattern: /^(0|[1-9]\d*)\.(0|[1-9]\d*)$/, name: 'MAJOR.MINOR' },
  // 2024-01-01, or with a suffix as Stripe's 2024-06-20.basil
  date: { pattern: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?:[.-][0-9A-Za-z][0-9A-Za-z.-]*)?$/, name: 'a date (YYYY-MM-DD)' },
};

export default createRulesetFunction(
  {
    input: null,
    options: {
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        accept: {
          type: 'array',
          minItems: 1,
          uniqueItems: true,
          items: { enum: Object.keys(FORMS) },
          errorMessage: `accept must be a non-empty list of: ${Object.keys(FORMS).join(', ')}`,
        },
      },
    },
  },
  /**
   * Given info.version. Without options only semver passes, as the gateway and `accord check`
   * order versions by semver; `accept: [semver, date, major-minor]` admits the other forms.
   * A missing or non-string version is left to Spectral's oas rules.
   * @param {unknown} version
   * @param {{ accept?: Array<keyof typeof FORMS> } | null} options
   */
  function accordInfoVersion(version, options) {
    if (typeof version !== 'string') return [];
    const accept = options?.accept ?? ['semver'];
    if (accept.some((form) => FORMS[form].pattern.test(version))) return [];
    const names = accept.map((form) => FORMS[form].name);
    const expected = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
    return [{ message: `info.version "${version}" is not ${expected}` }];
  },
);
