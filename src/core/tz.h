/* tz.h — the server's time zone: which date "today" is (API.md "General").
 *
 * Dates (today, deadlines, ages, quarters, review dates) are taken in this
 * zone, Asia/Shanghai unless `--tz` (or BANGFU_TZ) names another;
 * timestamps stay UTC.  The zone is set once per process, before any
 * thread starts (serve, or a CLI command), and only read afterwards.
 */
#ifndef BANGFU_TZ_H
#define BANGFU_TZ_H

#include <stddef.h>
#include <stdint.h>

#include "rules/dates.h"

#define TZ_DEFAULT "Asia/Shanghai"

/* Sets the process's zone: an IANA name from the system's zoneinfo
 * ("Asia/Shanghai", "Asia/Urumqi"), "UTC", or a fixed offset "+08:00" /
 * "-05:30".  Asia/Shanghai needs no zoneinfo: China has kept UTC+8 without
 * daylight saving since 1991.  Returns 0, or -1 with a zh-CN reason in
 * why (the zone is then unchanged).  NULL or "" is TZ_DEFAULT. */
int tz_setup(const char *name, char *why, size_t whylen);

/* The zone's name as set ("Asia/Shanghai" before any tz_setup). */
const char *tz_name(void);

/* Seconds east of UTC in the zone at instant t. */
int64_t tz_offset(int64_t t);

/* The zone's date at instant t. */
day_t tz_day(int64_t t);

/* The instant (UTC seconds) at which day d begins in the zone. */
int64_t tz_day_start(day_t d);

#endif
