// scans.mjs — small files of each accepted type, built byte by byte, and
// their broken twins, for the attachment tests.
import { createHash } from 'node:crypto';

const u8 = (...parts) => Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p))));
const seg = (marker, payload) => {
	const len = payload.length + 2;
	return u8([0xff, marker, len >> 8, len & 0xff], payload);
};
export const sha256 = (b) => createHash('sha256').update(b).digest('hex');

// A JPEG's segments: SOI, APP0 (JFIF), APP1 (EXIF with a GPS block), COM,
// DQT, SOF0, SOS, entropy-coded data (a stuffed 0xFF00 and a restart
// marker), EOI, then a trailer.  `clean` is what must be stored: no APP1,
// no COM, nothing after EOI.
export function jpeg() {
	const soi = Buffer.from([0xff, 0xd8]);
	const app0 = seg(0xe0, u8('JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0]));
	const app1 = seg(0xe1, u8('Exif\0\0', 'MM\0*GPSLatitude=30.2741N;GPSLongitude=120.1551E;Model=PhoneX'));
	const com = seg(0xfe, u8('scanned at 10 Home Street'));
	const dqt = seg(0xdb, u8([0], Buffer.alloc(64, 1)));
	const sof = seg(0xc0, u8([8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
	const sos = seg(0xda, u8([1, 1, 0, 0, 0x3f, 0]));
	const data = Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78]);
	const eoi = Buffer.from([0xff, 0xd9]);
	const trailer = u8('hidden trailer');
	return {
		bytes: u8(soi, app0, app1, com, dqt, sof, sos, data, eoi, trailer),
		clean: u8(soi, app0, dqt, sof, sos, data, eoi),
		// the APP1 segment claims more bytes than the file holds
		lying: u8(soi, app0, Buffer.from([0xff, 0xe1, 0x7f, 0xff]), u8('Exif\0\0short')),
		truncated: u8(soi, app0, dqt, sof, sos, data),
	};
}

let table;
function crc32(buf) {
	if (!table) {
		table = new Uint32Array(256);
		for (let n = 0; n < 256; n++) {
			let c = n;
			for (let k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
			table[n] = c >>> 0;
		}
	}
	let c = 0xffffffff;
	for (const b of buf)
		c = table[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const td = u8(type, data);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(td));
	return u8(len, td, crc);
}
const SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// A 1×1 grey PNG with a tEXt chunk (dropped when stored).
export function png() {
	const ihdr = chunk('IHDR', Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
	const text = chunk('tEXt', u8('Comment\0taken at home'));
	const idat = chunk('IDAT', Buffer.from([0x78, 0x9c, 0x63, 0x68, 0x00, 0x00, 0x00, 0x82, 0x00, 0x81]));
	const iend = chunk('IEND', Buffer.alloc(0));
	const broken = Buffer.from(ihdr);
	broken[10] ^= 0xff; // IHDR data changed, CRC not: a broken header
	return { bytes: u8(SIG, ihdr, text, idat, iend), clean: u8(SIG, ihdr, idat, iend), broken: u8(SIG, broken, idat, iend) };
}

export function pdf(pad = 0) {
	const body = `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${'x'.repeat(pad)}\n`;
	const full = Buffer.from(`${body}xref\n0 3\ntrailer << /Root 1 0 R /Size 3 >>\nstartxref\n${body.length}\n%%EOF\n`);
	return { bytes: full, truncated: full.subarray(0, Math.floor(full.length * 0.6)) };
}

// The hospital's papers of a mutual-aid claim (owner_type claim): a PDF,
// as verify needs one (API.md "Mutual aid").
export async function claimPapers(s, token, id) {
	const r = await s.api('POST', `/attachments?owner_type=claim&owner_id=${id}&kind=${encodeURIComponent('病情证明')}`,
		{ token, rawBody: pdf().bytes, contentType: 'application/pdf' });
	if (r.status !== 201)
		throw new Error(`the claim's papers: expected 201, got ${r.status}: ${r.text}`);
	return r.json;
}
