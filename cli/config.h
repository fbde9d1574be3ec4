/*
 * config.h -- the INI config file of SPEC 8 (section [motcua]).
 *
 * Command-line options win: the file fills only what argv left unset.
 * Relative paths in the file are relative to the file's folder.
 */
#ifndef MC_CONFIG_H
#define MC_CONFIG_H

#include "base/error.h"
#include "cli/options.h"

/* Find the config (--config, else ./motcua.conf, else /etc/motcua/motcua.conf;
 * none is fine unless --config named one) and fill o's unset fields from it.
 * Unknown keys and bad values are errors naming FILE:LINE and the key
 * (MC_EXIT_USAGE). */
int mc_config_apply(mc_options *o, mc_error *err);

#endif
