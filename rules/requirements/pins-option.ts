import type { RuleOptionSchema } from '../../src/rule';

/**
 * The `pins` option of the requirements rules whose fixes write a version: distribution names
 * (PEP 508 spelling) mapped to the exact version to write, which starts with a digit.
 */
export const PINS_OPTION: RuleOptionSchema = {
  type: 'object',
  description: 'Distribution names mapped to the exact version a fix writes, such as `{ "gunicorn": "23.0.0" }`; entries override the built-in table.',
  propertyNames: { pattern: '^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$' },
  additionalProperties: { type: 'string', pattern: '^[0-9][0-9A-Za-z.+!_-]*$' },
};
