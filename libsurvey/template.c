/*
 * template.c — a first codebook for a raw file: the role and scale of each
 * column guessed from its header text and a sample of its values, so that
 * a new user starts from `survey-import --template raw.csv > codebook.csv`
 * and only reviews it.  Names win over values for identity columns (date,
 * site, pii, id, comment); values decide the scale.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "survey.h"

#define NSCALES 5
#define NAME_MAX_BYTES 1024

/* What the sample of one column looked like. */
struct column_stats {
    size_t answered;          /* non-empty, not "no answer" */
    size_t fits[NSCALES];     /* answers that are labels of each scale */
    size_t dates, ints_0_10, ints_1_5, long_text;
};

static const char *const scale_names[NSCALES] = {"abc3", "likert5", "nps11",
                                                 "yesno", NULL};

struct name_rule {
    enum sv_role role;
    const char *words; /* |-separated substrings of the (lower-case) name */
};

/* Checked in order; the first rule with a matching word wins. */
static const struct name_rule name_rules[] = {
    {SV_ROLE_IGNORE, "序号|投诉编号|工单号|单号|所用时间|用时|来源|row|no."},
    {SV_ROLE_PII, "姓名|电话|手机|签名|签字|联系方式|身份证|微信|邮箱|"
                  "投诉人|联系人|name|phone|mobile|signature|email|ip"},
    {SV_ROLE_RECEIVED, "受理时间|投诉时间|来访时间|接收时间|received"},
    {SV_ROLE_CLOSED, "办结时间|关闭时间|完成时间|处理完成|closed"},
    {SV_ROLE_DATE, "日期|时间|date|time"},
    {SV_ROLE_SITE, "管理处|服务中心|项目|小区|物业中心|site|office|project"},
    {SV_ROLE_ID, "房号|单元|户号|门牌|编号|unit|room|household"},
    {SV_ROLE_COMMENT, "意见|建议|留言|备注|原因|处理结果|comment|suggest|"
                      "remark|note"},
    {SV_ROLE_CATEGORY, "类别|分类|类型|category"},
    {SV_ROLE_REPEAT_COMPLAINT, "重复投诉|再次投诉|repeat"},
    {SV_ROLE_COMPLAINT, "投诉|complain"},
    {SV_ROLE_NPS, "推荐|recommend|nps"},
    {SV_ROLE_OVERALL, "总体|整体|综合|总的|overall"},
    {SV_ROLE_URGENCY, "紧急|urgent|urgency"},
    {SV_ROLE_STATUS, "状态|status"},
    {SV_ROLE_GROUP, "楼栋|楼号|栋|渠道|身份|building|channel|group"},
};

static int has_word(const char *name, const char *words)
{
    char w[64];

    while (*words) {
        size_t n = strcspn(words, "|");
        if (n < sizeof w) {
            memcpy(w, words, n);
            w[n] = '\0';
            if (strstr(name, w))
                return 1;
        }
        words += n + (words[n] == '|');
    }
    return 0;
}

/* The role suggested by a column's name alone (SV_ROLE_NONE: no hint). */
static enum sv_role role_by_name(const char *name)
{
    char norm[NAME_MAX_BYTES];

    if (sv_normalize_label(name, strlen(name), norm, sizeof norm) ==
        (size_t)-1)
        return SV_ROLE_NONE;
    for (size_t i = 0; i < sizeof name_rules / sizeof name_rules[0]; i++)
        if (has_word(norm, name_rules[i].words))
            return name_rules[i].role;
    return SV_ROLE_NONE;
}

static void count_value(struct column_stats *st, struct sv_scale *const *sc,
                        const char *v, size_t len)
{
    char norm[256];
    struct sv_date d;
    long x;

    if (len >= sizeof norm ||
        sv_normalize_label(v, len, norm, sizeof norm) == (size_t)-1) {
        st->answered++;
        st->long_text++;
        return;
    }
    if (!*norm || sv_is_no_answer(norm))
        return;
    st->answered++;
    for (int i = 0; i < NSCALES && sc[i]; i++)
        st->fits[i] += sv_scale_code(sc[i], v, len) >= 0;
    if (sv_date_parse(norm, &d) == SV_OK)
        st->dates++;
    if (sv_parse_long(norm, 0, 10, &x) == SV_OK) {
        st->ints_0_10++;
        st->ints_1_5 += x >= 1 && x <= 5;
    }
    if (len > 30)
        st->long_text++;
}

/*
 * A hand-typed sheet has the odd stray answer (很满意 on an abc3 form): a
 * scale that at least 80 % of the answers fit is still the scale, and the
 * import then names each stray answer instead of the column being ignored.
 */
static const char *most_fit(const struct column_stats *st)
{
    int best = -1;

    for (int i = 0; i < NSCALES && scale_names[i]; i++)
        if (best < 0 || st->fits[i] > st->fits[best])
            best = i;
    if (best >= 0 && st->answered >= 5 &&
        st->fits[best] * 5 >= st->answered * 4)
        return scale_names[best];
    return NULL;
}

/* The scale every sampled answer fits, or most of them (NULL: none). */
static const char *scale_by_values(const struct column_stats *st)
{
    size_t n = st->answered;

    if (n == 0)
        return NULL;
    if (st->fits[0] == n && st->ints_0_10 == 0)
        return "abc3";
    if (st->ints_0_10 == n)
        return st->ints_1_5 == n ? "likert5" : "nps11";
    if (st->fits[1] == n)
        return "likert5";
    if (st->fits[3] == n)
        return "yesno";
    return most_fit(st);
}

/* Combines the name's hint and the values into a role and a scale. */
static enum sv_role decide(enum sv_role by_name, const struct column_stats *st,
                           const char **scale)
{
    const char *by_values = scale_by_values(st);

    *scale = NULL;
    switch (by_name) {
    case SV_ROLE_NPS:
        *scale = by_values && strcmp(by_values, "yesno") ? "nps11" : NULL;
        return *scale ? SV_ROLE_NPS : SV_ROLE_IGNORE;
    case SV_ROLE_COMPLAINT:
    case SV_ROLE_REPEAT_COMPLAINT:
        if (by_values && strcmp(by_values, "yesno") == 0) {
            *scale = "yesno";
            return by_name;
        }
        return SV_ROLE_IGNORE;
    case SV_ROLE_OVERALL:
        if (by_values && strcmp(by_values, "yesno") &&
            strcmp(by_values, "nps11")) {
            *scale = by_values;
            return SV_ROLE_OVERALL;
        }
        break;
    case SV_ROLE_URGENCY:
        *scale = by_values && strcmp(by_values, "yesno") == 0 ? "yesno" : NULL;
        return by_name;
    case SV_ROLE_DATE:
    case SV_ROLE_RECEIVED:
    case SV_ROLE_CLOSED:
        /* "所用时间 123秒" names a time but holds none */
        return st->dates == st->answered ? by_name : SV_ROLE_IGNORE;
    case SV_ROLE_NONE:
    case SV_ROLE_PII:
    case SV_ROLE_IGNORE:
        if (by_name != SV_ROLE_NONE)
            return by_name;
        break;
    default:
        /* "您对以下项目的满意度" answered 满意/不满意 is an item, not a site */
        if (by_values && (strcmp(by_values, "abc3") == 0 ||
                          strcmp(by_values, "likert5") == 0)) {
            *scale = by_values;
            return SV_ROLE_DIMENSION;
        }
        return by_name;
    }
    if (by_values && strcmp(by_values, "nps11") == 0) {
        *scale = by_values;
        return SV_ROLE_NPS;
    }
    if (by_values && strcmp(by_values, "yesno") == 0)
        return SV_ROLE_GROUP; /* 是否业主本人: a grouping, named by the user */
    if (by_values) {
        *scale = by_values;
        return SV_ROLE_DIMENSION;
    }
    if (st->answered && st->dates == st->answered)
        return SV_ROLE_DATE;
    if (st->long_text)
        return SV_ROLE_COMMENT;
    return SV_ROLE_IGNORE;
}

/* Roles of the other kind of file become their nearest equivalent. */
static enum sv_role fit_kind(enum sv_role r, int is_register)
{
    if (is_register) {
        if (r == SV_ROLE_ID)
            return SV_ROLE_HOUSEHOLD;
        if (r == SV_ROLE_DATE || r == SV_ROLE_DIMENSION ||
            r == SV_ROLE_OVERALL || r == SV_ROLE_NPS ||
            r == SV_ROLE_COMPLAINT || r == SV_ROLE_REPEAT_COMPLAINT)
            return SV_ROLE_IGNORE;
        return r;
    }
    if (r == SV_ROLE_RECEIVED || r == SV_ROLE_CLOSED)
        return SV_ROLE_DATE;
    if (r == SV_ROLE_CATEGORY || r == SV_ROLE_STATUS)
        return SV_ROLE_GROUP;
    if (r == SV_ROLE_URGENCY || r == SV_ROLE_HOUSEHOLD)
        return r == SV_ROLE_HOUSEHOLD ? SV_ROLE_ID : SV_ROLE_IGNORE;
    return r;
}

/*
 * A short label from a question text: the numbering ("3、", "Q3.", "3.")
 * dropped, and "您对小区保洁卫生服务的满意程度" cut to "小区保洁卫生服务".
 */
static void make_label(const char *name, char *out, size_t cap)
{
    const char *p = name, *start, *end;
    size_t n;

    while (*p == ' ')
        p++;
    if (*p == 'Q' || *p == 'q')
        p++;
    start = p;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p > start && (strncmp(p, "、", 3) == 0 || *p == '.' || *p == ' ' ||
                      strncmp(p, "．", 3) == 0))
        start = p + (*p == '.' || *p == ' ' ? 1 : 3);
    else
        start = name;
    while (*start == ' ')
        start++;
    end = start + strlen(start);
    if ((p = strstr(start, "您对")) && strstr(p, "满意")) {
        start = p + strlen("您对");
        end = strstr(start, "的满意") ? strstr(start, "的满意")
                                      : strstr(start, "满意");
    }
    n = (size_t)(end - start);
    if (n == 0) {
        start = name;
        n = strlen(name);
    }
    if (n >= cap)
        n = 0; /* too long to shorten safely: keep the default label */
    memcpy(out, start, n);
    out[n] = '\0';
}

static enum sv_status add_row(struct sv_table *t, const char *name,
                              enum sv_role role, const char *scale)
{
    char label[256];
    enum sv_status st;

    make_label(name, label, sizeof label);
    if (role != SV_ROLE_DIMENSION && role != SV_ROLE_OVERALL &&
        role != SV_ROLE_NPS && role != SV_ROLE_GROUP)
        label[0] = '\0'; /* identity columns keep their own text */
    if (role == SV_ROLE_NPS && strlen(label) > 30)
        snprintf(label, sizeof label, "%s", "推荐意愿");
    if (strcmp(label, name) == 0)
        label[0] = '\0';
    if ((st = sv_table_add_row(t)) != SV_OK ||
        (st = sv_table_set(t, 0, name)) != SV_OK ||
        (st = sv_table_set(t, 1, sv_role_name(role))) != SV_OK ||
        (st = sv_table_set(t, 2, scale ? scale : "")) != SV_OK)
        return st;
    return sv_table_set(t, 3, label);
}

static enum sv_status sample(struct sv_source *src, size_t ncols,
                             size_t max_rows, struct column_stats *stats,
                             struct sv_error *err)
{
    struct sv_scale *sc[NSCALES] = {NULL};
    enum sv_status st = SV_OK;
    size_t nf;

    for (int i = 0; i < NSCALES && scale_names[i]; i++)
        if (!(sc[i] = sv_scale_parse(scale_names[i], err)))
            st = err ? err->code : SV_ERR_NOMEM;
    for (size_t row = 0; st == SV_OK && row < max_rows; row++) {
        if ((st = sv_source_next(src, &nf, err)) != SV_OK || nf == 0)
            break;
        for (size_t i = 0; i < ncols && i < nf; i++)
            count_value(&stats[i], sc, sv_source_field(src, i),
                        sv_source_field_len(src, i));
    }
    for (int i = 0; i < NSCALES; i++)
        sv_scale_free(sc[i]);
    return st;
}

static char **copy_header(struct sv_source *src, size_t n)
{
    char **names = calloc(n, sizeof *names);

    for (size_t i = 0; names && i < n; i++)
        if (!(names[i] = strdup(sv_source_field(src, i)))) {
            while (i--)
                free(names[i]);
            free(names);
            return NULL;
        }
    return names;
}

static struct sv_table *build(char **names, size_t n,
                              const struct column_stats *stats,
                              struct sv_error *err)
{
    static const char *const cols[] = {"column", "role", "scale", "label"};
    struct sv_table *t = sv_table_new();
    enum sv_role *roles = malloc(n * sizeof *roles);
    const char **scales = malloc(n * sizeof *scales);
    int is_register = 0;
    enum sv_status st = t && roles && scales ? SV_OK : SV_ERR_NOMEM;

    for (size_t i = 0; i < 4 && st == SV_OK; i++)
        st = sv_table_add_column(t, cols[i], 0);
    for (size_t i = 0; i < n && st == SV_OK; i++) {
        roles[i] = decide(role_by_name(names[i]), &stats[i], &scales[i]);
        is_register |= roles[i] == SV_ROLE_RECEIVED;
    }
    for (size_t i = 0; i < n && st == SV_OK; i++) {
        enum sv_role r = fit_kind(roles[i], is_register);
        st = add_row(t, names[i], r, r == roles[i] ? scales[i] : NULL);
    }
    free(roles);
    free(scales);
    if (st != SV_OK) {
        sv_table_free(t);
        sv_error_set(err, st, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    return t;
}

struct sv_table *sv_template_guess(struct sv_source *src, size_t max_rows,
                                   struct sv_error *err)
{
    struct column_stats *stats = NULL;
    struct sv_table *t = NULL;
    char **names = NULL;
    size_t n = 0;

    if (sv_source_next(src, &n, err) != SV_OK)
        return NULL;
    if (n == 0) {
        sv_error_set(err, SV_ERR_DATA, sv_source_name(src), 0, NULL,
                     "empty file: no header line");
        return NULL;
    }
    if (!(names = copy_header(src, n)) ||
        !(stats = calloc(n, sizeof *stats))) {
        sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto done;
    }
    if (sample(src, n, max_rows, stats, err) == SV_OK)
        t = build(names, n, stats, err);
done:
    for (size_t i = 0; names && i < n; i++)
        free(names[i]);
    free(names);
    free(stats);
    return t;
}
