/*
 * error.c — the one error record used everywhere in libsurvey.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "survey.h"

const char *sv_strerror(enum sv_status code)
{
    switch (code) {
    case SV_OK:
        return "success";
    case SV_ERR_DATA:
        return "bad input data";
    case SV_ERR_IO:
        return "input/output error";
    case SV_ERR_NOMEM:
        return "out of memory";
    case SV_ERR_USAGE:
        return "bad usage";
    case SV_ERR_LIMIT:
        return "limit exceeded";
    }
    return "unknown error";
}

static void copy_bounded(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strlen(src) : 0;

    if (n >= cap)
        n = cap - 1;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

enum sv_status sv_error_set(struct sv_error *err, enum sv_status code,
                            const char *file, unsigned long line,
                            const char *column, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    err->code = code;
    err->hint = SV_HINT_NONE;
    copy_bounded(err->file, sizeof err->file, file);
    err->line = line;
    copy_bounded(err->column, sizeof err->column, column);
    va_start(ap, fmt);
    if (vsnprintf(err->msg, sizeof err->msg, fmt, ap) < 0)
        err->msg[0] = '\0';
    va_end(ap);
    return code;
}

void sv_error_hint(struct sv_error *err, enum sv_hint hint)
{
    if (err)
        err->hint = hint;
}

void sv_error_clear(struct sv_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}
