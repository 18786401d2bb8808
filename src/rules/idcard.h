/*
 * idcard — GB 11643-1999 citizen identity number (18 characters):
 * 6-digit region code, 8-digit birth date YYYYMMDD, 3-digit sequence (odd
 * for men, even for women), ISO 7064 MOD 11-2 check character.
 */
#ifndef BANGFU_RULES_IDCARD_H
#define BANGFU_RULES_IDCARD_H

#include "dates.h"

/* In the order idcard_check tests them; the first failure is reported. */
enum idcard_err { ID_OK = 0, ID_LENGTH, ID_CHARS, ID_REGION, ID_DATE, ID_FUTURE, ID_CHECK };

struct idcard_info {
	char  norm[19];   /* the number with an upper-case X */
	char  region[7];  /* the 6-digit region code */
	day_t birth;
	int   male;       /* 1 when the sequence number is odd */
};

/* RULE idcard.check: validates s (exactly 18 characters: 17 digits then a
 * digit or x/X); region: first two digits a province code in 11-15, 21-23,
 * 31-37, 41-46, 50-54, 61-65, 71, 81, 82, 83, 91, and digits 3-6 not "0000"
 * (except 71/81/82/83/91, whose residence permits use xx0000); birth date a
 * real date, year >= 1900, not after `today`; correct check character.
 * Returns an enum idcard_err.  On ID_OK fills *info when info is not NULL;
 * on failure *info is zeroed. */
int  idcard_check(const char *s, day_t today, struct idcard_info *info);

/* The check character for the 17 digits at first17: '0'..'9' or 'X';
 * '\0' when first17 is NULL or does not start with 17 ASCII digits. */
char idcard_check_char(const char *first17);

/* A static zh-CN message for e, e.g. "身份证号校验位错误"; never NULL. */
const char *idcard_strerror(enum idcard_err e);

#endif
