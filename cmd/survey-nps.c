/*
 * survey-nps — Net Promoter Score with its interval per group x period,
 * change and trend, from normalised streams, cubes or raw files.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: survey-nps [OPTION]... [FILE]...\n"
    "NPS per group x nps item from normalised streams, cubes (survey-score\n"
    "--freq output, merged by addition) or raw files (-c); stdin without\n"
    "FILE or -.\n"
    "\n"
    "      --by KEYS          group keys: site, period, month, quarter, half,\n"
    "                         year or a group label (comma-separated)\n"
    "      --period P         month, quarter (default), half or year\n"
    "      --compare          change since the previous period (z test)\n"
    "      --trend            OLS trend of the NPS over the periods\n"
    "  -c, --codebook FILE    inputs are raw questionnaires for this codebook\n"
    "      --encoding ENC     raw input encoding: auto, utf-8 or gb18030\n"
    "      --delimiter D      raw input delimiter: , ; | or tab\n"
    "      --ignore-unknown   raw columns not in the codebook are dropped\n"
    "      --format F         csv (default), tsv, json or table\n"
    CLI_OUTPUT_HELP
    "  -o, --output FILE      write to FILE (atomically)\n"
    "  -h, --help             show this help and exit\n"
    "      --version          show the version and exit\n"
    "\n"
    "Example:\n"
    "  survey-import -c codebook.csv q3.csv q4.csv | survey-nps --by site "
    "--compare\n"
    "\n"
    "Exit status: 0 success, 1 bad data or I/O error, 2 usage error.\n";

static const struct option long_options[] = {
    CLI_TABLE_LONG_OPTIONS,
    {"codebook", required_argument, NULL, 'c'},
    {"encoding", required_argument, NULL, CLI_OPT_ENCODING},
    {"delimiter", required_argument, NULL, CLI_OPT_DELIMITER},
    {"ignore-unknown", no_argument, NULL, CLI_OPT_UNKNOWN},
    {NULL, 0, NULL, 0}};

struct options {
    struct cli_table_opts t;
    struct cli_inputs in;
};

static int own_option(void *ctx, int c, const char *arg)
{
    struct options *o = ctx;

    return cli_inputs_option(&o->in, c, arg);
}

static int parse_options(int argc, char **argv, struct options *o)
{
    int st;

    o->t.usage = usage;
    st = cli_table_parse(argc, argv, "c:o:qh", long_options, &o->t,
                         own_option, o);
    if (!st && o->t.trend && o->t.compare)
        return cli_usage("--trend prints its own table; use it alone");
    return st;
}

int main(int argc, char **argv)
{
    struct options o = {0};
    struct sv_error err;
    struct sv_cube *cube = NULL;
    struct sv_table *t = NULL;
    int status;

    cli_init(argv[0]);
    if ((status = parse_options(argc, argv, &o))) {
        cli_keys_release(&o.t.keys);
        return status;
    }
    status = cli_read_cube(&o.t.keys, &o.in, argv + optind, argc - optind,
                           &cube);
    if (!status) {
        t = o.t.trend ? sv_nps_trend_table(cube, &err)
                      : sv_nps_table(cube, o.t.compare, &err);
        if (!t)
            status = cli_error(&err);
    }
    if (!status)
        status = cli_write_table(t, o.t.format, o.t.output);
    sv_table_free(t);
    sv_cube_free(cube);
    cli_keys_release(&o.t.keys);
    return cli_finish(status);
}
