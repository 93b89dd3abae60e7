// What an attachment really is, judged by its first bytes (magic numbers), its declared content type
// and its file name's extension: all three must agree, so a renamed executable or an HTML page sent
// as "text/plain" is refused before it reaches the object store.

export const attachmentTypes = {
  'application/pdf': { extensions: ['pdf'], magic: 'pdf' },
  'image/png': { extensions: ['png'], magic: 'png' },
  'image/jpeg': { extensions: ['jpg', 'jpeg'], magic: 'jpeg' },
  'application/vnd.oasis.opendocument.text': { extensions: ['odt'], magic: 'zip' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { extensions: ['docx'], magic: 'zip' },
  'text/plain': { extensions: ['txt'], magic: 'text' },
} as const;
export type AttachmentType = keyof typeof attachmentTypes;
type Magic = (typeof attachmentTypes)[AttachmentType]['magic'];

/** Bytes a sniff needs at most; a shorter file is judged on what it has. */
export const SNIFF_BYTES = 512;

const startsWith = (head: Uint8Array, sig: number[]) => sig.length <= head.length && sig.every((b, i) => head[i] === b);

/** The family the bytes belong to, or undefined when they match none we accept. */
export function sniff(head: Uint8Array): Magic | undefined {
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  return looksLikeText(head) ? 'text' : undefined;
}

/** UTF-8 without NUL or control characters other than tab, line feed, carriage return and form feed. */
function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  for (const b of head) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) return false;
  // A multi-byte character cut at the end of the sniffed head is not an error.
  let end = head.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = head[end - back] ?? 0;
    if ((b & 0xc0) === 0xc0) {
      end -= back;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** The media type of a Content-Type header, without its parameters, in lower case. */
export const mediaTypeOf = (contentType: string): string => contentType.split(';')[0]?.trim().toLowerCase() ?? '';

/** Why the upload does not match what it claims, or null when declared type, extension and bytes agree. */
export function attachmentMismatch(declared: string, fileName: string, head: Uint8Array): string | null {
  const type = mediaTypeOf(declared);
  const known = attachmentTypes[type as AttachmentType];
  if (!known) return `${type || 'no content type'} is not accepted; send one of ${Object.keys(attachmentTypes).join(', ')}`;
  const ext = /\.([A-Za-z0-9]{1,10})$/.exec(fileName)?.[1]?.toLowerCase();
  if (!ext || !(known.extensions as readonly string[]).includes(ext))
    return `the file name must end in .${known.extensions.join(' or .')} for ${type}`;
  const found = sniff(head);
  if (found !== known.magic) return `the content is ${found ?? 'of an unknown type'}, not ${type}`;
  return null;
}
