// Writes file changes with prodcheck's built `writeChanges` and kills itself with SIGKILL just
// before one chosen file system call, so a test can check what a crash at that point leaves on disk.
// Usage:
//   node test/faults/write-killed-at.js ROOT CHANGES_JSON KILL_AT
// CHANGES_JSON contains `FileChange` objects as JSON. KILL_AT counts the calls that create, write,
// rename or remove files, from 1. With KILL_AT 0 the write runs to the end, and the script prints
// `{"calls": N, "result": WriteResult}` so the test learns how many crash points there are.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const [root, changesPath, killAtText] = process.argv.slice(2);
const { writeChanges } = require(path.join(__dirname, '..', '..', 'dist', 'src', 'fix', 'write.js'));
const changes = JSON.parse(fs.readFileSync(changesPath, 'utf8'));
const killAt = Number(killAtText);

const MUTATING_CALLS = ['openSync', 'writeSync', 'fsyncSync', 'fchownSync', 'closeSync', 'chmodSync', 'renameSync', 'linkSync', 'unlinkSync', 'rmSync', 'mkdirSync'];
let calls = 0;
for (const name of MUTATING_CALLS) {
  const original = fs[name];
  fs[name] = function countedCall(...args) {
    calls++;
    if (calls === killAt) process.kill(process.pid, 'SIGKILL');
    return original.apply(this, args);
  };
}

const result = writeChanges(root, changes);
process.stdout.write(`${JSON.stringify({ calls, result })}\n`);
