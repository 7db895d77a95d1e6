/**
 * The suffix ZooKeeper appends to sequential nodes: the parent's cversion as
 * `String.format(Locale.ENGLISH, "%010d", cversion)`. The width counts the sign,
 * so a negative int (after the counter wrapped) gives `-000000005` and
 * Integer.MIN_VALUE gives `-2147483648`.
 */
export function formatSequenceSuffix(cversion: number): string {
  const value = cversion | 0;
  if (value >= 0) return String(value).padStart(10, '0');
  return '-' + String(-value).padStart(9, '0');
}
