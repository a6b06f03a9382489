/*
 * words.c — themes from words: comments segmented into words with ICU's
 * dictionary-based word break iterator (UBRK_WORD, locale "zh"), stop
 * words dropped, and the words and two-word phrases counted once per
 * comment, each with the first comment that used it (masked with
 * sv_mask_pii) as its example.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#include "survey.h"

#define MAX_EXAMPLE 240 /* bytes of an example comment kept */
#define MAX_WORDS 64    /* content words of one comment that are counted */

/*
 * Words that say nothing about what a comment is about: pronouns,
 * particles, degree words and the wording of the form itself.
 */
static const char *const stop_words[] = {
    "我们", "你们", "他们", "她们", "它们", "自己", "大家", "这个", "那个",
    "这些", "那些", "这里", "那里", "什么", "怎么", "为什么", "因为", "所以",
    "但是", "而且", "然后", "如果", "虽然", "还是", "或者", "以及", "可以",
    "能够", "需要", "应该", "希望", "建议", "感觉", "觉得", "认为", "一些",
    "一下", "一直", "经常", "有时", "有些", "非常", "特别", "比较", "还有",
    "没有", "不是", "就是", "已经", "现在", "今年", "去年", "每次", "时候",
    "问题", "情况", "方面", "谢谢", "感谢", "其他", "其它", "目前", "总是",
    "不够", "太多", "太少", "不能", "不会", "一点", "有点", "所有", "很多",
    "请问", "到底", "一次", "个别", "整体", "以后", "之类", "明显", "尽快",
    "随便", "存在", "好几", "多次", "一定", "一样", "真的", "不错", "挺好",
};

struct entry {
    char *text;
    char *example;
    size_t count;
    size_t last; /* number of the last comment that counted it */
    int phrase;  /* two words, not one */
};

struct sv_words {
    size_t comments;
    struct entry *slots; /* open addressing, cap a power of two */
    size_t cap, used;
    UBreakIterator *bi;
};

static int is_stop(const char *w)
{
    for (size_t i = 0; i < sizeof stop_words / sizeof stop_words[0]; i++)
        if (!strcmp(stop_words[i], w))
            return 1;
    return 0;
}

struct sv_words *sv_words_new(struct sv_error *err)
{
    struct sv_words *o = calloc(1, sizeof *o);
    UErrorCode uerr = U_ZERO_ERROR;

    if (o)
        o->slots = calloc(1024, sizeof *o->slots);
    if (!o || !o->slots) {
        free(o);
        sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    o->cap = 1024;
    o->bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &uerr);
    if (U_FAILURE(uerr)) {
        sv_words_free(o);
        sv_error_set(err, SV_ERR_IO, NULL, 0, NULL,
                     "word segmentation unavailable: %s", u_errorName(uerr));
        return NULL;
    }
    return o;
}

void sv_words_free(struct sv_words *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->cap; i++) {
        free(o->slots[i].text);
        free(o->slots[i].example);
    }
    free(o->slots);
    if (o->bi)
        ubrk_close(o->bi);
    free(o);
}

static size_t hash(const char *s)
{
    size_t h = 2166136261u;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static struct entry *slot(struct entry *slots, size_t cap, const char *s)
{
    size_t i = hash(s) & (cap - 1);

    while (slots[i].text && strcmp(slots[i].text, s))
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static int grow(struct sv_words *o)
{
    size_t cap = o->cap * 2;
    struct entry *slots = calloc(cap, sizeof *slots);

    if (!slots)
        return -1;
    for (size_t i = 0; i < o->cap; i++)
        if (o->slots[i].text)
            *slot(slots, cap, o->slots[i].text) = o->slots[i];
    free(o->slots);
    o->slots = slots;
    o->cap = cap;
    return 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;

    return x < y ? -1 : x > y;
}

/*
 * Keeps the table under SV_WORDS_MAX: drops the entries counted no more
 * often than the median (as the phrase table of opinion.c does).
 */
static int prune(struct sv_words *o)
{
    size_t *counts = malloc(o->used * sizeof *counts), n = 0, median;
    struct entry *slots = calloc(o->cap, sizeof *slots);

    if (!counts || !slots) {
        free(counts);
        free(slots);
        return -1;
    }
    for (size_t i = 0; i < o->cap; i++)
        if (o->slots[i].text)
            counts[n++] = o->slots[i].count;
    qsort(counts, n, sizeof *counts, cmp_size);
    median = counts[n / 2];
    o->used = 0;
    for (size_t i = 0; i < o->cap; i++) {
        struct entry *e = &o->slots[i];
        if (!e->text)
            continue;
        if (e->count <= median) {
            free(e->text);
            free(e->example);
            continue;
        }
        *slot(slots, o->cap, e->text) = *e;
        o->used++;
    }
    free(counts);
    free(o->slots);
    o->slots = slots;
    return 0;
}

/*
 * The comment as an example: masked, on one line (line breaks and tabs
 * become spaces), at most MAX_EXAMPLE bytes.
 */
static char *example_of(const char *comment)
{
    size_t len = strlen(comment), end;
    char *out = malloc(len + 1 + 3), *p;

    if (!out || sv_mask_pii(comment, out, len + 1) == (size_t)-1) {
        free(out);
        return NULL;
    }
    for (p = out; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    if (strlen(out) > MAX_EXAMPLE) {
        end = MAX_EXAMPLE;
        while (end > 0 && ((unsigned char)out[end] & 0xC0) == 0x80)
            end--;
        memcpy(out + end, "\xe2\x80\xa6", 4); /* "…" */
    }
    return out;
}

static int count(struct sv_words *o, const char *text, const char *comment,
                 int phrase)
{
    struct entry *e;

    if (o->used >= SV_WORDS_MAX && prune(o))
        return -1;
    if (o->used * 2 >= o->cap && grow(o))
        return -1;
    e = slot(o->slots, o->cap, text);
    if (!e->text) {
        if (!(e->text = strdup(text)))
            return -1;
        e->phrase = phrase;
        o->used++;
    }
    if (e->last == o->comments)
        return 0;
    e->last = o->comments;
    e->count++;
    if (!e->example && !(e->example = example_of(comment)))
        return -1;
    return 0;
}

/* A content word: two or more characters, letters or ideographs. */
static int content_word(UBreakIterator *bi, const char *utf8)
{
    int32_t status = ubrk_getRuleStatus(bi);
    size_t chars = 0;

    if (status < UBRK_WORD_LETTER || status >= UBRK_WORD_IDEO_LIMIT)
        return 0;
    for (const char *p = utf8; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    return chars >= 2 && !is_stop(utf8);
}

/*
 * Splits the UTF-16 text U (N units) into words; stores in WORDS the
 * content words (UTF-8, caller frees) and in GLUED whether each one
 * directly follows the previous one (no stop word, space or punctuation
 * between: together they form a phrase).  Returns the number stored, or
 * -1 when out of memory.
 */
static int segment(struct sv_words *o, const UChar *u, int32_t n,
                   char **words, int *glued)
{
    UErrorCode uerr = U_ZERO_ERROR;
    int32_t start, end;
    int k = 0, after_word = 0;
    char buf[256];

    ubrk_setText(o->bi, u, n, &uerr);
    if (U_FAILURE(uerr))
        return 0;
    start = ubrk_first(o->bi);
    for (end = ubrk_next(o->bi); end != UBRK_DONE && k < MAX_WORDS;
         start = end, end = ubrk_next(o->bi)) {
        int32_t len = 0;
        uerr = U_ZERO_ERROR;
        u_strToUTF8(buf, sizeof buf, &len, u + start, end - start, &uerr);
        if (U_FAILURE(uerr) || uerr == U_STRING_NOT_TERMINATED_WARNING
            || !content_word(o->bi, buf)) {
            after_word = 0;
            continue;
        }
        if (!(words[k] = strdup(buf)))
            return -1;
        glued[k++] = after_word;
        after_word = 1;
    }
    return k;
}

/* Counts the words and two-word phrases of one comment. */
static int count_comment(struct sv_words *o, const char *text,
                         char *const *words, const int *glued, int k)
{
    char phrase[512];
    size_t a, b;

    for (int i = 0; i < k; i++) {
        if (count(o, words[i], text, 0))
            return -1;
        if (!glued[i])
            continue;
        a = strlen(words[i - 1]);
        b = strlen(words[i]);
        if (a + b >= sizeof phrase)
            continue;
        memcpy(phrase, words[i - 1], a);
        memcpy(phrase + a, words[i], b + 1);
        if (count(o, phrase, text, 1))
            return -1;
    }
    return 0;
}

enum sv_status sv_words_add(struct sv_words *o, const char *text,
                            struct sv_error *err)
{
    size_t len = strlen(text);
    UChar *u = len < INT32_MAX ? malloc((len + 1) * sizeof *u) : NULL;
    char *words[MAX_WORDS];
    int glued[MAX_WORDS], k = 0, rc = -1;
    int32_t n = 0;
    UErrorCode uerr = U_ZERO_ERROR;

    o->comments++;
    if (u) {
        u_strFromUTF8WithSub(u, (int32_t)len + 1, &n, text, (int32_t)len,
                             0xFFFD, NULL, &uerr);
        k = U_FAILURE(uerr) ? 0 : segment(o, u, n, words, glued);
        rc = k < 0 ? -1 : count_comment(o, text, words, glued, k);
    }
    for (int i = 0; i < k; i++)
        free(words[i]);
    free(u);
    if (rc)
        return sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL,
                            "out of memory");
    return SV_OK;
}

size_t sv_words_comments(const struct sv_words *o)
{
    return o->comments;
}

static int cmp_word(const void *a, const void *b)
{
    const struct sv_word *x = a, *y = b;

    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->text, y->text);
}

size_t sv_words_top(const struct sv_words *o, int phrases, size_t min_count,
                    struct sv_word *out, size_t cap, struct sv_error *err)
{
    struct sv_word *all = malloc((o->used + 1) * sizeof *all);
    size_t n = 0;

    if (!all) {
        sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        return (size_t)-1;
    }
    for (size_t i = 0; i < o->cap; i++) {
        const struct entry *e = &o->slots[i];
        if (e->text && e->count >= min_count
            && (e->phrase != 0) == (phrases != 0)) {
            all[n].text = e->text;
            all[n].count = e->count;
            all[n++].example = e->example;
        }
    }
    qsort(all, n, sizeof *all, cmp_word);
    n = n < cap ? n : cap;
    memcpy(out, all, n * sizeof *all);
    free(all);
    return n;
}
