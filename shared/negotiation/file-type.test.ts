import { describe, expect, it } from 'vitest';
import { attachmentMismatch, sniff } from './file-type.ts';

const bytes = (...b: number[]) => new Uint8Array(b);
const text = (s: string) => new TextEncoder().encode(s);
const PDF = text('%PDF-1.7\n');
const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0);
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10);
const ZIP = bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0);
const ELF = bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1);

describe('attachment type checks', () => {
  it.each([
    ['application/pdf', 'ethics.pdf', PDF],
    ['image/png', 'scan.PNG', PNG],
    ['image/jpeg', 'photo.jpeg', JPEG],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'cv.docx', ZIP],
    ['application/vnd.oasis.opendocument.text', 'cv.odt', ZIP],
    ['text/plain; charset=utf-8', 'notes.txt', text('Ética aprobada — sí\n')],
  ])('accepts %s named %s with matching bytes', (type, name, head) => {
    expect(attachmentMismatch(type, name, head)).toBeNull();
  });

  it.each([
    ['a PDF extension on PNG bytes', 'application/pdf', 'ethics.pdf', PNG, /content is png/],
    ['an executable sent as text', 'text/plain', 'notes.txt', ELF, /unknown type/],
    ['a PDF renamed .exe', 'application/pdf', 'ethics.exe', PDF, /must end in .pdf/],
    ['a type we do not accept', 'text/html', 'page.html', text('<html>'), /not accepted/],
    ['no extension', 'application/pdf', 'ethics', PDF, /must end in/],
    ['an empty file', 'text/plain', 'empty.txt', new Uint8Array(0), /unknown type/],
    ['invalid UTF-8 as text', 'text/plain', 'x.txt', bytes(0x41, 0xff, 0xfe, 0x41), /unknown type/],
  ])('refuses %s', (_what, type, name, head, reason) => {
    expect(attachmentMismatch(type, name, head)).toMatch(reason);
  });

  it('does not take a multi-byte character cut by the sniff window for binary', () => {
    expect(sniff(text('abc é').subarray(0, 5))).toBe('text');
  });
});
