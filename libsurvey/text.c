/*
 * text.c — number parsing, label normalisation and display width.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum sv_status sv_parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    long v;

    if (!s || !*s || *s == ' ')
        return SV_ERR_DATA;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return SV_ERR_DATA;
    *out = v;
    return SV_OK;
}

enum sv_status sv_parse_double(const char *s, double *out)
{
    char *end;
    double v;

    if (!s || !*s || *s == ' ' || strpbrk(s, "xX"))
        return SV_ERR_DATA; /* no hexadecimal floats */
    errno = 0;
    v = strtod(s, &end);
    if (errno || *end || !isfinite(v))
        return SV_ERR_DATA;
    *out = v;
    return SV_OK;
}

int sv_near(double a, double b)
{
    double d = fabs(a - b);
    double m = fmax(fabs(a), fabs(b));

    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    return d <= 1e-9 || d <= 1e-9 * m;
}

/* Length of a space at S (ASCII blank, U+3000 or U+00A0), or 0. */
static size_t space_len(const unsigned char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' ||
                     s[0] == '\n'))
        return 1;
    if (len >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    if (len >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    return 0;
}

/* Trims spaces at both ends of [*S, *S + *LEN). */
static void trim(const unsigned char **s, size_t *len)
{
    size_t k;

    while (*len && (k = space_len(*s, *len)) > 0) {
        *s += k;
        *len -= k;
    }
    while (*len) {
        const unsigned char *e = *s + *len;
        if (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n')
            k = 1;
        else if (*len >= 3 && e[-3] == 0xE3 && e[-2] == 0x80 && e[-1] == 0x80)
            k = 3;
        else if (*len >= 2 && e[-2] == 0xC2 && e[-1] == 0xA0)
            k = 2;
        else
            break;
        *len -= k;
    }
}

size_t sv_normalize_label(const char *str, size_t len, char *out, size_t cap)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t o = 0;

    if (cap == 0)
        return (size_t)-1;
    trim(&s, &len);
    for (size_t i = 0; i < len;) {
        unsigned c = s[i];
        /* U+FF01..U+FF5E are EF BC 81..BF and EF BD 80..9E */
        if (c == 0xEF && i + 2 < len && (s[i + 1] == 0xBC || s[i + 1] == 0xBD)) {
            unsigned cp = ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
            cp |= 0xF000u;
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                c = cp - 0xFF01 + 0x21;
                i += 3;
                goto ascii;
            }
        }
        if (c == 0xE3 && i + 2 < len && s[i + 1] == 0x80 && s[i + 2] == 0x80) {
            c = ' ';
            i += 3;
            goto ascii;
        }
        i++;
        if (c >= 0x80) {
            if (o + 1 >= cap)
                return (size_t)-1;
            out[o++] = (char)c;
            continue;
        }
    ascii:
        if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        if (o + 1 >= cap)
            return (size_t)-1;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return o;
}

static const char *const no_answer[] = {
    "", "n/a", "na", "-", "--", "\xe2\x80\x94", "\xe2\x80\x94\xe2\x80\x94",
    "不适用", "未回答", "未作答", "(跳过)", "(空)",
    /* 问卷星 writes -2 for a skipped and -3 for an unshown question */
    "-2", "-3",
};

int sv_is_no_answer(const char *norm)
{
    for (size_t i = 0; i < sizeof no_answer / sizeof no_answer[0]; i++)
        if (strcmp(norm, no_answer[i]) == 0)
            return 1;
    return 0;
}

/* Decodes one UTF-8 code point at S; returns its length (1 on bad bytes). */
static size_t utf8_next(const unsigned char *s, unsigned *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0 && (s[1] & 0xC0) == 0x80) {
        *cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80) {
        *cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        return 3;
    }
    if ((s[0] & 0xF8) == 0xF0 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
        *cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
              ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
        return 4;
    }
    *cp = 0xFFFD;
    return 1;
}

static int wide(unsigned cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

const char *sv_formula_unguard(const char *s)
{
    return s[0] == '\'' && s[1] && strchr("=+-@", s[1]) ? s + 1 : s;
}

/* The length of the run of ASCII digits at S. */
static size_t digits_len(const unsigned char *s)
{
    size_t n = 0;

    while (s[n] >= '0' && s[n] <= '9')
        n++;
    return n;
}

/* Compares the digit runs X and Y (lengths NX, NY) by value. */
static int digits_cmp(const unsigned char *x, size_t nx,
                      const unsigned char *y, size_t ny)
{
    while (nx > 1 && *x == '0')
        x++, nx--;
    while (ny > 1 && *y == '0')
        y++, ny--;
    if (nx != ny)
        return nx < ny ? -1 : 1;
    return memcmp(x, y, nx);
}

int sv_natural_cmp(const char *sa, const char *sb)
{
    const unsigned char *a = (const unsigned char *)sa;
    const unsigned char *b = (const unsigned char *)sb;
    int width = 0; /* the first pair of equal runs of different width */

    for (;;) {
        size_t na = digits_len(a), nb = digits_len(b);
        if (na && nb) {
            int c = digits_cmp(a, na, b, nb);
            if (c)
                return c;
            if (!width && na != nb)
                width = na < nb ? -1 : 1;
            a += na;
            b += nb;
            continue;
        }
        if (*a != *b)
            return *a < *b ? -1 : 1;
        if (!*a)
            return width;
        a++;
        b++;
    }
}

size_t sv_display_width(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t w = 0;

    while (*s) {
        unsigned cp;
        s += utf8_next(s, &cp);
        if (cp >= 0x300 && cp <= 0x36F)
            continue;
        w += wide(cp) ? 2 : 1;
    }
    return w;
}
