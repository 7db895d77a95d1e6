/**
 * CRC-32 (IEEE 802.3, the polynomial of `java.util.zip.CRC32`), kept as a
 * running register so a caller can feed a path, then data, then a stat, and
 * resume from a saved register later without re-reading the earlier bytes.
 * @module
 */

const TABLE = makeTable();

function makeTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** The register value before any byte has been fed. */
export const CRC32_START = 0xffffffff;

/** Feeds `bytes` into the running register `crc` and returns the new register. */
export function crc32Update(crc: number, bytes: Uint8Array): number {
  let c = crc;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return c >>> 0;
}

/** Feeds one byte. */
function crc32Byte(crc: number, byte: number): number {
  return (TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)) >>> 0;
}

/**
 * Feeds the UTF-8 encoding of `text`, as Java's `String.getBytes()` produces it
 * with the UTF-8 default charset (an unpaired surrogate becomes `?`).
 */
export function crc32UpdateUtf8(crc: number, text: string): number {
  let c = crc;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code < 0x80) {
      c = crc32Byte(c, code);
      continue;
    }
    if (code < 0x800) {
      c = crc32Byte(c, 0xc0 | (code >> 6));
      c = crc32Byte(c, 0x80 | (code & 0x3f));
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        i++;
        c = crc32Byte(c, 0xf0 | (code >> 18));
        c = crc32Byte(c, 0x80 | ((code >> 12) & 0x3f));
        c = crc32Byte(c, 0x80 | ((code >> 6) & 0x3f));
        c = crc32Byte(c, 0x80 | (code & 0x3f));
      } else {
        c = crc32Byte(c, 0x3f);
      }
      continue;
    }
    c = crc32Byte(c, 0xe0 | (code >> 12));
    c = crc32Byte(c, 0x80 | ((code >> 6) & 0x3f));
    c = crc32Byte(c, 0x80 | (code & 0x3f));
  }
  return c;
}

/** Turns a running register into the CRC-32 value (what `CRC32.getValue()` returns). */
export function crc32Finish(crc: number): number {
  return (crc ^ 0xffffffff) >>> 0;
}
