/*
 * scale.c — answer scales: the built-in ones of PRODUCT.md 3.2 and inline
 * custom scales, with label normalisation and aliases.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "survey.h"

#define LABEL_MAX 128

struct alias {
    char *norm; /* normalised spelling */
    int code;
};

struct sv_scale {
    char name[16];
    enum sv_scale_kind kind;
    int k, top;
    char *labels[SV_SCALE_MAX_LEVELS]; /* canonical label of code 1..k */
    double scores[SV_SCALE_MAX_LEVELS];
    struct alias *aliases;
    size_t naliases, cap;
};

struct builtin_alias {
    const char *spelling;
    int code;
};

static const struct builtin_alias abc3_aliases[] = {
    {"满意", 1}, {"a", 1}, {"satisfied", 1},
    {"较满意", 2}, {"比较满意", 2}, {"基本满意", 2}, {"b", 2}, {"fairly satisfied", 2},
    {"不满意", 3}, {"c", 3}, {"dissatisfied", 3}, {"unsatisfied", 3},
    {"not satisfied", 3}, {NULL, 0}};

static const struct builtin_alias likert5_aliases[] = {
    {"非常满意", 1}, {"很满意", 1}, {"5", 1}, {"very satisfied", 1},
    {"满意", 2}, {"比较满意", 2}, {"4", 2}, {"satisfied", 2},
    {"一般", 3}, {"3", 3}, {"neutral", 3},
    {"不满意", 4}, {"不太满意", 4}, {"2", 4}, {"dissatisfied", 4},
    {"非常不满意", 5}, {"很不满意", 5}, {"1", 5}, {"very dissatisfied", 5},
    {NULL, 0}};

static const struct builtin_alias yesno_aliases[] = {
    {"是", 1}, {"有", 1}, {"yes", 1}, {"y", 1}, {"true", 1}, {"1", 1},
    {"否", 0}, {"无", 0}, {"没有", 0}, {"no", 0}, {"n", 0}, {"false", 0},
    {"0", 0}, {NULL, 0}};

static int add_alias(struct sv_scale *s, const char *spelling, size_t len,
                     int code)
{
    char norm[LABEL_MAX];

    if (sv_normalize_label(spelling, len, norm, sizeof norm) == (size_t)-1 ||
        sv_is_no_answer(norm))
        return -1;
    /* a spelling used twice would make a level unreachable */
    for (size_t i = 0; i < s->naliases; i++)
        if (strcmp(s->aliases[i].norm, norm) == 0)
            return -1;
    if (s->naliases == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct alias *a = realloc(s->aliases, cap * sizeof *a);
        if (!a)
            return -1;
        s->aliases = a;
        s->cap = cap;
    }
    s->aliases[s->naliases].norm = strdup(norm);
    if (!s->aliases[s->naliases].norm)
        return -1;
    s->aliases[s->naliases++].code = code;
    return 0;
}

static int set_label(struct sv_scale *s, int code, const char *label)
{
    s->labels[code - (s->kind == SV_SCALE_ORDINAL)] = strdup(label);
    return s->labels[code - (s->kind == SV_SCALE_ORDINAL)] ? 0 : -1;
}

static struct sv_scale *builtin(const char *name, enum sv_scale_kind kind,
                                int k, int top,
                                const char *const *labels,
                                const struct builtin_alias *aliases)
{
    struct sv_scale *s = calloc(1, sizeof *s);
    int ok = s != NULL;

    if (!s)
        return NULL;
    snprintf(s->name, sizeof s->name, "%s", name);
    s->kind = kind;
    s->k = k;
    s->top = top;
    for (int i = 0; ok && i < k && i < SV_SCALE_MAX_LEVELS; i++) {
        s->labels[i] = strdup(labels[i]);
        ok = s->labels[i] != NULL;
        s->scores[i] = k > 1 ? (double)(k - 1 - i) / (k - 1) * 100.0 : 100.0;
    }
    for (size_t i = 0; ok && aliases && aliases[i].spelling; i++)
        ok = add_alias(s, aliases[i].spelling, strlen(aliases[i].spelling),
                       aliases[i].code) == 0;
    if (!ok) {
        sv_scale_free(s);
        return NULL;
    }
    return s;
}

static struct sv_scale *nps11(void)
{
    static const char *const labels[] = {"0", "1", "2", "3", "4", "5",
                                         "6", "7", "8", "9", "10"};
    struct sv_scale *s = builtin("nps11", SV_SCALE_NPS, 11, 0, labels, NULL);

    for (int i = 0; s && i <= 10; i++) {
        s->scores[i] = i;
        if (add_alias(s, labels[i], strlen(labels[i]), i)) {
            sv_scale_free(s);
            return NULL;
        }
    }
    return s;
}

static struct sv_scale *yesno(void)
{
    static const char *const labels[] = {"否", "是"};
    struct sv_scale *s =
        builtin("yesno", SV_SCALE_YESNO, 2, 0, labels, yesno_aliases);

    if (s) {
        s->scores[0] = 0;
        s->scores[1] = 100;
    }
    return s;
}

/* Parses one "label[/alias...][:score]" level of a custom scale. */
static enum sv_status custom_level(struct sv_scale *s, const char *p,
                                   size_t len, struct sv_error *err)
{
    char buf[LABEL_MAX], *colon, *slash, *part;
    int code = s->k + 1;

    if (len == 0 || len >= sizeof buf || code > SV_SCALE_MAX_LEVELS)
        return sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                            "bad level in custom scale (1-%d levels, "
                            "non-empty labels)", SV_SCALE_MAX_LEVELS);
    memcpy(buf, p, len);
    buf[len] = '\0';
    s->scores[code - 1] = NAN;
    colon = strrchr(buf, ':');
    if (colon) {
        *colon = '\0';
        if (sv_parse_double(colon + 1, &s->scores[code - 1]) != SV_OK)
            return sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                                "bad score '%s' in custom scale", colon + 1);
        /* scores are on the 0-100 scale of every metric (issue 16) */
        if (s->scores[code - 1] < 0 || s->scores[code - 1] > 100)
            return sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                                "score '%s' in custom scale out of range "
                                "0-100", colon + 1);
    }
    slash = strchr(buf, '/');
    if (slash)
        *slash = '\0';
    if (set_label(s, code, buf) || add_alias(s, buf, strlen(buf), code))
        return sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                            "bad level label '%s' in custom scale", buf);
    for (part = slash ? slash + 1 : NULL; part;) {
        char *next = strchr(part, '/');
        if (next)
            *next++ = '\0';
        if (add_alias(s, part, strlen(part), code))
            return sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                                "bad alias '%s' in custom scale", part);
        part = next;
    }
    s->k = code;
    return SV_OK;
}

static enum sv_status custom_levels(struct sv_scale *s, const char *p,
                                    size_t len, struct sv_error *err)
{
    while (len > 0) {
        const char *bar = memchr(p, '|', len);
        size_t n = bar ? (size_t)(bar - p) : len;
        enum sv_status st = custom_level(s, p, n, err);
        if (st)
            return st;
        p += n + (bar != NULL);
        len -= n + (bar != NULL);
        if (bar && len == 0)
            return sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                                "empty level at the end of custom scale");
    }
    return SV_OK;
}

/* Fills in default scores and top, and checks them. */
static enum sv_status custom_finish(struct sv_scale *s, long top,
                                    struct sv_error *err)
{
    if (s->k < 2)
        return sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                            "custom scale needs at least 2 levels");
    for (int i = 0; i < s->k; i++)
        if (isnan(s->scores[i]))
            s->scores[i] = (double)(s->k - 1 - i) / (s->k - 1) * 100.0;
    if (top < 0)
        top = s->k / 2;
    if (top < 1 || top > s->k)
        return sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                            "top=%ld out of range 1-%d", top, s->k);
    s->top = (int)top;
    return SV_OK;
}

static struct sv_scale *custom(const char *spec, struct sv_error *err)
{
    struct sv_scale *s = calloc(1, sizeof *s);
    const char *p = spec;
    long top = -1;
    int have_levels = 0;
    enum sv_status st = SV_OK;

    if (!s) {
        sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(s->name, sizeof s->name, "custom");
    s->kind = SV_SCALE_ORDINAL;
    while (*p && st == SV_OK) {
        const char *semi = strchr(p, ';');
        size_t n = semi ? (size_t)(semi - p) : strlen(p);
        if (n > 7 && strncmp(p, "levels=", 7) == 0 && !have_levels) {
            have_levels = 1;
            st = custom_levels(s, p + 7, n - 7, err);
        } else if (n >= 4 && strncmp(p, "top=", 4) == 0 && top >= 0) {
            st = sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                              "top= given twice in custom scale");
        } else if (n > 4 && n < 16 && strncmp(p, "top=", 4) == 0) {
            char num[16];
            memcpy(num, p + 4, n - 4);
            num[n - 4] = '\0';
            if (sv_parse_long(num, 1, SV_SCALE_MAX_LEVELS, &top) != SV_OK)
                st = sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                                  "bad top '%s' in custom scale", num);
        } else {
            st = sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                              "malformed scale '%s' (expected abc3, "
                              "likert5, nps11, yesno or levels=A:100|B:0;top=1)",
                              spec);
        }
        p += n + (semi != NULL);
    }
    if (st == SV_OK && !have_levels)
        st = sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                          "custom scale '%s' has no levels=", spec);
    if (st == SV_OK)
        st = custom_finish(s, top, err);
    if (st != SV_OK) {
        sv_scale_free(s);
        return NULL;
    }
    return s;
}

struct sv_scale *sv_scale_parse(const char *spec, struct sv_error *err)
{
    static const char *const abc3_labels[] = {"满意", "较满意", "不满意"};
    static const char *const likert5_labels[] = {"非常满意", "满意", "一般",
                                                 "不满意", "非常不满意"};
    struct sv_scale *s;

    if (strcmp(spec, "abc3") == 0)
        s = builtin("abc3", SV_SCALE_ORDINAL, 3, 2, abc3_labels, abc3_aliases);
    else if (strcmp(spec, "likert5") == 0)
        s = builtin("likert5", SV_SCALE_ORDINAL, 5, 2, likert5_labels,
                    likert5_aliases);
    else if (strcmp(spec, "nps11") == 0)
        s = nps11();
    else if (strcmp(spec, "yesno") == 0)
        s = yesno();
    else
        return custom(spec, err);
    if (!s)
        sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    return s;
}

void sv_scale_free(struct sv_scale *s)
{
    if (!s)
        return;
    for (int i = 0; i < SV_SCALE_MAX_LEVELS; i++)
        free(s->labels[i]);
    for (size_t i = 0; i < s->naliases; i++)
        free(s->aliases[i].norm);
    free(s->aliases);
    free(s);
}

const char *sv_scale_name(const struct sv_scale *s)
{
    return s->name;
}

enum sv_scale_kind sv_scale_kind(const struct sv_scale *s)
{
    return s->kind;
}

int sv_scale_levels(const struct sv_scale *s)
{
    return s->k;
}

int sv_scale_top(const struct sv_scale *s)
{
    return s->top;
}

int sv_scale_code(const struct sv_scale *s, const char *answer, size_t len)
{
    char norm[LABEL_MAX];

    if (sv_normalize_label(answer, len, norm, sizeof norm) == (size_t)-1)
        return -2;
    if (sv_is_no_answer(norm))
        return -1;
    for (size_t i = 0; i < s->naliases; i++)
        if (strcmp(norm, s->aliases[i].norm) == 0)
            return s->kind == SV_SCALE_ORDINAL ? s->k + 1 - s->aliases[i].code
                                               : s->aliases[i].code;
    return -2;
}

/*
 * Index into labels/scores of public level CODE, or -1 when out of range.
 * Inside, ordinal levels are kept best first (index 0 = best); outside,
 * the best of k levels is level k (PRODUCT.md 3.2).
 */
static int slot(const struct sv_scale *s, int code)
{
    int i = s->kind == SV_SCALE_ORDINAL ? s->k - code : code;

    return i >= 0 && i < s->k ? i : -1;
}

const char *sv_scale_label(const struct sv_scale *s, int code)
{
    int i = slot(s, code);

    return i < 0 ? "" : s->labels[i];
}

double sv_scale_score(const struct sv_scale *s, int code)
{
    int i = slot(s, code);

    return i < 0 ? NAN : s->scores[i];
}

int sv_scale_sat(const struct sv_scale *s, int code)
{
    return s->kind == SV_SCALE_ORDINAL && code >= 1 && code <= s->k &&
           code > s->k - s->top;
}

/* Appends the shortest text of X that reads back as X. */
static int put_score(char *buf, size_t cap, size_t *len, double x)
{
    char d[40];
    double back;
    int n = 0;

    for (int prec = 15; prec <= 17; prec++) {
        n = snprintf(d, sizeof d, "%.*g", prec, x);
        if (sv_parse_double(d, &back) == SV_OK && !(back < x) && !(back > x))
            break;
    }
    if (n <= 0 || (size_t)n + 1 >= cap - *len)
        return -1;
    buf[(*len)++] = ':';
    memcpy(buf + *len, d, (size_t)n);
    *len += (size_t)n;
    return 0;
}

int sv_scale_spec(const struct sv_scale *s, char *buf, size_t cap)
{
    size_t len;

    if (strcmp(s->name, "custom") != 0) {
        len = strlen(s->name);
        if (len >= cap)
            return -1;
        memcpy(buf, s->name, len + 1);
        return (int)len;
    }
    if (cap < 8)
        return -1;
    memcpy(buf, "levels=", 7);
    len = 7;
    for (int i = 0; i < s->k; i++) {
        size_t n = strlen(s->labels[i]);
        double def = (double)(s->k - 1 - i) / (s->k - 1) * 100.0;
        if (n + 2 >= cap - len)
            return -1;
        if (i)
            buf[len++] = '|';
        memcpy(buf + len, s->labels[i], n);
        len += n;
        if ((s->scores[i] < def || s->scores[i] > def) &&
            put_score(buf, cap, &len, s->scores[i]))
            return -1;
    }
    if (s->top != s->k / 2) {
        int n = snprintf(buf + len, cap - len, ";top=%d", s->top);
        if (n < 0 || (size_t)n >= cap - len)
            return -1;
        len += (size_t)n;
    }
    buf[len] = '\0';
    return (int)len;
}
