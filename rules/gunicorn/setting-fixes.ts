import { appendConfigLines, configImports, configTree, mergeInsertions, replaceConfigValue } from '../../src/fix/gunicorn-config';
import type { GunicornSetting, SystemModel } from '../../src/model/types';
import type { Fix, FixSafety, TextEdit } from '../../src/rule';
import { replaceFlagValue } from './flag-edits';

/**
 * Returns the edits that give a written setting a new value: the value of its config-file
 * assignment, with the imports the new value needs, or the value of its flag in a Dockerfile.
 * Returns null when neither can be edited exactly.
 */
export function replaceSettingValue(model: SystemModel, setting: GunicornSetting, configText: string, flagText: string, imports: readonly string[] = []): TextEdit[] | null {
  if (setting.source === 'config') return replaceConfigSetting(model, setting, configText, imports);

  const edit = replaceFlagValue(setting, flagText);
  return edit ? [edit] : null;
}

/** Returns the edits that replace the value of a config-file assignment, with the imports the new value needs; null for settings given elsewhere. */
export function replaceConfigSetting(model: SystemModel, setting: GunicornSetting, configText: string, imports: readonly string[] = []): TextEdit[] | null {
  const edit = replaceConfigValue(setting, configText);
  const file = setting.location?.file;
  if (!edit || !file) return null;
  return mergeInsertions([...configImports(configTree(model, file), file, imports), edit]);
}

/**
 * Returns the edits that add settings (`name = value` lines) to the config file Gunicorn loads,
 * with the imports they need. Returns null when it loads none, and when the file has a misspelt
 * name for one of the settings (`max_request`), which the rename of gunicorn-setting-unknown fixes
 * without writing the setting twice.
 */
export function appendSettings(model: SystemModel, lines: readonly string[], imports: readonly string[] = []): TextEdit[] | null {
  const file = model.gunicorn.configFile;
  if (!file) return null;

  const names = lines.map((line) => /^\w+/.exec(line)?.[0]);
  if (model.gunicorn.unknownNames.some((entry) => entry.suggestion !== null && names.includes(entry.suggestion))) return null;

  const tree = configTree(model, file);
  return mergeInsertions([...configImports(tree, file, imports), appendConfigLines(tree, file, lines)]);
}

/** Wraps edits in a fix, or returns undefined when there are none. */
export function settingFix(title: string, safety: FixSafety, edits: TextEdit[] | null): Fix | undefined {
  return edits && edits.length > 0 ? { title, safety, edits } : undefined;
}
