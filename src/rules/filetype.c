/* filetype.c — RULE attach.type and attach.strip: see filetype.h. */
#include "rules/filetype.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *mime, *ext;
} types[FT__MAX] = {
	[FT_NONE] = {"application/octet-stream", "bin"},
	[FT_JPEG] = {"image/jpeg", "jpg"},
	[FT_PNG] = {"image/png", "png"},
	[FT_PDF] = {"application/pdf", "pdf"},
};
_Static_assert(sizeof types / sizeof types[0] == FT__MAX, "one entry per type");

const char *file_type_mime(enum file_type t) { return types[(unsigned)t < FT__MAX ? t : FT_NONE].mime; }
const char *file_type_ext(enum file_type t) { return types[(unsigned)t < FT__MAX ? t : FT_NONE].ext; }

static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

enum file_type file_type_sniff(const unsigned char *p, size_t n)
{
	if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return FT_JPEG;
	if (n >= 8 && !memcmp(p, png_sig, 8))
		return FT_PNG;
	if (n >= 7 && (!memcmp(p, "%PDF-1.", 7) || !memcmp(p, "%PDF-2.", 7)))
		return FT_PDF;
	return FT_NONE;
}

static enum file_type refuse(char *why, size_t whylen, const char *msg)
{
	snprintf(why, whylen, "%s", msg);
	return FT_NONE;
}

/* APP1 (EXIF, XMP), APP3–APP13, APP15 and COM go; APP0, APP2 (ICC) and
 * APP14 (Adobe) stay. */
static int jpeg_drops(unsigned m)
{
	return (m >= 0xe1 && m <= 0xef && m != 0xe2 && m != 0xee) || m == 0xfe;
}

static int is_rst(unsigned m) { return m >= 0xd0 && m <= 0xd7; }

static enum file_type jpeg_clean(unsigned char *p, size_t *len, char *why, size_t whylen)
{
	size_t n = *len, i = 2, w = 2;
	int frame = 0, scan = 0;
	for (;;) {
		if (i >= n)
			return refuse(why, whylen, "JPEG 文件不完整：缺少结束标记");
		if (p[i] != 0xff)
			return refuse(why, whylen, "JPEG 文件结构错误：段标记缺失");
		while (i < n && p[i] == 0xff) /* fill bytes */
			i++;
		if (i >= n)
			return refuse(why, whylen, "JPEG 文件不完整：缺少结束标记");
		unsigned m = p[i++];
		if (m == 0xd9) {
			if (!frame || !scan)
				return refuse(why, whylen, "JPEG 文件不完整：没有图像数据");
			p[w++] = 0xff;
			p[w++] = 0xd9;
			*len = w; /* anything after EOI goes too */
			return FT_JPEG;
		}
		if (m == 0x01 || is_rst(m)) {
			p[w++] = 0xff;
			p[w++] = (unsigned char)m;
			continue;
		}
		if (m == 0x00 || m == 0xd8)
			return refuse(why, whylen, "JPEG 文件结构错误：非法段标记");
		if (i + 2 > n)
			return refuse(why, whylen, "JPEG 文件不完整：段头被截断");
		size_t L = (size_t)p[i] << 8 | p[i + 1];
		if (L < 2 || L > n - i)
			return refuse(why, whylen, "JPEG 文件结构错误：段长度超出文件末尾");
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc)
			frame = 1;
		if (!jpeg_drops(m)) {
			/* w + 2 <= i: w never passes the marker's first 0xff */
			p[w++] = 0xff;
			p[w++] = (unsigned char)m;
			memmove(p + w, p + i, L);
			w += L;
		}
		i += L;
		if (m == 0xda) { /* entropy-coded data up to the next real marker */
			if (!frame)
				return refuse(why, whylen, "JPEG 文件结构错误：扫描数据前没有帧头");
			scan = 1;
			size_t j = i;
			while (j + 1 < n && !(p[j] == 0xff && p[j + 1] != 0x00 && !is_rst(p[j + 1])))
				j++;
			if (j + 1 >= n)
				return refuse(why, whylen, "JPEG 文件不完整：图像数据被截断");
			memmove(p + w, p + i, j - i);
			w += j - i;
			i = j;
		}
	}
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t crc32_png(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
	}
	return c ^ 0xffffffffu;
}

static int png_drops(const unsigned char *t)
{
	static const char *const gone[] = {"eXIf", "tEXt", "zTXt", "iTXt", "tIME"};
	for (size_t k = 0; k < sizeof gone / sizeof gone[0]; k++)
		if (!memcmp(t, gone[k], 4))
			return 1;
	return 0;
}

static enum file_type png_clean(unsigned char *p, size_t *len, char *why, size_t whylen)
{
	size_t n = *len, i = 8, w = 8;
	int first = 1, data = 0;
	for (;;) {
		if (n - i < 12)
			return refuse(why, whylen, "PNG 文件不完整：缺少结束块");
		uint32_t L = be32(p + i);
		if (L > 0x7fffffffu || L > n - i - 12)
			return refuse(why, whylen, "PNG 文件结构错误：块长度超出文件末尾");
		const unsigned char *t = p + i + 4;
		if (first && (memcmp(t, "IHDR", 4) || L != 13))
			return refuse(why, whylen, "PNG 文件头损坏：第一块不是 IHDR");
		if (crc32_png(t, 4 + (size_t)L) != be32(p + i + 8 + L))
			return refuse(why, whylen, first ? "PNG 文件头损坏：校验和不符" : "PNG 文件损坏：块校验和不符");
		first = 0;
		if (!memcmp(t, "IDAT", 4))
			data = 1;
		int end = !memcmp(t, "IEND", 4);
		size_t chunk = 12 + (size_t)L;
		if (!png_drops(t)) {
			memmove(p + w, p + i, chunk);
			w += chunk;
		}
		i += chunk;
		if (end) {
			if (!data)
				return refuse(why, whylen, "PNG 文件不完整：没有图像数据");
			*len = w;
			return FT_PNG;
		}
	}
}

static int has(const unsigned char *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	for (size_t i = 0; i + k <= n; i++)
		if (!memcmp(p + i, s, k))
			return 1;
	return 0;
}

static enum file_type pdf_check(unsigned char *p, size_t *len, char *why, size_t whylen)
{
	size_t n = *len, tail = n < 1024 ? n : 1024;
	const unsigned char *t = p + n - tail;
	if (!has(t, tail, "%%EOF") || !has(t, tail, "startxref"))
		return refuse(why, whylen, "PDF 文件不完整：末尾缺少 startxref 与 %%EOF（文件可能被截断）");
	return FT_PDF;
}

enum file_type file_type_clean(unsigned char *p, size_t *len, char *why, size_t whylen)
{
	switch (file_type_sniff(p, *len)) {
	case FT_JPEG: return jpeg_clean(p, len, why, whylen);
	case FT_PNG: return png_clean(p, len, why, whylen);
	case FT_PDF: return pdf_check(p, len, why, whylen);
	default: return refuse(why, whylen, "类型不支持：只接受 JPEG、PNG 图片或 PDF 文件");
	}
}
