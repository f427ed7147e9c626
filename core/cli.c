/*
 * cli: flag parsing.  See cli.h.
 */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void cli_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("chorus: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static struct cli_opt *cli_find(struct cli_opt *opts, const char *name,
				size_t n)
{
	for (; opts->name != NULL; opts++)
		if (strlen(opts->name) == n &&
		    strncmp(opts->name, name, n) == 0)
			return opts;
	return NULL;
}

int cli_parse(const char *cmd, const char *usage, struct cli_opt *opts,
	      int argc, char **argv)
{
	struct cli_opt *o;
	const char *arg, *eq;
	int i;

	for (i = 0; i < argc; i++) {
		arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(usage, stdout);
			return 1;
		}
		if (strncmp(arg, "--", 2) != 0) {
			cli_fail("%s: unexpected argument '%s' (see --help)",
				 cmd, arg);
			return -1;
		}
		arg += 2;
		eq = strchr(arg, '=');
		o = cli_find(opts, arg, eq ? (size_t)(eq - arg) : strlen(arg));
		if (o == NULL) {
			cli_fail("%s: unknown flag '%s' (see --help)", cmd,
				 argv[i]);
			return -1;
		}
		if (o->is_switch) {
			if (eq != NULL) {
				cli_fail("%s: --%s takes no value", cmd,
					 o->name);
				return -1;
			}
			*o->value = "1";
		} else if (eq != NULL) {
			*o->value = eq + 1;
		} else if (i + 1 < argc) {
			*o->value = argv[++i];
		} else {
			cli_fail("%s: --%s needs a value", cmd, o->name);
			return -1;
		}
	}
	for (o = opts; o->name != NULL; o++)
		if (o->required && (*o->value == NULL || **o->value == '\0')) {
			cli_fail("%s: --%s is required (see --help)", cmd,
				 o->name);
			return -1;
		}
	return 0;
}
