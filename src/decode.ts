import type { TextEncoding } from './source';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
  bom: boolean;
}

export type DecodeResult = { ok: true; value: DecodedText } | { ok: false; reason: string };

/**
 * Decodes file bytes as UTF-8 or UTF-16 (by byte order mark, or by the NUL pattern of
 * UTF-16 text without one). Rejects invalid UTF-8 and files that look binary.
 */
export function decodeBytes(bytes: Uint8Array): DecodeResult {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decodeUtf8(bytes.subarray(3), true);
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return decodeUtf16(bytes.subarray(2), 'utf16le', true);
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return decodeUtf16(bytes.subarray(2), 'utf16be', true);
  }

  const guessed = guessUtf16WithoutBom(bytes);
  if (guessed) return decodeUtf16(bytes, guessed, false);

  return decodeUtf8(bytes, false);
}

function decodeUtf8(bytes: Uint8Array, bom: boolean): DecodeResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'is not valid UTF-8 or UTF-16 text' };
  }

  if (text.includes('\u0000')) return { ok: false, reason: 'contains NUL bytes, so it looks binary' };
  return { ok: true, value: { text, encoding: 'utf8', bom } };
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf16le' | 'utf16be', bom: boolean): DecodeResult {
  if (bytes.length % 2 !== 0) return { ok: false, reason: 'is UTF-16 with an odd number of bytes' };

  const swapped = encoding === 'utf16be' ? swapBytePairs(bytes) : bytes;
  let text: string;
  try {
    text = new TextDecoder('utf-16le', { fatal: true }).decode(swapped);
  } catch {
    return { ok: false, reason: `is not valid ${encoding === 'utf16le' ? 'UTF-16LE' : 'UTF-16BE'} text` };
  }

  if (text.includes('\u0000')) return { ok: false, reason: 'contains NUL characters, so it looks binary' };
  return { ok: true, value: { text, encoding, bom } };
}

/** Text files in UTF-16 without a BOM have a NUL in every other byte when the text is ASCII. */
function guessUtf16WithoutBom(bytes: Uint8Array): 'utf16le' | 'utf16be' | null {
  const sample = Math.min(bytes.length, 4096) & ~1;
  if (sample < 4) return null;

  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenNuls++;
    if (bytes[i + 1] === 0) oddNuls++;
  }

  const pairs = sample / 2;
  if (oddNuls > pairs * 0.9 && evenNuls === 0) return 'utf16le';
  if (evenNuls > pairs * 0.9 && oddNuls === 0) return 'utf16be';
  return null;
}

function swapBytePairs(bytes: Uint8Array): Uint8Array {
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1];
    swapped[i + 1] = bytes[i];
  }
  return swapped;
}

/** Encodes text back to the bytes it was read from: same encoding, BOM kept. */
export function encodeText(text: string, encoding: TextEncoding, bom: boolean): Buffer {
  if (encoding === 'utf8') {
    const body = Buffer.from(text, 'utf8');
    return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
  }

  const little = Buffer.from(text, 'utf16le');
  const body = encoding === 'utf16be' ? Buffer.from(swapBytePairs(little)) : little;
  if (!bom) return body;

  const mark = encoding === 'utf16le' ? [0xff, 0xfe] : [0xfe, 0xff];
  return Buffer.concat([Buffer.from(mark), body]);
}
