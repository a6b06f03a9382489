/*
 * analysis.h — the 统计分析报告 of one period: a multi-page A4 PDF computed
 * from normalised questionnaire streams (and optionally a complaint
 * register stream) with libsurvey, laid out with the report builder.
 */
#ifndef SV_REPORT_ANALYSIS_H
#define SV_REPORT_ANALYSIS_H

#include "chart.h"
#include "survey.h"

struct sv_analysis_options {
    const char *const *streams; /* questionnaire streams or cubes (files) */
    size_t nstreams;
    const char *complaints;     /* complaint register stream, or NULL */
    const char *households;     /* site,households CSV, or NULL */
    const char *company;        /* cover: company name, or NULL */
    const char *office;         /* cover: office / department, or NULL */
    const char *date;           /* cover date as printed, or NULL */
    const char *site;           /* one office's report (its figures, the
                                   company's as reference), or NULL */
    const char *period;         /* period key (2026Q4, 2026H2, 2026,
                                   2026-07); NULL = the latest quarter */
    double target;              /* weak below this sat_pct (default 90) */
    enum sv_p_adjust p_adjust;  /* items' change p-values (default Holm) */
    enum sv_chart_lang lang;
    const char *font;           /* font family list, or NULL */
};

/* Fills O with the defaults (target 90, zh, nothing else). */
void sv_analysis_options_init(struct sv_analysis_options *o);

/*
 * Computes the report for one period and writes it to PATH (a PDF,
 * atomically).  PAGES_PREFIX, when not NULL, also renders every page to
 * PAGES_PREFIX-N.png (for review).  Returns SV_OK, or an error in ERR
 * (data errors name the file and line).  The number of pages goes to
 * *NPAGES when not NULL.
 */
enum sv_status sv_analysis_report(const struct sv_analysis_options *o,
                                  const char *path, const char *pages_prefix,
                                  int *npages, struct sv_error *err);

#endif /* SV_REPORT_ANALYSIS_H */
