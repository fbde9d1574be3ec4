/*
 * test_config.c -- unit tests of etl/config.c: the INI file of SPEC 8
 * (data/config-*.conf): every key, paths relative to the file's folder,
 * the command line winning over the file, and errors that name
 * FILE:LINE and the key.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "cli/config.h"
#include "reports/outputs.h"

static mc_options fresh(const char *config)
{
    mc_options o;
    memset(&o, 0, sizeof o);
    o.command = "run";
    o.config = config;
    o.quarantine_threshold = -1;
    o.max_export_age_days = -1;
    return o;
}

/* Apply a config that must fail; returns the message. */
static mc_error fails(const char *config, int status)
{
    mc_options o = fresh(config);
    mc_error err;
    mc_error_clear(&err);
    int rc = mc_config_apply(&o, &err);
    cr_assert_eq(rc, status, "%s: status %d (%s)", config, rc, err.msg);
    cr_assert_eq(err.status, status);
    return err;
}

Test(config, reads_every_key)
{
    mc_options o = fresh("data/config-good.conf");
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_config_apply(&o, &err), 0, "%s", err.msg);
    cr_expect_str_eq(o.db, "data/store/motcua.db");
    cr_expect_str_eq(o.inbox, "/srv/motcua/inbox", "absolute paths stay");
    cr_expect_str_eq(o.archive, "data/archive");
    cr_expect_str_eq(o.quarantine, "data/quarantine", "inline comment dropped");
    cr_expect_str_eq(o.output, "data/out/reports");
    cr_expect_str_eq(o.units, "data/units.csv");
    cr_expect_str_eq(o.targets, "data/targets;2025.csv", "quotes removed");
    cr_expect_str_eq(o.convention, "cutoff", "any letter case, stored canonical");
    cr_expect_str_eq(o.formats, "xlsx, CSV");
    cr_expect_eq(o.quarantine_threshold, 2.5);
    cr_expect_eq(o.max_export_age_days, 3, "the option's spelling with '-' is accepted");
    cr_expect_str_eq(o.encoding, "cp1258", "any letter case, stored canonical");
}

Test(config, command_line_wins)
{
    mc_options o = fresh("data/config-good.conf");
    o.db = "cli.db";
    o.convention = "calendar";
    o.quarantine_threshold = 0;
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_config_apply(&o, &err), 0, "%s", err.msg);
    cr_expect_str_eq(o.db, "cli.db");
    cr_expect_str_eq(o.convention, "calendar");
    cr_expect_eq(o.quarantine_threshold, 0, "0 on the command line is a value, not unset");
    cr_expect_str_eq(o.archive, "data/archive", "what argv left unset comes from the file");
}

Test(config, empty_units_and_targets_mean_none)
{
    mc_options o = fresh("data/config-empty-units.conf");
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_config_apply(&o, &err), 0, "%s", err.msg);
    cr_expect_str_eq(o.units, "");
    cr_expect_str_eq(o.targets, "");
    cr_expect_null(o.db, "keys not in the file stay unset");
}

Test(config, no_config_file_is_fine)
{
    /* tests/unit has no motcua.conf; the system one is absent in CI. */
    mc_options o = fresh(NULL);
    mc_error err;
    mc_error_clear(&err);
    cr_assert_eq(mc_config_apply(&o, &err), 0, "%s", err.msg);
    cr_expect_null(o.db);
}

Test(config, named_file_must_exist)
{
    mc_error e = fails("data/config-missing.conf", MC_EXIT_USAGE);
    cr_expect(strstr(e.msg, "data/config-missing.conf") != NULL, "%s", e.msg);
}

Test(config, unknown_key_names_file_line_key)
{
    mc_error e = fails("data/config-unknown-key.conf", MC_EXIT_USAGE);
    cr_expect(strncmp(e.msg, "data/config-unknown-key.conf:4: ", 32) == 0, "%s", e.msg);
    cr_expect(strstr(e.msg, "'inboxx'") != NULL, "%s", e.msg);
}

Test(config, bad_values_name_file_line_key)
{
    static const struct {
        const char *file, *prefix, *key;
    } cases[] = {
        {"data/config-bad-convention.conf", "data/config-bad-convention.conf:2: ", "convention"},
        {"data/config-bad-formats.conf", "data/config-bad-formats.conf:2: ", "formats"},
        {"data/config-bad-threshold.conf", "data/config-bad-threshold.conf:3: ",
         "quarantine_threshold"},
        {"data/config-threshold-range.conf", "data/config-threshold-range.conf:2: ",
         "quarantine_threshold"},
        {"data/config-bad-days.conf", "data/config-bad-days.conf:2: ", "max_export_age_days"},
        {"data/config-bad-encoding.conf", "data/config-bad-encoding.conf:2: ",
         "key 'encoding' must be cp1258 or tcvn3, not 'utf-16'"},
        {"data/config-empty-path.conf", "data/config-empty-path.conf:2: ", "'db'"},
        {"data/config-no-section.conf", "data/config-no-section.conf:1: ", "'db'"},
        {"data/config-other-section.conf", "data/config-other-section.conf:4: ", "'inbox'"},
        {"data/config-twice.conf", "data/config-twice.conf:4: ", "'db'"},
        {"data/config-indented.conf", "data/config-indented.conf:3: ", "'db'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mc_error e = fails(cases[i].file, MC_EXIT_USAGE);
        cr_expect(strncmp(e.msg, cases[i].prefix, strlen(cases[i].prefix)) == 0, "%s: %s",
                  cases[i].file, e.msg);
        cr_expect(strstr(e.msg, cases[i].key) != NULL, "%s: %s", cases[i].file, e.msg);
    }
}

Test(config, bad_value_in_file_is_an_error_even_when_argv_overrides)
{
    mc_options o = fresh("data/config-bad-convention.conf");
    o.convention = "calendar";
    mc_error err;
    mc_error_clear(&err);
    cr_expect_eq(mc_config_apply(&o, &err), MC_EXIT_USAGE);
}

Test(config, syntax_error_and_long_line)
{
    mc_error e = fails("data/config-syntax.conf", MC_EXIT_USAGE);
    cr_expect(strncmp(e.msg, "data/config-syntax.conf:3: ", 27) == 0, "%s", e.msg);
    e = fails("data/config-long-line.conf", MC_EXIT_USAGE);
    cr_expect(strncmp(e.msg, "data/config-long-line.conf:2: line too long", 43) == 0, "%s",
              e.msg);
}

Test(config, formats_parse)
{
    unsigned m;
    mc_error why;
    cr_expect_eq(mc_formats_parse("xlsx,html,csv", &m, &why), 0);
    cr_expect_eq(m, MC_OUT_XLSX | MC_OUT_HTML | MC_OUT_CSV);
    cr_expect_eq(mc_formats_parse(" csv ,HTML", &m, &why), 0);
    cr_expect_eq(m, MC_OUT_HTML | MC_OUT_CSV);
    cr_expect_eq(mc_formats_parse("none", &m, &why), 0);
    cr_expect_eq(m, 0u);
    cr_expect_eq(mc_formats_parse("", &m, &why), 0);
    cr_expect_eq(m, 0u);
    cr_expect_eq(mc_formats_parse("xlsx;pdf", &m, &why), MC_EXIT_USAGE);
    cr_expect(strstr(why.msg, "xlsx;pdf") != NULL, "%s", why.msg);
}
