// Who you are in rooms: your display name, validated and remembered across visits.
import { computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import { MAX_NAME_CHARS } from '../../lib/limits';
import type { KeyValueStore } from '../../lib/storage';

/** localStorage key holding the last name used to create or join a room. */
export const NAME_KEY = 'huddle.name';

/** Returns a message for the person when `raw` cannot be a display name, else null. */
export function validateName(raw: string): string | null {
  const name = raw.trim();
  if (name.length === 0) return 'Enter your name.';
  // Count code points, not UTF-16 units, so an emoji counts as one character.
  if ([...name].length > MAX_NAME_CHARS) return `Names can be at most ${MAX_NAME_CHARS} characters.`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return "Names can't contain control characters.";
  return null;
}

export interface Identity {
  /** The name as typed (untrimmed). */
  readonly name: Signal<string>;
  /** The name that will be sent: trimmed. */
  readonly trimmedName: ReadonlySignal<string>;
  /** Stores the current name for the next visit. */
  remember(): void;
}

/** Starts from the remembered name, if any. */
export function createIdentity(store: KeyValueStore): Identity {
  const name = signal(store.getItem(NAME_KEY) ?? '');
  const trimmedName = computed(() => name.value.trim());
  return {
    name,
    trimmedName,
    remember() {
      if (validateName(name.value) === null) store.setItem(NAME_KEY, trimmedName.value);
    },
  };
}
