/*
 * opinion.c — free-text comments: masking personal data (sv_mask_pii) and
 * counting the built-in property-management themes of the common opinions
 * (共性意见), each at most once per comment.  Words and phrases are
 * words.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "survey.h"

/* ---- masking -------------------------------------------------------- */

/*
 * Masking runs in one pass over the text and never recurses.  A number is
 * a span of digit groups joined by short separator runs; every group may
 * start a window of following groups, and a window is at most MAX_DIGITS
 * digits long, so each byte is looked at a bounded number of times.
 * Full-width digits, Chinese numerals (一三八 零零一三, 幺 for one, 〇 and
 * 零 for zero, the financial 壹贰叁...), hyphens, full stops and spaces
 * (and the no-break space) count as their ASCII forms.
 */
#define MAX_DIGITS 20 /* longest personal number: 18-digit ID, 0086+11 */
#define MAX_SEP 3     /* "138 - 0013" */

/* The code point of the 3-byte UTF-8 character at S, or 0. */
static unsigned cp3(const unsigned char *s)
{
    if ((s[0] & 0xF0) != 0xE0 || (s[1] & 0xC0) != 0x80 ||
        (s[2] & 0xC0) != 0x80)
        return 0;
    return (unsigned)(s[0] & 0x0F) << 12 | (unsigned)(s[1] & 0x3F) << 6 |
           (s[2] & 0x3F);
}

/* The value of the Chinese numeral U (a phone number read out), or -1. */
static int numeral(unsigned u)
{
    switch (u) {
    case 0x3007: case 0x96F6: return 0;              /* 〇 零 */
    case 0x4E00: case 0x5E7A: case 0x58F9: return 1; /* 一 幺 壹 */
    case 0x4E8C: case 0x8D30: return 2;              /* 二 贰 */
    case 0x4E09: case 0x53C1: return 3;              /* 三 叁 */
    case 0x56DB: case 0x8086: return 4;              /* 四 肆 */
    case 0x4E94: case 0x4F0D: return 5;              /* 五 伍 */
    case 0x516D: case 0x9646: return 6;              /* 六 陆 */
    case 0x4E03: case 0x67D2: return 7;              /* 七 柒 */
    case 0x516B: case 0x634C: return 8;              /* 八 捌 */
    case 0x4E5D: case 0x7396: return 9;              /* 九 玖 */
    default: return -1;
    }
}

/*
 * Decimal digit at S (ASCII, full-width U+FF10-U+FF19 or a Chinese
 * numeral): returns its value and stores its byte length in *LEN, or -1
 * when S is no digit.
 */
static int digit_at(const unsigned char *s, size_t *len)
{
    int v;

    if (s[0] >= '0' && s[0] <= '9') {
        *len = 1;
        return s[0] - '0';
    }
    if (s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99) {
        *len = 3;
        return s[2] - 0x90;
    }
    if (s[0] < 0xE3 || s[0] > 0xE9)
        return -1; /* no Chinese numeral either */
    if ((v = numeral(cp3(s))) >= 0)
        *len = 3;
    return v;
}

/* Byte length of the ID-card check character X at S (ASCII or full-width). */
static size_t x_at(const unsigned char *s)
{
    if (s[0] == 'X' || s[0] == 'x')
        return 1;
    if (s[0] == 0xEF && s[1] == 0xBC && s[2] == 0xB8) /* Ｘ */
        return 3;
    if (s[0] == 0xEF && s[1] == 0xBD && s[2] == 0x98) /* ｘ */
        return 3;
    return 0;
}

/*
 * Byte length of the digit-group separator at S, or 0: space, '-', '.',
 * '/', '_', '~', ')' (after an area code) and their full-width forms
 * (U+3000, U+FF0D, U+FF0E, U+FF0F, U+FF3F, U+FF5E, U+FF09), the no-break
 * space, en and em dashes.
 */
static size_t sep_at(const unsigned char *s)
{
    if (s[0] == ' ' || s[0] == '-' || s[0] == '.' || s[0] == ')' ||
        s[0] == '/' || s[0] == '_' || s[0] == '~')
        return 1;
    if (s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3;
    if (s[0] == 0xEF && s[1] == 0xBC &&
        (s[2] == 0x8D || s[2] == 0x8E || s[2] == 0x89 || s[2] == 0x8F ||
         s[2] == 0xBF))
        return 3;
    if (s[0] == 0xEF && s[1] == 0xBD && s[2] == 0x9E)
        return 3;
    if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x93 || s[2] == 0x94))
        return 3;
    return 0;
}

static int ascii_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9');
}

/* One group of digits: bytes [start, end), up to MAX_DIGITS + 1 digits. */
struct group {
    size_t start, end, nd;
    char d[MAX_DIGITS + 1];
    int x; /* ends in the check character X */
};

/*
 * Scans the digit group at S + I into G.  Stops counting after
 * MAX_DIGITS + 1 digits unless FULL, then only the end is still found.
 */
static void scan_group(const unsigned char *s, size_t i, struct group *g,
                       int full)
{
    size_t len, xl;
    int v;

    g->start = i;
    g->nd = 0;
    g->x = 0;
    while ((v = digit_at(s + i, &len)) >= 0) {
        if (g->nd <= MAX_DIGITS)
            g->d[g->nd] = (char)('0' + v);
        else if (!full)
            break;
        g->nd++;
        i += len;
    }
    if (g->nd && g->nd <= 17 && (xl = x_at(s + i))
        && !ascii_alnum(s[i + xl])) {
        g->x = 1;
        i += xl;
    }
    g->end = i;
}

/* Position of the group after the separator run at S + I, or 0. */
static size_t next_group(const unsigned char *s, size_t i)
{
    size_t len;

    for (int k = 0; k < MAX_SEP; k++) {
        size_t l = sep_at(s + i);
        if (!l)
            return 0;
        i += l;
        if (digit_at(s + i, &len) >= 0)
            return i;
    }
    return 0;
}

static int mobile(const char *d, size_t n)
{
    return n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

/* Birth date YYYYMMDD of an ID number looks real (19xx or 20xx). */
static int birth_date(const char *d)
{
    int m = (d[4] - '0') * 10 + d[5] - '0', day = (d[6] - '0') * 10 + d[7]
                                                  - '0';

    return (d[0] == '1' && d[1] == '9') || (d[0] == '2' && d[1] == '0')
               ? m >= 1 && m <= 12 && day >= 1 && day <= 31
               : 0;
}

/*
 * True when the ND digits D (NG groups, the first FIRST digits long, X
 * when a check character ends them) are a personal number: a mobile
 * number, after 86 or 0086 too; a landline with its area code (0 and
 * 9-11 more digits); an ID-card number (18 characters, X last).
 */
static int personal(const char *d, size_t nd, size_t ng, size_t first, int x)
{
    if (x)
        return nd == 17 && (ng == 1 || birth_date(d + 6));
    if (mobile(d, nd))
        return 1;
    if (nd == 13 && d[0] == '8' && d[1] == '6' && mobile(d + 2, 11))
        return 1;
    if (nd == 15 && !memcmp(d, "0086", 4) && mobile(d + 4, 11))
        return 1;
    if (nd >= 10 && nd <= 12 && d[0] == '0' && d[1] != '0')
        return ng == 1 || first == 3 || first == 4;
    return nd == 18 && (ng == 1 || birth_date(d + 6));
}

/*
 * Byte length of the longest personal number made of the groups starting
 * with G (already scanned in full), or 0.
 */
static size_t number_len(const unsigned char *s, const struct group *g)
{
    char d[MAX_DIGITS];
    struct group n = *g;
    size_t nd = 0, ng = 0, best = 0, at;

    for (;;) {
        if (nd + n.nd > MAX_DIGITS)
            break;
        memcpy(d + nd, n.d, n.nd);
        nd += n.nd;
        ng++;
        if (personal(d, nd, ng, g->nd, n.x))
            best = n.end - g->start;
        if (n.x || !(at = next_group(s, n.end)))
            break;
        scan_group(s, at, &n, 0);
    }
    return best;
}

static int email_local(unsigned char c)
{
    return ascii_alnum(c) || (c && strchr("._%+-", c));
}

/*
 * Byte length of the character at S when it is a letter of an
 * internationalised address (张三@例子.公司): any character beyond ASCII
 * but spaces, punctuation and symbols (U+0080-U+00BF, U+2000-U+2BFF,
 * U+3000-U+303F, U+FE30-U+FE6F, U+FF00-U+FFEF); else 0.
 */
static size_t intl_letter(const unsigned char *s)
{
    unsigned u;

    if (s[0] >= 0xC3 && s[0] <= 0xDF)
        return (s[1] & 0xC0) == 0x80 ? 2 : 0; /* U+00C0-U+07FF */
    if (s[0] >= 0xF0 && s[0] <= 0xF4)
        return (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
                       (s[3] & 0xC0) == 0x80
                   ? 4
                   : 0;
    u = cp3(s);
    if (u < 0x800 || (u >= 0x2000 && u < 0x2C00) ||
        (u >= 0x3000 && u < 0x3040) || (u >= 0xD800 && u < 0xE000) ||
        (u >= 0xFE30 && u < 0xFE70) || (u >= 0xFF00 && u < 0xFFF0) ||
        u >= 0xFFF0)
        return 0;
    return 3;
}

/*
 * Byte length of the character at S in a run of KIND (0: the ASCII
 * letters, digits and ._%+- of a local part; 1: letters beyond ASCII and
 * ._-), or 0.
 */
static size_t local_char(const unsigned char *s, int kind)
{
    if (!kind)
        return email_local(s[0]);
    if (s[0] == '.' || s[0] == '_' || s[0] == '-')
        return 1;
    return intl_letter(s);
}

/* Byte length of '@' or the full-width ＠ at S, or 0. */
static size_t at_sign(const unsigned char *s)
{
    if (s[0] == '@')
        return 1;
    return s[0] == 0xEF && s[1] == 0xBC && s[2] == 0xA0 ? 3 : 0;
}

/* Byte length of '.' or the full-width ． at S, or 0. */
static size_t dot_at(const unsigned char *s)
{
    if (s[0] == '.')
        return 1;
    return s[0] == 0xEF && s[1] == 0xBC && s[2] == 0x8E ? 3 : 0;
}

/*
 * Byte length of the domain label at S: ASCII letters, digits and '-', or
 * letters beyond ASCII and '-' (one kind, so that 谢谢 after qq.com is no
 * part of it); *TLD is set when it may end an address (two letters or
 * more, no digit).
 */
static size_t label_len(const unsigned char *s, int *tld)
{
    size_t i = 0, l, chars = 0;
    int digit = 0;

    if (ascii_alnum(s[0])) {
        for (; ascii_alnum(s[i]) || s[i] == '-'; i++, chars++)
            digit |= s[i] >= '0' && s[i] <= '9';
    } else {
        while ((l = intl_letter(s + i)) || (i && s[i] == '-')) {
            i += l ? l : 1;
            chars++;
        }
    }
    *tld = chars >= 2 && !digit && i && s[i - 1] != '-';
    return i;
}

/*
 * Byte length of the e-mail address starting at S (a local part, '@' or
 * ＠, a domain of two labels or more joined by '.' or ．, the last of two
 * letters or more), or 0.  Also stores the local part's length in *LOCAL,
 * so that a caller that found none skips it in one step.  Linear: a
 * domain is scanned once, and ends before the next '@'.
 */
static size_t email_len(const unsigned char *s, size_t *local)
{
    int kind = s[0] >= 0x80, tld = 0, last = 0;
    size_t i = 0, j, l, n, d, labels = 0, end = 0;

    while ((l = local_char(s + i, kind)))
        i += l;
    *local = i;
    if (!i || !(l = at_sign(s + i)))
        return 0;
    for (j = i + l; (n = label_len(s + j, &tld)); j += d) {
        j += n;
        labels++;
        end = j;
        last = tld;
        if (!(d = dot_at(s + j)) || !label_len(s + j + d, &tld))
            break;
    }
    return labels >= 2 && last ? end : 0;
}

/* Appends the N bytes at S to OUT (capacity CAP, O used); -1 when full. */
static int put(char *out, size_t cap, size_t *o, const void *s, size_t n)
{
    if (*o + n >= cap)
        return -1;
    memcpy(out + *o, s, n);
    *o += n;
    return 0;
}

size_t sv_mask_pii(const char *str, char *out, size_t cap)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, o = 0, len, m, local_end = 0;
    struct group g;

    if (!cap)
        return (size_t)-1;
    while (s[i]) {
        if (i >= local_end && local_char(s + i, s[i] >= 0x80)) {
            m = email_len(s + i, &len);
            local_end = i + len;
            if (m) {
                if (put(out, cap, &o, "****", 4))
                    return (size_t)-1;
                i += m;
                continue;
            }
        }
        if (digit_at(s + i, &len) >= 0) {
            scan_group(s, i, &g, 1);
            m = number_len(s, &g);
            /*
             * A name may end in a numeral (张三, 王五) written right before
             * the number: a short group of them is tried from its next
             * character too (at most MAX_DIGITS times, so still linear).
             */
            if (!m && len == 3 && s[i] != 0xEF && g.nd <= MAX_DIGITS + 1)
                g.end = i + len;
            if (put(out, cap, &o, m ? "****" : str + i, m ? 4 : g.end - i))
                return (size_t)-1;
            i += m ? m : g.end - i;
            continue;
        }
        if (put(out, cap, &o, s + i, 1))
            return (size_t)-1;
        i++;
    }
    out[o] = '\0';
    return o;
}

/* ---- themes --------------------------------------------------------- */

/* A theme and the words that mention it, separated by 、. */
struct theme {
    const char *name;
    const char *words;
};

static const struct theme themes[] = {
    {"停车", "停车、车位、车库、乱停、占道"},
    {"电梯", "电梯"},
    {"保洁", "保洁、卫生、垃圾、清洁、打扫"},
    {"噪音", "噪音、噪声、扰民、吵"},
    {"维修", "维修、报修、修理、坏了"},
    {"绿化", "绿化、草坪、树木、花草、修剪"},
    {"安保", "保安、安保、门禁、治安、巡逻、陌生人"},
    {"收费", "收费、物业费、费用、涨价、缴费"},
    {"服务态度", "态度、不耐烦、热情、礼貌"},
    {"漏水", "漏水、渗水、渗漏、水管"},
    {"宠物", "宠物、养狗、养犬、狗"},
    {"照明", "路灯、照明、灯坏"},
    {"快递", "快递、外卖"},
    {"表扬", "表扬、感谢、谢谢、点赞"},
};

#define NTHEMES (sizeof themes / sizeof themes[0])
#define WORD_SEP "、"

size_t sv_opinion_themes(void)
{
    return NTHEMES;
}

const char *sv_opinion_theme_name(size_t i)
{
    return i < NTHEMES ? themes[i].name : "";
}

const char *sv_opinion_theme_words(size_t i)
{
    return i < NTHEMES ? themes[i].words : "";
}

/* True when TEXT contains the LEN bytes at W. */
static int contains(const char *text, const char *w, size_t len)
{
    for (const char *p = strchr(text, w[0]); p; p = strchr(p + 1, w[0]))
        if (!strncmp(p, w, len))
            return 1;
    return 0;
}

int sv_opinion_mentions(const char *text, size_t theme)
{
    const char *w, *end;

    if (theme >= NTHEMES)
        return 0;
    for (w = themes[theme].words; *w; w = *end ? end + strlen(WORD_SEP)
                                                : end) {
        end = strstr(w, WORD_SEP);
        if (!end)
            end = w + strlen(w);
        if (contains(text, w, (size_t)(end - w)))
            return 1;
    }
    return 0;
}

/* ---- the collector -------------------------------------------------- */

/*
 * Theme counts only: the report's words and phrases come from words.c
 * (ICU word segmentation), so no phrase table is kept here.
 */
struct sv_opinions {
    size_t comments;
    size_t theme_count[NTHEMES];
};

struct sv_opinions *sv_opinions_new(struct sv_error *err)
{
    struct sv_opinions *o = calloc(1, sizeof *o);

    if (!o)
        sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    return o;
}

void sv_opinions_free(struct sv_opinions *o)
{
    free(o);
}

enum sv_status sv_opinions_add(struct sv_opinions *o, const char *text,
                               struct sv_error *err)
{
    (void)err;
    o->comments++;
    for (size_t t = 0; t < NTHEMES; t++)
        o->theme_count[t] += (size_t)sv_opinion_mentions(text, t);
    return SV_OK;
}

size_t sv_opinions_comments(const struct sv_opinions *o)
{
    return o->comments;
}

static int cmp_keyword(const void *a, const void *b)
{
    const struct sv_keyword *x = a, *y = b;

    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->text, y->text);
}

size_t sv_opinions_theme_counts(const struct sv_opinions *o,
                                struct sv_keyword *out, size_t cap)
{
    struct sv_keyword all[NTHEMES];
    size_t n = 0;

    for (size_t t = 0; t < NTHEMES; t++)
        if (o->theme_count[t]) {
            all[n].text = themes[t].name;
            all[n++].count = o->theme_count[t];
        }
    qsort(all, n, sizeof all[0], cmp_keyword);
    n = n < cap ? n : cap;
    memcpy(out, all, n * sizeof all[0]);
    return n;
}
