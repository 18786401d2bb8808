/* tz — see tz.h.  A named zone other than Asia/Shanghai goes through the C
 * library (TZ, tzset, localtime_r: thread-safe once set); a fixed offset
 * needs nothing. */
#include "core/tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct {
	char name[64];
	int named;          /* 1: ask localtime_r; 0: offset */
	int64_t offset;     /* seconds east of UTC */
} zone = {TZ_DEFAULT, 0, 8 * 3600};

/* "+08:00", "-05:30", "+0800" → seconds; -1 when not such an offset. */
static int parse_offset(const char *s, int64_t *out)
{
	if (s[0] != '+' && s[0] != '-')
		return -1;
	int d[4], n = 0;
	for (const char *p = s + 1; *p; p++) {
		if (*p == ':' && n == 2)
			continue;
		if (*p < '0' || *p > '9' || n == 4)
			return -1;
		d[n++] = *p - '0';
	}
	if (n != 4)
		return -1;
	int h = d[0] * 10 + d[1], m = d[2] * 10 + d[3];
	if (h > 14 || m > 59)
		return -1;
	*out = (s[0] == '-' ? -1 : 1) * (int64_t)(h * 3600 + m * 60);
	return 0;
}

/* 1 when the system's zoneinfo holds `name` (a plain relative path). */
static int zoneinfo_has(const char *name)
{
	if (name[0] == '/' || strstr(name, ".."))
		return 0;
	const char *dir = getenv("TZDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", name);
	return access(path, R_OK) == 0;
}

int tz_setup(const char *name, char *why, size_t whylen)
{
	if (!name || !*name)
		name = TZ_DEFAULT;
	if (strlen(name) >= sizeof zone.name) {
		snprintf(why, whylen, "时区名称过长");
		return -1;
	}
	int64_t off = 0;
	int named = 0;
	if (!strcmp(name, "UTC") || !strcmp(name, "Etc/UTC") || !strcmp(name, "Z")) {
		off = 0;
	} else if (!strcmp(name, TZ_DEFAULT) || !strcmp(name, "PRC")) {
		off = 8 * 3600; /* no daylight saving since 1991 */
	} else if (parse_offset(name, &off) == 0) {
		;
	} else if (zoneinfo_has(name)) {
		if (setenv("TZ", name, 1) != 0) {
			snprintf(why, whylen, "无法设置时区 %s", name);
			return -1;
		}
		tzset();
		named = 1;
	} else {
		snprintf(why, whylen, "未知的时区：%s（应为 Asia/Shanghai 这样的时区名、UTC 或 +08:00 这样的偏移）",
			 name);
		return -1;
	}
	snprintf(zone.name, sizeof zone.name, "%s", name);
	zone.named = named;
	zone.offset = off;
	return 0;
}

const char *tz_name(void)
{
	return zone.name;
}

int64_t tz_offset(int64_t t)
{
	if (!zone.named)
		return zone.offset;
	time_t tt = (time_t)t;
	struct tm tm;
	if (!localtime_r(&tt, &tm))
		return 0;
	return (int64_t)tm.tm_gmtoff;
}

day_t tz_day(int64_t t)
{
	return ts_day(t + tz_offset(t));
}

int64_t tz_day_start(day_t d)
{
	int64_t midnight = (int64_t)d * 86400;
	/* the offset in force just before local midnight, checked once more
	 * at the instant found (a zone whose offset changes that night) */
	int64_t t = midnight - tz_offset(midnight);
	return midnight - tz_offset(t);
}
