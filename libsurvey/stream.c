/*
 * stream.c — writes the normalised stream (README "The normalised stream"):
 * one CSV line per respondent x item, or one per complaint.
 */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "survey.h"

static void put_periods(const struct sv_record *rec, FILE *fp)
{
    char key[16];

    for (enum sv_period p = SV_PERIOD_MONTH; p <= SV_PERIOD_YEAR; p++) {
        if (rec->has_date) {
            sv_period_key(&rec->date, p, key, sizeof key);
            fputs(key, fp);
        }
        putc(',', fp);
    }
}

static void put_keys(const struct sv_record *rec, FILE *fp)
{
    put_periods(rec, fp);
    sv_csv_write_field(fp, rec->site);
    for (size_t j = 0; j < rec->ngroups; j++) {
        putc(',', fp);
        sv_csv_write_field(fp, rec->groups[j]);
    }
    putc(',', fp);
}

void sv_stream_write_header(const struct sv_import *imp, FILE *fp)
{
    int reg = sv_import_is_register(imp);

    fputs(reg ? "received,closed," : "resp,date,", fp);
    fputs("month,quarter,half,year,site", fp);
    for (size_t j = 0; j < sv_import_ngroups(imp); j++) {
        putc(',', fp);
        sv_csv_write_field(fp, sv_import_group_label(imp, j));
    }
    fputs(reg ? ",household,category,urgent,status,hours,text\n"
              : ",item,role,scale,level,label,score,sat,text\n",
          fp);
}

static void put_answer(const struct sv_column *col, int code,
                       const char *text, FILE *fp)
{
    sv_csv_write_field(fp, col->label);
    putc(',', fp);
    fputs(sv_role_name(col->role), fp);
    putc(',', fp);
    if (col->scale) {
        fputs(sv_scale_name(col->scale), fp);
        if (code >= 0)
            fprintf(fp, ",%d,", code);
        else
            fputs(",,", fp);
    } else {
        fputs(",,", fp);
    }
    if (code >= 0) {
        sv_csv_write_field(fp, sv_scale_label(col->scale, code));
        fprintf(fp, ",%.15g,", sv_scale_score(col->scale, code));
        if (sv_scale_kind(col->scale) == SV_SCALE_ORDINAL)
            putc(sv_scale_sat(col->scale, code) ? '1' : '0', fp);
        putc(',', fp);
    } else {
        fputs(",,,", fp);
    }
    if (text)
        sv_csv_write_field(fp, text);
    putc('\n', fp);
}

static void write_register(const struct sv_record *rec, FILE *fp)
{
    char buf[32];

    sv_date_format(&rec->date, buf, sizeof buf);
    fputs(buf, fp);
    putc(',', fp);
    if (rec->has_closed) {
        sv_date_format(&rec->closed, buf, sizeof buf);
        fputs(buf, fp);
    }
    putc(',', fp);
    put_keys(rec, fp);
    sv_csv_write_field(fp, rec->household);
    putc(',', fp);
    sv_csv_write_field(fp, rec->category);
    putc(',', fp);
    if (rec->urgent >= 0)
        putc(rec->urgent ? '1' : '0', fp);
    putc(',', fp);
    sv_csv_write_field(fp, rec->status);
    putc(',', fp);
    if (rec->has_closed)
        fprintf(fp, "%.10g", (double)(sv_date_seconds(&rec->closed) -
                                      sv_date_seconds(&rec->date)) / 3600.0);
    putc(',', fp);
    sv_csv_write_field(fp, rec->text);
    putc('\n', fp);
}

/* A line being built in a fixed buffer; OVER when it did not fit. */
struct line {
    char *p;
    size_t len, cap;
    int over;
};

static void add(struct line *l, const char *s, size_t n)
{
    if (l->over || n > l->cap - l->len) {
        l->over = 1;
        return;
    }
    memcpy(l->p + l->len, s, n);
    l->len += n;
}

static void add_c(struct line *l, char ch)
{
    add(l, &ch, 1);
}

/* As sv_csv_write_field(). */
static void add_field(struct line *l, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        add(l, s, strlen(s));
        return;
    }
    add_c(l, '"');
    for (; *s; s++) {
        if (*s == '"')
            add_c(l, '"');
        add_c(l, *s);
    }
    add_c(l, '"');
}

static void add_u64(struct line *l, uint64_t v)
{
    char d[24];
    size_t i = sizeof d;

    do
        d[--i] = (char)('0' + v % 10);
    while ((v /= 10) > 0);
    add(l, d + i, sizeof d - i);
}

/* As printf("%.15g"): integers below 10^15 directly, others by snprintf. */
static void add_score(struct line *l, double x)
{
    char d[40];
    double t = trunc(x);
    int n;

    if (!(x < t) && !(x > t) && fabs(x) < 1e15 && !(x > -1 && signbit(x))) {
        if (x < 0)
            add_c(l, '-');
        add_u64(l, (uint64_t)fabs(x));
        return;
    }
    n = snprintf(d, sizeof d, "%.15g", x);
    add(l, d, n > 0 ? (size_t)n : 0);
}

/* resp,date,month,quarter,half,year,site,groups, of REC. */
static void add_keys(struct line *l, const struct sv_record *rec,
                     uint64_t resp, const char *date)
{
    char key[16];

    add_u64(l, resp);
    add_c(l, ',');
    add(l, date, strlen(date));
    add_c(l, ',');
    for (enum sv_period p = SV_PERIOD_MONTH; p <= SV_PERIOD_YEAR; p++) {
        if (rec->has_date) {
            sv_period_key(&rec->date, p, key, sizeof key);
            add(l, key, strlen(key));
        }
        add_c(l, ',');
    }
    add_field(l, rec->site);
    for (size_t j = 0; j < rec->ngroups; j++) {
        add_c(l, ',');
        add_field(l, rec->groups[j]);
    }
    add_c(l, ',');
}

/* item,role,scale,level,label,score,sat, as put_answer() writes them. */
static void add_answer(struct line *l, const struct sv_column *col, int code)
{
    add_field(l, col->label);
    add_c(l, ',');
    add(l, sv_role_name(col->role), strlen(sv_role_name(col->role)));
    add_c(l, ',');
    if (col->scale)
        add(l, sv_scale_name(col->scale), strlen(sv_scale_name(col->scale)));
    add_c(l, ',');
    if (col->scale && code >= 0) {
        add_u64(l, (uint64_t)code);
        add_c(l, ',');
        add_field(l, sv_scale_label(col->scale, code));
        add_c(l, ',');
        add_score(l, sv_scale_score(col->scale, code));
        add_c(l, ',');
        if (sv_scale_kind(col->scale) == SV_SCALE_ORDINAL)
            add_c(l, sv_scale_sat(col->scale, code) ? '1' : '0');
        add_c(l, ',');
    } else {
        add(l, ",,,,", 4);
    }
}

/*
 * The lines of one respondent: the key columns are formatted once and
 * every line is written with one fwrite(); a line too long for the
 * buffer is written field by field instead.
 */
static void write_answers(const struct sv_import *imp,
                          const struct sv_record *rec, uint64_t resp,
                          const char *date, FILE *fp)
{
    char buf[2048];
    struct line l = {buf, 0, sizeof buf, 0};
    size_t keys;
    int keys_over;

    add_keys(&l, rec, resp, date);
    keys = l.len;
    keys_over = l.over;
    for (size_t i = 0; i < rec->nitems; i++) {
        const struct sv_column *col = sv_import_item(imp, i);
        if (col->role == SV_ROLE_COMMENT && !rec->texts[i])
            continue;
        l.len = keys;
        l.over = keys_over;
        add_answer(&l, col, rec->codes[i]);
        if (l.over) {
            fprintf(fp, "%" PRIu64 ",%s,", resp, date);
            put_keys(rec, fp);
            put_answer(col, rec->codes[i], rec->texts[i], fp);
            continue;
        }
        fwrite(buf, 1, l.len, fp);
        if (rec->texts[i])
            sv_csv_write_field(fp, rec->texts[i]);
        putc('\n', fp);
    }
}

void sv_stream_write_record(const struct sv_import *imp,
                            const struct sv_record *rec, uint64_t resp,
                            FILE *fp)
{
    char date[32] = "";

    if (sv_import_is_register(imp)) {
        write_register(rec, fp);
        return;
    }
    if (rec->has_date)
        sv_date_format(&rec->date, date, sizeof date);
    write_answers(imp, rec, resp, date, fp);
}
