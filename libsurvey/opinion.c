/*
 * opinion.c — free-text comments: masking personal data (sv_mask_pii) and
 * counting the common opinions (共性意见): built-in property-management
 * themes and frequent 2-4 character Chinese n-grams, each counted at most
 * once per comment.
 */
#include <stdlib.h>
#include <string.h>

#include "survey.h"

/* ---- masking -------------------------------------------------------- */

/*
 * Decimal digit at S (ASCII or full-width U+FF10-U+FF19): returns its
 * value and stores its byte length in *LEN, or -1 when S is no digit.
 */
static int digit_at(const unsigned char *s, size_t *len)
{
    if (s[0] >= '0' && s[0] <= '9') {
        *len = 1;
        return s[0] - '0';
    }
    if (s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99) {
        *len = 3;
        return s[2] - 0x90;
    }
    return -1;
}

/* True when S is an ID-card check character X (ASCII or full-width). */
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
 * Scans a number at S: digits, optionally grouped by single '-' or ' '
 * between digits.  Stores up to 32 digits in D, their count in *ND, the
 * number of groups in *NG and the first group sizes in G[0..2].
 * Returns the byte length.
 */
static size_t scan_number(const unsigned char *s, char *d, size_t *nd,
                          size_t *ng, size_t *g)
{
    size_t i = 0, len, n = 0, groups = 1;
    int v;

    g[0] = g[1] = g[2] = 0;
    for (;;) {
        if ((v = digit_at(s + i, &len)) >= 0) {
            if (n < 32)
                d[n] = (char)('0' + v);
            n++;
            if (groups <= 3)
                g[groups - 1]++;
            i += len;
            continue;
        }
        if ((s[i] == '-' || s[i] == ' ') && digit_at(s + i + 1, &len) >= 0) {
            groups++;
            i++;
            continue;
        }
        break;
    }
    *nd = n;
    *ng = groups;
    return i;
}

static int mobile(const char *d, size_t n)
{
    return n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
}

/*
 * Length of the personal number starting at S, or 0: a mobile number
 * (11 digits 1[3-9]…, plain, as 3-4-4 groups, or after 86), an ID-card
 * number (18 digits, or 17 digits and X).
 */
static size_t pii_len(const unsigned char *s)
{
    char d[32];
    size_t nd, ng, g[3], len = scan_number(s, d, &nd, &ng, g), run, xl;

    if (ng == 1) {
        if (mobile(d, nd) || nd == 18)
            return len;
        if (nd == 13 && d[0] == '8' && d[1] == '6' && mobile(d + 2, 11))
            return len;
        if (nd == 17 && (xl = x_at(s + len)))
            return len + xl;
        return 0;
    }
    if (ng == 3 && g[0] == 3 && g[1] == 4 && g[2] == 4 && mobile(d, nd))
        return len;
    /* 86 138 1234 5678 and the like: try again after the first group. */
    run = 0;
    if (g[0] == 2 && d[0] == '8' && d[1] == '6') {
        size_t dl;
        while (digit_at(s + run, &dl) >= 0)
            run += dl;
        run++;
        len = pii_len(s + run);
        return len ? run + len : 0;
    }
    return 0;
}

size_t sv_mask_pii(const char *str, char *out, size_t cap)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, o = 0, len, m;

    while (s[i]) {
        int at_start = i == 0 || digit_at(s + i - 1, &len) < 0;
        if (at_start && digit_at(s + i, &len) >= 0 && (m = pii_len(s + i))) {
            if (o + 4 >= cap)
                return (size_t)-1;
            memcpy(out + o, "****", 4);
            o += 4;
            i += m;
            continue;
        }
        if (o + 1 >= cap)
            return (size_t)-1;
        out[o++] = (char)s[i++];
    }
    if (o >= cap)
        return (size_t)-1;
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

/* An n-gram and how many comments contain it. */
struct gram {
    char *text;
    size_t count;
    size_t last; /* number of the last comment that counted it */
};

struct sv_opinions {
    size_t comments;
    size_t theme_count[NTHEMES];
    struct gram *slots; /* open addressing, cap a power of two */
    size_t cap, used;
};

struct sv_opinions *sv_opinions_new(struct sv_error *err)
{
    struct sv_opinions *o = calloc(1, sizeof *o);

    if (o && !(o->slots = calloc(1024, sizeof *o->slots))) {
        free(o);
        o = NULL;
    }
    if (!o) {
        sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    o->cap = 1024;
    return o;
}

void sv_opinions_free(struct sv_opinions *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->cap; i++)
        free(o->slots[i].text);
    free(o->slots);
    free(o);
}

static size_t hash(const char *s, size_t n)
{
    size_t h = 2166136261u;

    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static struct gram *slot(struct gram *slots, size_t cap, const char *s,
                         size_t n)
{
    size_t i = hash(s, n) & (cap - 1);

    while (slots[i].text && (strncmp(slots[i].text, s, n)
                             || slots[i].text[n]))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static int grow(struct sv_opinions *o)
{
    size_t cap = o->cap * 2;
    struct gram *slots = calloc(cap, sizeof *slots);

    if (!slots)
        return -1;
    for (size_t i = 0; i < o->cap; i++)
        if (o->slots[i].text)
            *slot(slots, cap, o->slots[i].text,
                  strlen(o->slots[i].text)) = o->slots[i];
    free(o->slots);
    o->slots = slots;
    o->cap = cap;
    return 0;
}

static int count_gram(struct sv_opinions *o, const char *s, size_t n)
{
    struct gram *g;

    if (o->used * 2 >= o->cap && grow(o))
        return -1;
    g = slot(o->slots, o->cap, s, n);
    if (!g->text) {
        if (!(g->text = strndup(s, n)))
            return -1;
        o->used++;
    }
    if (g->last != o->comments) {
        g->last = o->comments;
        g->count++;
    }
    return 0;
}

/* Characters that do not start or end a meaningful n-gram. */
static const char stop_chars[] =
    "的了是我们你他她它也很都在有不就和与及或而但还又再把被让给这那些"
    "个一上下来去到说要会能可以吧吗呢啊呀哦嘛么太多少更最非常希望建议感觉"
    "觉得现在今年去年每次一直经常有时好点些";

/* True when the 3-byte UTF-8 character at S is a CJK ideograph. */
static int cjk(const unsigned char *s)
{
    unsigned cp;

    if ((s[0] & 0xF0) != 0xE0 || (s[1] & 0xC0) != 0x80
        || (s[2] & 0xC0) != 0x80)
        return 0;
    cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    return cp >= 0x4E00 && cp <= 0x9FFF;
}

static int stop(const char *s)
{
    char c[4] = {s[0], s[1], s[2], 0};

    return strstr(stop_chars, c) != NULL;
}

/* Counts the 2-4 character n-grams of a run of N ideographs at S. */
static int count_run(struct sv_opinions *o, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (stop(s + 3 * i))
            continue;
        for (size_t k = 2; k <= 4 && i + k <= n; k++)
            if (!stop(s + 3 * (i + k - 1))
                && count_gram(o, s + 3 * i, 3 * k))
                return -1;
    }
    return 0;
}

enum sv_status sv_opinions_add(struct sv_opinions *o, const char *text,
                               struct sv_error *err)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, run;

    o->comments++;
    for (size_t t = 0; t < NTHEMES; t++)
        o->theme_count[t] += (size_t)sv_opinion_mentions(text, t);
    while (s[i]) {
        for (run = 0; cjk(s + i + 3 * run); run++)
            ;
        if (run >= 2 && count_run(o, (const char *)s + i, run))
            return sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL,
                                "out of memory");
        i += run ? 3 * run : 1;
    }
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

/*
 * True when ALL[I] is part of a longer n-gram counted as often (the longer
 * one says more).  ALL is sorted by count, so equal counts are adjacent.
 */
static int subsumed(const struct sv_keyword *all, size_t n, size_t i)
{
    size_t len = strlen(all[i].text);

    for (size_t j = i; j-- > 0 && all[j].count == all[i].count;)
        if (strlen(all[j].text) > len && strstr(all[j].text, all[i].text))
            return 1;
    for (size_t j = i + 1; j < n && all[j].count == all[i].count; j++)
        if (strlen(all[j].text) > len && strstr(all[j].text, all[i].text))
            return 1;
    return 0;
}

/*
 * True when TEXT shares two consecutive characters with one of the K
 * n-grams already chosen: pieces of one long phrase ("高峰期高层用水")
 * then appear once, by their most frequent piece.
 */
static int overlaps(const struct sv_keyword *chosen, size_t k,
                    const char *text)
{
    size_t len = strlen(text);

    for (size_t i = 0; i + 6 <= len; i += 3)
        for (size_t j = 0; j < k; j++)
            if (contains(chosen[j].text, text + i, 6))
                return 1;
    return 0;
}

size_t sv_opinions_ngrams(const struct sv_opinions *o, size_t min_count,
                          struct sv_keyword *out, size_t cap,
                          struct sv_error *err)
{
    struct sv_keyword *all = malloc((o->used + 1) * sizeof *all);
    size_t n = 0, k = 0;

    if (!all) {
        sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        return (size_t)-1;
    }
    for (size_t i = 0; i < o->cap; i++) {
        const struct gram *g = &o->slots[i];
        if (g->text && g->count >= min_count) {
            all[n].text = g->text;
            all[n++].count = g->count;
        }
    }
    qsort(all, n, sizeof *all, cmp_keyword);
    for (size_t i = 0; i < n && k < cap; i++)
        if (!subsumed(all, n, i) && !overlaps(out, k, all[i].text))
            out[k++] = all[i];
    free(all);
    return k;
}
