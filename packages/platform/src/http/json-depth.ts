/** Deeper JSON bodies are refused before parsing: no API body nests anywhere near this. */
export const MAX_JSON_DEPTH = 32;

/**
 * How deeply a JSON text nests objects and arrays, counted without parsing it (brackets inside
 * strings do not count), stopping as soon as it passes `limit`.
 */
export function jsonDepth(text: Buffer, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  let escaped = false;
  for (const byte of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (byte === 0x5c) escaped = true;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (byte === 0x7d || byte === 0x5d) depth -= 1;
  }
  return deepest;
}

/** For express.json's `verify`: a body nested deeper than MAX_JSON_DEPTH is a 400. */
export function refuseDeepJson(_req: unknown, _res: unknown, body: Buffer): void {
  if (jsonDepth(body) > MAX_JSON_DEPTH)
    throw Object.assign(new Error('JSON nested too deeply'), { type: 'json.too.deep' });
}
