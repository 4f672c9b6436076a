import { jsonText } from './json_check';
import { HuddleError } from './types';

/**
 * JSON text for app data, refusing what JSON.stringify would silently change or drop: undefined,
 * functions, symbols, bigints, NaN/Infinity, cycles, class instances other than plain objects and
 * arrays, sparse arrays, nesting deeper than 32 levels, and text over MAX_DATA_BYTES. The
 * HuddleError (data_invalid) names the offending path.
 */
export function toJsonText(data: unknown): string {
  const checked = jsonText(data);
  if ('problem' in checked) throw new HuddleError('data_invalid', checked.problem);
  return checked.text;
}
