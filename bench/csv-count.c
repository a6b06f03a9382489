/*
 * csv-count.c — the benchmark's ceiling: parse a CSV file with libcsv in
 * 1 MiB blocks, with callbacks that only count fields and records.  Same
 * parser options as libsurvey's reader (strict quoting).
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

struct counts {
    unsigned long long fields, records;
};

static void on_field(void *s, size_t len, void *data)
{
    (void)s;
    (void)len;
    ((struct counts *)data)->fields++;
}

static void on_record(int term, void *data)
{
    (void)term;
    ((struct counts *)data)->records++;
}

int main(int argc, char **argv)
{
    static char buf[1 << 20];
    struct csv_parser p;
    struct counts n = {0, 0};
    FILE *fp = argc > 1 ? fopen(argv[1], "rb") : stdin;
    size_t got;

    if (!fp || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
        fprintf(stderr, "csv-count: cannot open input\n");
        return 1;
    }
    while ((got = fread(buf, 1, sizeof buf, fp)) > 0)
        if (csv_parse(&p, buf, got, on_field, on_record, &n) != got) {
            fprintf(stderr, "csv-count: %s\n", csv_strerror(csv_error(&p)));
            return 1;
        }
    if (csv_fini(&p, on_field, on_record, &n) != 0) {
        fprintf(stderr, "csv-count: %s\n", csv_strerror(csv_error(&p)));
        return 1;
    }
    csv_free(&p);
    printf("%llu records, %llu fields\n", n.records, n.fields);
    return 0;
}
