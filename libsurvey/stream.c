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
    for (size_t i = 0; i < rec->nitems; i++) {
        const struct sv_column *col = sv_import_item(imp, i);
        if (col->role == SV_ROLE_COMMENT && !rec->texts[i])
            continue;
        fprintf(fp, "%" PRIu64 ",%s,", resp, date);
        put_keys(rec, fp);
        put_answer(col, rec->codes[i], rec->texts[i], fp);
    }
}
