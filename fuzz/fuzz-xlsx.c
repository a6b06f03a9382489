/*
 * fuzz-xlsx.c — libFuzzer harness for the workbook reader.  The first
 * input byte chooses which part of a small valid workbook the rest of the
 * input replaces (the worksheet, the shared strings, the styles, the
 * workbook or its relationships), or, when the input starts with "PK",
 * the whole input is the file.  The package is written with libzip and
 * read through sv_source_open() like any raw file: every row, then the
 * template guess.
 */
#include "fuzz-common.h"

#include <zip.h>

static const char *const part_names[] = {
    "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
    "xl/workbook.xml", "xl/_rels/workbook.xml.rels"};

static const char *const part_texts[] = {
    "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
    "<c r=\"B1\" t=\"inlineStr\"><is><t>日期</t></is></c></row><row r=\"2\">"
    "<c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\" s=\"1\"><v>46115.5</v></c>"
    "</row></sheetData></worksheet>",
    "<sst><si><t>保洁</t></si><si><r><t>满</t></r><r><t>意</t></r></si></sst>",
    "<styleSheet><numFmts><numFmt numFmtId=\"164\" formatCode=\"yyyy/m/d\"/>"
    "</numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/></cellXfs>"
    "</styleSheet>",
    "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/"
    "2006/relationships\"><workbookPr date1904=\"0\"/><sheets><sheet "
    "name=\"S\" r:id=\"rId1\"/></sheets></workbook>",
    "<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/"
    "sheet1.xml\"/></Relationships>"};

static char dir[64];

static int write_package(const char *path, const unsigned char *data,
                         size_t size)
{
    size_t which = size ? data[0] % 5 : 0;
    int zerr;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);

    if (!z)
        return -1;
    for (size_t i = 0; i < 5; i++) {
        const void *p = i == which && size ? (const void *)(data + 1)
                                           : (const void *)part_texts[i];
        size_t n = i == which && size ? size - 1 : strlen(part_texts[i]);
        zip_source_t *src = zip_source_buffer(z, p, n, 0);
        if (!src || zip_file_add(z, part_names[i], src, ZIP_FL_OVERWRITE) < 0) {
            zip_source_free(src);
            zip_discard(z);
            return -1;
        }
    }
    return zip_close(z) == 0 ? 0 : (zip_discard(z), -1);
}

static void read_all(const char *path)
{
    struct sv_error err;
    struct sv_source *csv = sv_source_open(path, "f.xlsx", NULL, &err);
    struct sv_table *t;
    size_t nf;

    if (csv) {
        while (sv_source_next(csv, &nf, &err) == SV_OK && nf > 0)
            for (size_t i = 0; i < nf; i++)
                (void)sv_source_field_len(csv, i);
        sv_source_free(csv);
    }
    if ((csv = sv_source_open(path, "f.xlsx", NULL, &err))) {
        t = sv_template_guess(csv, 100, &err);
        sv_table_free(t);
        sv_source_free(csv);
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    char path[128];
    FILE *fp;

    if (!dir[0]) {
        snprintf(dir, sizeof dir, "%s", "/tmp/fuzz-xlsx.XXXXXX");
        if (!mkdtemp(dir))
            return 0;
    }
    snprintf(path, sizeof path, "%s/f.xlsx", dir);
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
        if (!(fp = fopen(path, "wb")))
            return 0;
        fwrite(data, 1, size, fp);
        fclose(fp);
    } else if (write_package(path, data, size) != 0) {
        return 0;
    }
    read_all(path);
    unlink(path);
    return 0;
}
