import { instructionDetails } from '../../src/model/docker';
import type { DockerInstructionInfo } from '../../src/model/types';
import { programWords, runScripts } from './stage';

/** A user that a RUN instruction creates with `useradd` or `adduser`. */
export interface CreatedUser {
  name: string;
  /** The numeric UID given with `--uid`/`-u`, resolved through ARG and ENV; null when none is given or it is unknown. */
  uid: string | null;
  instruction: DockerInstructionInfo;
}

/**
 * Options of `useradd`, Debian's `adduser` and BusyBox `adduser` that take the next word as their
 * value, so that word is not read as the user name.
 */
const VALUE_OPTIONS = new Set([
  '-b', '--base-dir', '-c', '--comment', '-d', '--home-dir', '-e', '--expiredate', '-f', '--inactive',
  '-g', '--gid', '-G', '--groups', '-k', '--skel', '-K', '--key', '-p', '--password', '-R', '--root',
  '-P', '--prefix', '-s', '--shell', '-u', '--uid', '-Z', '--selinux-user', '-h', '--home',
  '--ingroup', '--gecos', '--conf', '--firstuid', '--lastuid', '--firstgid', '--lastgid',
]);

/** Returns the users that RUN instructions create, in instruction order; root and UID 0 are left out. */
export function createdUsers(instructions: readonly DockerInstructionInfo[]): CreatedUser[] {
  const users: CreatedUser[] = [];

  for (const script of runScripts(instructions)) {
    const expand = instructionDetails(script.instruction)?.expand;
    for (const command of script.commands) {
      const { program, words } = programWords(command);
      if (program !== 'useradd' && program !== 'adduser') continue;

      const parsed = readUserCommand(words.slice(1).map((word) => word.value));
      if (!parsed || parsed.name === 'root') continue;

      const uid = parsed.uid === null ? null : (expand?.(parsed.uid).value ?? null);
      const numericUid = uid !== null && /^\d+$/.test(uid) ? uid : null;
      if (numericUid !== null && /^0+$/.test(numericUid)) continue;
      users.push({ name: parsed.name, uid: numericUid, instruction: script.instruction });
    }
  }
  return users;
}

/**
 * Reads the user name (the first operand) and the `--uid` value of a `useradd` or `adduser`
 * command. Options may follow the name, as GNU getopt allows.
 */
function readUserCommand(args: string[]): { name: string; uid: string | null } | null {
  let uid: string | null = null;
  let name: string | null = null;

  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    const longUid = /^--uid=(.*)$/.exec(arg);
    const shortUid = /^-u(.+)$/.exec(arg);

    if (longUid) uid = longUid[1];
    else if (shortUid) uid = shortUid[1];
    else if (arg === '-u' || arg === '--uid') uid = args[++index] ?? null;
    else if (VALUE_OPTIONS.has(arg)) index++;
    else if (!arg.startsWith('-') && name === null) name = arg;
  }

  if (name === null || !/^[a-z_][a-z0-9_.-]*\$?$/i.test(name)) return null;
  return { name, uid };
}
