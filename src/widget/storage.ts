/**
 * Web Storage that never throws. Private modes and sandboxed frames refuse
 * storage access; the widget must still chat then, it just won't remember
 * anything across a reload.
 */
export type StorageKind = 'localStorage' | 'sessionStorage';

export function readStored(kind: StorageKind, key: string): string | null {
  try {
    return window[kind].getItem(key);
  } catch {
    return null;
  }
}

/** Stores a value, or removes the key for null. */
export function writeStored(kind: StorageKind, key: string, value: string | null): void {
  try {
    if (value === null) window[kind].removeItem(key);
    else window[kind].setItem(key, value);
  } catch {
    // Storage refused or full: the value lives only as long as the page.
  }
}
