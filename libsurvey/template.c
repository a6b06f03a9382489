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

#include "internal.h"

#define NSCALES 5
#define NAME_MAX_BYTES 1024

#define DISTINCT_MAX 16 /* distinct answers remembered per column */
#define DISTINCT_LEN 48  /* longest answer remembered */

/* One distinct answer of a column and how often it came. */
struct seen {
    char text[DISTINCT_LEN];
    size_t count;
};

/* What the sample of one column looked like. */
struct column_stats {
    size_t answered;          /* non-empty, not "no answer" */
    size_t fits[NSCALES];     /* answers that are labels of each scale */
    size_t dates, ints_0_10, ints_1_5, long_text;
    size_t joined;            /* answers holding a multi-select joiner */
    size_t joined_short;      /* ... whose options are all short */
    struct seen seen[DISTINCT_MAX];
    size_t nseen, unseen;     /* distinct answers kept; answers not kept */
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

/*
 * The role suggested by a column's name alone (SV_ROLE_NONE: no hint),
 * skipping the rules of the roles in SKIP (a bit per role).
 */
static enum sv_role role_by_name(const char *name, unsigned skip)
{
    char norm[NAME_MAX_BYTES];

    if (sv_normalize_label(name, strlen(name), norm, sizeof norm) ==
        (size_t)-1)
        return SV_ROLE_NONE;
    for (size_t i = 0; i < sizeof name_rules / sizeof name_rules[0]; i++)
        if (!(skip & (1u << name_rules[i].role)) &&
            has_word(norm, name_rules[i].words))
            return name_rules[i].role;
    return SV_ROLE_NONE;
}

static int name_has(const char *name, const char *words)
{
    char norm[NAME_MAX_BYTES];

    return sv_normalize_label(name, strlen(name), norm, sizeof norm) !=
               (size_t)-1 &&
           has_word(norm, words);
}

/*
 * True when NAME says it is the site and nothing else: the whole name is
 * a site word (site, 管理处, 小区), or it asks where the respondent lives
 * (您所在的管理处).  Its values do not make it a rating then: offices
 * called A, B and C are not the grades of abc3.
 */
static int site_by_name(const char *name)
{
    static const char *const words[] = {"管理处", "服务中心", "项目", "小区",
                                        "物业中心", "site", "office",
                                        "project"};
    char norm[NAME_MAX_BYTES];

    if (sv_normalize_label(name, strlen(name), norm, sizeof norm) ==
        (size_t)-1)
        return 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(norm, words[i]) == 0)
            return 1;
    return strstr(norm, "所在") && role_by_name(name, 0) == SV_ROLE_SITE;
}

/* 问卷星 joins the options of a multi-select answer with ┋, others | ；; 、 */
static int is_joined(const char *v)
{
    for (const char *p = v; *p; p++) {
        size_t k = sv_joiner_at(p);
        if (k && p > v && p[k])
            return 1;
    }
    return 0;
}

/* Options are a few words (保安, 停车管理); a sentence is a comment. */
enum { OPTION_MAX_BYTES = 24 };

/* True when every piece of V between joiners is short. */
static int short_options(const char *v)
{
    size_t run = 0;

    while (*v) {
        size_t k = sv_joiner_at(v);
        run = k ? 0 : run + 1;
        if (run > OPTION_MAX_BYTES)
            return 0;
        v += k ? k : 1;
    }
    return 1;
}

static void remember(struct column_stats *st, const char *v, size_t len)
{
    for (size_t i = 0; i < st->nseen; i++)
        if (strlen(st->seen[i].text) == len &&
            memcmp(st->seen[i].text, v, len) == 0) {
            st->seen[i].count++;
            return;
        }
    if (len >= DISTINCT_LEN || st->nseen == DISTINCT_MAX) {
        st->unseen++;
        return;
    }
    memcpy(st->seen[st->nseen].text, v, len);
    st->seen[st->nseen].text[len] = '\0';
    st->seen[st->nseen++].count = 1;
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
        st->unseen++;
        return;
    }
    if (!*norm || sv_is_no_answer(norm))
        return;
    st->answered++;
    remember(st, v, len);
    for (int i = 0; i < NSCALES && sc[i]; i++)
        st->fits[i] += sv_scale_code(sc[i], v, len) >= 0;
    if (sv_date_parse(norm, &d) == SV_OK)
        st->dates++;
    if (sv_parse_long(norm, 0, 10, &x) == SV_OK) {
        st->ints_0_10++;
        st->ints_1_5 += x >= 1 && x <= 5;
    }
    if (is_joined(norm)) {
        st->joined++;
        st->joined_short += short_options(norm);
    }
    if (len > 30)
        st->long_text++;
}

/*
 * A hand-typed sheet has the odd stray answer (很满意 on an abc3 form): the
 * scale that most answers fit, if that is a majority, is the scale, and
 * the strays are reported rather than the column being ignored.  On a tie
 * abc3 wins (满意 and 不满意 are labels of both ordinal scales).
 */
static int most_fit(const struct column_stats *st)
{
    int best = -1;

    for (int i = 0; i < NSCALES && scale_names[i]; i++)
        if (best < 0 || st->fits[i] > st->fits[best])
            best = i;
    if (best >= 0 && st->fits[best] * 2 > st->answered)
        return best;
    return -1;
}

/* Index of the scale the answers are on (-1: none). */
static int scale_by_values(const struct column_stats *st)
{
    size_t n = st->answered;

    if (n == 0)
        return -1;
    if (st->fits[0] == n && st->ints_0_10 == 0)
        return 0;
    if (st->ints_0_10 == n)
        return st->ints_1_5 == n ? 1 : 2;
    if (st->fits[1] == n)
        return 1;
    if (st->fits[3] == n)
        return 3;
    if (st->joined * 5 >= n)
        return -1; /* options of a multi-select question */
    return most_fit(st);
}

/* Whether answers look like free text rather than a short list of keys. */
static int free_text(const struct column_stats *st)
{
    return st->long_text || st->unseen || st->joined;
}

/* A column answered on a satisfaction scale is an item, whatever its name. */
static enum sv_role item_role(const char *name, const char *scale)
{
    if (strcmp(scale, "nps11") == 0)
        return SV_ROLE_NPS;
    if (strcmp(scale, "yesno") == 0) {
        if (name_has(name, "重复投诉|再次投诉|repeat"))
            return SV_ROLE_REPEAT_COMPLAINT;
        if (name_has(name, "投诉|complain"))
            return SV_ROLE_COMPLAINT;
        return SV_ROLE_GROUP; /* 是否业主本人: a grouping, named by the user */
    }
    if (name_has(name, "总体|整体|综合|总的|overall"))
        return SV_ROLE_OVERALL;
    return SV_ROLE_DIMENSION;
}

/* The role of a column that holds no scale answers. */
static enum sv_role plain_role(const char *name,
                               const struct column_stats *st)
{
    unsigned skip = 0;
    enum sv_role r;

    for (;;) {
        r = role_by_name(name, skip);
        switch (r) {
        case SV_ROLE_DATE:
        case SV_ROLE_RECEIVED:
        case SV_ROLE_CLOSED:
            /* "所用时间 123秒" names a time but holds none */
            if (st->answered && st->dates == st->answered)
                return r;
            return SV_ROLE_IGNORE;
        case SV_ROLE_SITE:
        case SV_ROLE_GROUP:
        case SV_ROLE_CATEGORY:
        case SV_ROLE_STATUS:
            /* "您对小区物业的意见和建议" names a 小区 but holds opinions */
            if (!free_text(st))
                return r;
            skip |= 1u << r;
            continue;
        case SV_ROLE_NPS:
        case SV_ROLE_COMPLAINT:
        case SV_ROLE_REPEAT_COMPLAINT:
        case SV_ROLE_OVERALL:
            /* an item whose answers are on no scale: left to the user */
            return st->long_text ? SV_ROLE_COMMENT : SV_ROLE_IGNORE;
        case SV_ROLE_URGENCY:
            return r;
        case SV_ROLE_NONE:
            break;
        default:
            return r;
        }
        break;
    }
    if (st->answered && st->dates == st->answered)
        return SV_ROLE_DATE;
    if (st->long_text)
        return SV_ROLE_COMMENT;
    return SV_ROLE_IGNORE;
}

/* Combines the name's hint and the values into a role and a scale. */
static enum sv_role decide(const char *name, const struct column_stats *st,
                           const char **scale)
{
    enum sv_role by_name = role_by_name(name, 0);
    int sc = scale_by_values(st);

    *scale = NULL;
    if (by_name == SV_ROLE_PII || by_name == SV_ROLE_IGNORE)
        return by_name;
    if (site_by_name(name))
        return SV_ROLE_SITE;
    /* a fifth of the answers hold several short options: multi-select */
    if (sc < 0 && st->joined && st->joined * 5 >= st->answered &&
        st->joined_short == st->joined)
        return SV_ROLE_MULTI;
    if (by_name == SV_ROLE_URGENCY) {
        *scale = sc == 3 ? "yesno" : NULL;
        return by_name;
    }
    /* digits under a named identity column: 编号 1, 楼号 3, 单元 2 */
    if (sc >= 0 && st->ints_0_10 == st->answered &&
        !name_has(name, "满意|评价|推荐|satisf|recommend|nps") &&
        by_name != SV_ROLE_NONE && by_name != SV_ROLE_OVERALL)
        sc = -1;
    if (sc == 3 && !name_has(name, "投诉|complain") &&
        by_name != SV_ROLE_NONE && by_name != SV_ROLE_GROUP)
        sc = -1; /* 有/无 under a 管理处 name is not a grouping */
    if (sc >= 0) {
        enum sv_role r = item_role(name, scale_names[sc]);
        if (r != SV_ROLE_GROUP)
            *scale = scale_names[sc];
        return r;
    }
    return plain_role(name, st);
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
 * How well column NAME fits a role that a codebook holds once: the
 * submission time beats the end time beats a date beats the start time
 * (问卷星 提交答卷时间, 腾讯问卷 开始/结束答题时间); a 房号 beats an 编号;
 * a site column has the fewest distinct values.
 */
static long once_rank(enum sv_role r, const char *name,
                      const struct column_stats *st)
{
    if (r == SV_ROLE_DATE || r == SV_ROLE_RECEIVED)
        return name_has(name, "提交|submit")       ? 4
               : name_has(name, "结束|完成|end")   ? 3
               : name_has(name, "开始|start|begin") ? 0
               : name_has(name, "日期|date")        ? 2
                                                    : 1;
    if (r == SV_ROLE_ID || r == SV_ROLE_HOUSEHOLD)
        return name_has(name, "房号|户号|门牌|单元|room|unit|household");
    if (r == SV_ROLE_SITE)
        return -(long)(st->nseen + st->unseen);
    return 0;
}

static int is_once_role(enum sv_role r)
{
    return r == SV_ROLE_DATE || r == SV_ROLE_SITE || r == SV_ROLE_ID ||
           r == SV_ROLE_RECEIVED || r == SV_ROLE_CLOSED ||
           r == SV_ROLE_HOUSEHOLD || r == SV_ROLE_CATEGORY ||
           r == SV_ROLE_URGENCY || r == SV_ROLE_STATUS;
}

/* Keeps one column of each one-of-a-kind role; the others are ignored. */
static void keep_one(enum sv_role *roles, char *const *names, size_t n,
                     const struct column_stats *stats)
{
    for (size_t i = 0; i < n; i++) {
        size_t best = i;
        if (!is_once_role(roles[i]))
            continue;
        for (size_t j = i + 1; j < n; j++)
            if (roles[j] == roles[i] &&
                once_rank(roles[j], names[j], &stats[j]) >
                    once_rank(roles[best], names[best], &stats[best]))
                best = j;
        for (size_t j = i; j < n; j++)
            if (j != best && roles[j] == roles[best])
                roles[j] = SV_ROLE_IGNORE;
    }
}

/* Drops the prefix P from *S when it is there. */
static void cut_prefix(const char **s, const char *p)
{
    if (strncmp(*s, p, strlen(p)) == 0)
        *s += strlen(p);
}

/* Moves *END back over the suffix P when the text ends with it. */
static void cut_suffix(const char *start, const char **end, const char *p)
{
    size_t n = strlen(p);

    if ((size_t)(*end - start) > n && memcmp(*end - n, p, n) == 0)
        *end -= n;
}

/* The numbering of a question: "3、", "Q3.", "3.", "3．", "(3)". */
static const char *skip_numbering(const char *name)
{
    const char *p = name, *digits;

    while (*p == ' ')
        p++;
    if (*p == 'Q' || *p == 'q')
        p++;
    digits = p;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p == digits)
        return name;
    if (strncmp(p, "、", 3) == 0 || strncmp(p, "．", 3) == 0 ||
        strncmp(p, "：", 3) == 0)
        p += 3;
    else if (*p == '.' || *p == ' ' || *p == ':')
        p++;
    else
        return name;
    while (*p == ' ')
        p++;
    return p;
}

/*
 * A short label from a question text: "2、您对小区保安服务是否满意？" is
 * "小区保安服务", "3、您对小区保洁卫生服务的满意程度" is "小区保洁卫生服务".
 */
static void make_label(const char *name, char *out, size_t cap)
{
    static const char *const prefixes[] = {"请问", "您对于", "您对", "对"};
    static const char *const suffixes[] = {
        "？", "?", "。", "(单选)", "（单选）", "[单选题]", "的满意程度",
        "的满意度", "是否满意", "的评价", "的"};
    const char *start = skip_numbering(name), *end;
    size_t n;

    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        cut_prefix(&start, prefixes[i]);
    end = start + strlen(start);
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        cut_suffix(start, &end, suffixes[i]);
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

static int labelled_role(enum sv_role r)
{
    return r == SV_ROLE_DIMENSION || r == SV_ROLE_OVERALL ||
           r == SV_ROLE_NPS || r == SV_ROLE_GROUP ||
           r == SV_ROLE_COMPLAINT || r == SV_ROLE_REPEAT_COMPLAINT ||
           r == SV_ROLE_COMMENT || r == SV_ROLE_MULTI;
}

/* The label column of a row: empty when it is the column text. */
static void row_label(const char *name, enum sv_role role, char *label,
                      size_t cap)
{
    make_label(name, label, cap);
    if (!labelled_role(role))
        label[0] = '\0'; /* identity columns keep their own text */
    if (role == SV_ROLE_NPS && strlen(label) > 30)
        snprintf(label, cap, "%s", "推荐意愿");
    if (strcmp(label, name) == 0)
        label[0] = '\0';
}

static enum sv_status add_row(struct sv_table *t, const char *name,
                              enum sv_role role, const char *scale,
                              const char *label)
{
    enum sv_status st;

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

/* What the template sampled, and where its warnings go. */
struct guess {
    char **names;
    size_t n;
    struct column_stats *stats;
    const char *file;
    sv_error_cb on_warning;
    void *ctx;
};

/* Reports the sampled answers of column I that are not on SCALE. */
static void report_strays(const struct guess *g, size_t i,
                          const struct sv_scale *scale)
{
    const struct column_stats *st = &g->stats[i];
    char list[SV_ERR_MSG_MAX / 2] = "";
    size_t used = 0, strays = st->unseen;
    struct sv_error e;

    for (size_t k = 0; k < st->nseen; k++) {
        const struct seen *v = &st->seen[k];
        int w;
        if (sv_scale_code(scale, v->text, strlen(v->text)) >= 0)
            continue;
        strays += v->count;
        w = used < sizeof list
                ? snprintf(list + used, sizeof list - used, "%s'%s' (%zu)",
                           used ? ", " : "", v->text, v->count)
                : 0;
        used += w > 0 ? (size_t)w : 0;
    }
    if (!strays || !g->on_warning)
        return;
    sv_error_set(&e, SV_OK, g->file, 0, g->names[i],
                 "%zu of %zu sampled answers are not on scale %s: %s; the "
                 "import will name each such row", strays, st->answered,
                 sv_scale_name(scale), used ? list : "long answers");
    g->on_warning(g->ctx, &e);
}

#define LABEL_CAP 256

/* A group label that the codebook would refuse becomes the column text. */
static void unique_group_labels(char (*labels)[LABEL_CAP],
                                const enum sv_role *roles, char *const *names,
                                size_t n)
{
    static const char *const reserved[] = {
        "resp", "date", "month", "quarter", "half", "year", "site", "item",
        "role", "scale", "level", "label", "score", "sat", "text", "period",
        "count", "pct", "id", "n", "missing"};

    for (size_t i = 0; i < n; i++) {
        int clash = 0;
        if (roles[i] != SV_ROLE_GROUP || !labels[i][0])
            continue;
        for (size_t k = 0; k < sizeof reserved / sizeof reserved[0]; k++)
            clash |= strcmp(labels[i], reserved[k]) == 0;
        for (size_t j = 0; j < n; j++)
            clash |= j != i && roles[j] == SV_ROLE_GROUP &&
                     strcmp(labels[i], labels[j][0] ? labels[j] : names[j]) ==
                         0;
        if (clash)
            labels[i][0] = '\0';
    }
}

static void decide_all(const struct guess *g, enum sv_role *roles,
                       const char **scales)
{
    int is_register = 0;

    for (size_t i = 0; i < g->n; i++) {
        roles[i] = decide(g->names[i], &g->stats[i], &scales[i]);
        is_register |= roles[i] == SV_ROLE_RECEIVED;
    }
    for (size_t i = 0; i < g->n; i++) {
        enum sv_role r = fit_kind(roles[i], is_register);
        if (r != roles[i])
            scales[i] = NULL;
        roles[i] = r;
    }
    keep_one(roles, g->names, g->n, g->stats);
}

static enum sv_status fill(struct sv_table *t, const struct guess *g,
                           enum sv_role *roles, const char **scales)
{
    char(*labels)[LABEL_CAP] = calloc(g->n, sizeof *labels);
    enum sv_status st = labels ? SV_OK : SV_ERR_NOMEM;
    struct sv_scale *sc;

    decide_all(g, roles, scales);
    for (size_t i = 0; labels && i < g->n; i++)
        row_label(g->names[i], roles[i], labels[i], LABEL_CAP);
    if (labels)
        unique_group_labels(labels, roles, g->names, g->n);
    for (size_t i = 0; i < g->n && st == SV_OK; i++) {
        st = add_row(t, g->names[i], roles[i], scales[i], labels[i]);
        if (st == SV_OK && scales[i] &&
            (sc = sv_scale_parse(scales[i], NULL))) {
            report_strays(g, i, sc);
            sv_scale_free(sc);
        }
    }
    free(labels);
    return st;
}

static struct sv_table *build(const struct guess *g, struct sv_error *err)
{
    static const char *const cols[] = {"column", "role", "scale", "label"};
    struct sv_table *t = sv_table_new();
    enum sv_role *roles = malloc(g->n * sizeof *roles);
    const char **scales = malloc(g->n * sizeof *scales);
    enum sv_status st = t && roles && scales ? SV_OK : SV_ERR_NOMEM;

    for (size_t i = 0; i < 4 && st == SV_OK; i++)
        st = sv_table_add_column(t, cols[i], 0);
    if (st == SV_OK)
        st = fill(t, g, roles, scales);
    free(roles);
    free(scales);
    if (st != SV_OK) {
        sv_table_free(t);
        sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    return t;
}

struct sv_table *sv_template_guess_with(struct sv_source *src, size_t max_rows,
                                        sv_error_cb on_warning, void *ctx,
                                        struct sv_error *err)
{
    struct guess g = {.file = sv_source_name(src), .on_warning = on_warning,
                      .ctx = ctx};
    struct sv_table *t = NULL;

    if (sv_source_next(src, &g.n, err) != SV_OK)
        return NULL;
    if (g.n == 0) {
        sv_error_set(err, SV_ERR_DATA, sv_source_name(src), 0, NULL,
                     "empty file: no header line");
        return NULL;
    }
    if (!(g.names = copy_header(src, g.n)) ||
        !(g.stats = calloc(g.n, sizeof *g.stats))) {
        sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        goto done;
    }
    if (sample(src, g.n, max_rows, g.stats, err) == SV_OK)
        t = build(&g, err);
done:
    for (size_t i = 0; g.names && i < g.n; i++)
        free(g.names[i]);
    free(g.names);
    free(g.stats);
    return t;
}

struct sv_table *sv_template_guess(struct sv_source *src, size_t max_rows,
                                   struct sv_error *err)
{
    return sv_template_guess_with(src, max_rows, NULL, NULL, err);
}
