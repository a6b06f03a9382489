/*
 * survey-import's rejects file: every row not imported, with its file,
 * line and reason, under one header that is the union (by name) of the
 * input files' headers, so that rows of files with different headers are
 * never written under the wrong headings.  Rows are spooled until the end,
 * when the union is known.
 */
#ifndef SV_REJECTS_H
#define SV_REJECTS_H

#include <stdio.h>

#include "survey.h"

struct rejects;

/*
 * A new, empty rejects set; REDACT blanks pii fields and masks personal
 * numbers in the others; XLSX: the CSV becomes a workbook, so cells are
 * not guarded against formulas with a "'" (the workbook holds text);
 * ZH: the header reads 文件,行,原因.  NULL (message printed) on failure.
 */
struct rejects *rejects_new(int redact, int xlsx, int zh);

/*
 * Takes the header of SRC (its current record, just read by
 * sv_import_header with IMP): later rows of SRC are placed under these
 * names.  Returns 0, or 1 (message printed).
 */
int rejects_header(struct rejects *r, const struct sv_source *src,
                   const struct sv_import *imp);

/*
 * Adds SRC's current record (its fields may be none) with the reason ERR.
 * Returns 0, or 1 (message printed).
 */
int rejects_row(struct rejects *r, const struct sv_source *src,
                const struct sv_import *imp, const struct sv_error *err);

/*
 * Writes the header `file,line,reason,NAMES...` and every row to FP.
 * Returns 0, or 1 (message printed).
 */
int rejects_write(struct rejects *r, FILE *fp);

void rejects_free(struct rejects *r);

#endif
