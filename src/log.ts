import createDebug from 'debug';

/** Returns a debug logger in the `prodcheck:<area>` namespace; `DEBUG=prodcheck:*` turns them on. */
export function createLogger(area: string): createDebug.Debugger {
  return createDebug(`prodcheck:${area}`);
}
