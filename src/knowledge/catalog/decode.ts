/**
 * Catalog bytes to text. Russian shops often export YML in windows-1251, declared in the XML
 * header (`<?xml … encoding="windows-1251"?>`) or the feed's Content-Type; everything else is
 * read as UTF-8.
 */

/** Decodes a catalog file or feed body, honouring a declared charset. */
export function decodeCatalog(bytes: Uint8Array, contentType?: string | null): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /encoding=["']([\w-]+)["']/i.exec(head)?.[1] ?? /charset=([\w-]+)/i.exec(contentType ?? '')?.[1];
  const charset = declared?.toLowerCase() ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    // An unknown charset name: UTF-8 is the best guess and the parser will say if it is wrong.
    return new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  }
}
