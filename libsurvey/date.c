/*
 * date.c — the date forms of questionnaires and registers, and period keys.
 */
#include <stdio.h>
#include <string.h>

#include "survey.h"

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Reads 1..MAXD digits at **P into *V; returns 0 when there are none. */
static int digits(const char **p, int maxd, int *v)
{
    int n = 0;

    *v = 0;
    while (n < maxd && **p >= '0' && **p <= '9') {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n > 0 && !(**p >= '0' && **p <= '9');
}

/* Skips separator SEP (an ASCII char or a UTF-8 string) at **P. */
static int skip(const char **p, const char *sep)
{
    size_t n = strlen(sep);

    if (strncmp(*p, sep, n) != 0)
        return 0;
    *p += n;
    return 1;
}

static void skip_spaces(const char **p)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
}

static enum sv_status parse_time(const char *p, struct sv_date *d)
{
    skip_spaces(&p);
    if (*p == 'T')
        p++;
    skip_spaces(&p);
    if (!*p)
        return SV_OK;
    if (!digits(&p, 2, &d->hour) || !skip(&p, ":") || !digits(&p, 2, &d->min))
        return SV_ERR_DATA;
    if (skip(&p, ":") && !digits(&p, 2, &d->sec))
        return SV_ERR_DATA;
    skip_spaces(&p);
    if (*p || d->hour > 23 || d->min > 59 || d->sec > 60)
        return SV_ERR_DATA;
    d->has_time = 1;
    return SV_OK;
}

enum sv_status sv_date_parse(const char *s, struct sv_date *out)
{
    const char *p = s;
    struct sv_date d;
    int cjk = 0;
    char sep = 0;

    memset(&d, 0, sizeof d);
    skip_spaces(&p);
    if (!digits(&p, 4, &d.year) || p - s < 4)
        return SV_ERR_DATA;
    if (skip(&p, "年"))
        cjk = 1;
    else if (*p == '-' || *p == '/' || *p == '.')
        sep = *p++;
    else
        return SV_ERR_DATA;
    if (!digits(&p, 2, &d.month))
        return SV_ERR_DATA;
    if (cjk && !skip(&p, "月"))
        return SV_ERR_DATA;
    if (!cjk && *p++ != sep)
        return SV_ERR_DATA;
    if (!digits(&p, 2, &d.day))
        return SV_ERR_DATA;
    if (cjk && !skip(&p, "日") && !skip(&p, "号"))
        return SV_ERR_DATA;
    if (d.year < 1900 || d.year > 9999 || d.month < 1 || d.month > 12 ||
        d.day < 1 || d.day > month_days(d.year, d.month))
        return SV_ERR_DATA;
    if (parse_time(p, &d) != SV_OK)
        return SV_ERR_DATA;
    *out = d;
    return SV_OK;
}

/* Days from civil (Howard Hinnant's algorithm), 1970-01-01 = 0. */
long sv_date_days(const struct sv_date *d)
{
    long y = d->year - (d->month <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (d->month + 9) % 12;
    long doy = (153 * mp + 2) / 5 + d->day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

long long sv_date_seconds(const struct sv_date *d)
{
    return (long long)sv_date_days(d) * 86400 + d->hour * 3600LL +
           d->min * 60LL + d->sec;
}

void sv_date_format(const struct sv_date *d, char *buf, size_t cap)
{
    if (d->has_time)
        snprintf(buf, cap, "%04d-%02d-%02d %02d:%02d:%02d", d->year, d->month,
                 d->day, d->hour, d->min, d->sec);
    else
        snprintf(buf, cap, "%04d-%02d-%02d", d->year, d->month, d->day);
}

enum sv_status sv_period_parse_kind(const char *s, enum sv_period *out)
{
    static const char *const names[] = {"month", "quarter", "half", "year"};

    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (enum sv_period)(SV_PERIOD_MONTH + i);
            return SV_OK;
        }
    return SV_ERR_USAGE;
}

static void key_of(int year, int month, enum sv_period p, char *buf,
                   size_t cap)
{
    switch (p) {
    case SV_PERIOD_MONTH:
        snprintf(buf, cap, "%04d-%02d", year, month);
        break;
    case SV_PERIOD_QUARTER:
        snprintf(buf, cap, "%04dQ%d", year, (month - 1) / 3 + 1);
        break;
    case SV_PERIOD_HALF:
        snprintf(buf, cap, "%04dH%d", year, (month - 1) / 6 + 1);
        break;
    case SV_PERIOD_YEAR:
    case SV_PERIOD_NONE:
        snprintf(buf, cap, "%04d", year);
        break;
    }
}

void sv_period_key(const struct sv_date *d, enum sv_period p, char *buf,
                   size_t cap)
{
    key_of(d->year, d->month, p, buf, cap);
}

/* Parses KEY into its granularity, year and first month. */
static enum sv_period parse_key(const char *key, int *year, int *month)
{
    const char *p = key;
    int part;

    if (!digits(&p, 4, year) || p - key != 4 || *year < 1000)
        return SV_PERIOD_NONE;
    *month = 1;
    if (!*p)
        return SV_PERIOD_YEAR;
    if ((*p == 'Q' || *p == 'H') && p[1] >= '1' && !p[2]) {
        part = p[1] - '0';
        if (*p == 'Q' && part <= 4) {
            *month = (part - 1) * 3 + 1;
            return SV_PERIOD_QUARTER;
        }
        if (*p == 'H' && part <= 2) {
            *month = (part - 1) * 6 + 1;
            return SV_PERIOD_HALF;
        }
        return SV_PERIOD_NONE;
    }
    if (*p == '-' && p[1] >= '0' && p[1] <= '1' && p[2] >= '0' &&
        p[2] <= '9' && !p[3]) {
        *month = (p[1] - '0') * 10 + (p[2] - '0');
        return *month >= 1 && *month <= 12 ? SV_PERIOD_MONTH : SV_PERIOD_NONE;
    }
    return SV_PERIOD_NONE;
}

enum sv_status sv_period_rekey(const char *key, enum sv_period p, char *buf,
                               size_t cap)
{
    int year, month;
    enum sv_period have = parse_key(key, &year, &month);

    if (have == SV_PERIOD_NONE || have > p)
        return SV_ERR_DATA;
    key_of(year, month, p, buf, cap);
    return SV_OK;
}

enum sv_period sv_period_ordinal(const char *key, long *ord)
{
    int year, month;
    enum sv_period p = parse_key(key, &year, &month);

    switch (p) {
    case SV_PERIOD_MONTH:
        *ord = year * 12L + month - 1;
        break;
    case SV_PERIOD_QUARTER:
        *ord = year * 4L + (month - 1) / 3;
        break;
    case SV_PERIOD_HALF:
        *ord = year * 2L + (month - 1) / 6;
        break;
    case SV_PERIOD_YEAR:
        *ord = year;
        break;
    case SV_PERIOD_NONE:
        *ord = 0;
        break;
    }
    return p;
}
