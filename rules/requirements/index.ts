import type { Rule } from '../../src/rule';
import requirementsGunicornTooOld from './requirements-gunicorn-too-old';
import requirementsHashesIncomplete from './requirements-hashes-incomplete';
import requirementsImportUndeclared from './requirements-import-undeclared';
import requirementsPackageMissing from './requirements-package-missing';
import requirementsPsycopg2Binary from './requirements-psycopg2-binary';
import requirementsUnpinned from './requirements-unpinned';
import requirementsUnused from './requirements-unused';

export const requirementsRules: readonly Rule[] = [
  requirementsPackageMissing,
  requirementsImportUndeclared,
  requirementsUnpinned,
  requirementsGunicornTooOld,
  requirementsPsycopg2Binary,
  requirementsUnused,
  requirementsHashesIncomplete,
];
