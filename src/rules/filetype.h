/* filetype.h — what an uploaded scan is, told from its bytes (RULE
 * attach.type), and its metadata taken out (RULE attach.strip).  Pure: no
 * allocation, the buffer is rewritten in place.  Fuzzed by
 * tests/fuzz/fuzz_filetype.c. */
#ifndef BANGFU_RULES_FILETYPE_H
#define BANGFU_RULES_FILETYPE_H

#include <stddef.h>

enum file_type { FT_NONE, FT_JPEG, FT_PNG, FT_PDF, FT__MAX };

/* The MIME type ("image/jpeg") and the file name extension ("jpg"). */
const char *file_type_mime(enum file_type t);
const char *file_type_ext(enum file_type t);

/* Tells the type from the first bytes (signature only).  FT_NONE when
 * none of the accepted ones. */
enum file_type file_type_sniff(const unsigned char *p, size_t n);

/* Checks that the structure holds for its type and removes what a scan
 * must not carry, in place:
 *  - JPEG: every segment's length inside the file, an EOI; APP1 (EXIF,
 *    XMP: GPS, camera, time), APP3–APP13, APP15 and COM segments removed,
 *    and anything after EOI; APP0 (JFIF), APP2 (ICC) and APP14 (Adobe
 *    colour transform) kept, the picture needs them.
 *  - PNG: the signature, IHDR first (13 bytes), every chunk inside the file
 *    with a right CRC, IEND last; eXIf, tEXt, zTXt, iTXt and tIME removed.
 *  - PDF: "%PDF-1." or "%PDF-2." at the start, "startxref" and "%%EOF" in
 *    the last 1,024 bytes (a truncated file has neither).
 * Returns the type and sets *len to the new length, or FT_NONE with a
 * zh-CN reason in why (the buffer may then be partly rewritten). */
enum file_type file_type_clean(unsigned char *p, size_t *len, char *why, size_t whylen);

#endif
