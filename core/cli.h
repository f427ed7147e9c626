/*
 * cli: the command line of every chorus subcommand.
 *
 * Flags are "--name VALUE", "--name=VALUE" or, for switches, "--name".
 * Every command answers --help with its usage on standard output and
 * exit status 0.  A bad flag, a missing required flag or a stray argument
 * prints one line on standard error and cli_parse() returns -1, after
 * which the command exits with status 2.
 */
#ifndef CHORUS_CLI_H
#define CHORUS_CLI_H

struct cli_opt {
	const char *name;   /* without the dashes */
	const char **value; /* where the value goes; for switches "1" */
	int is_switch;
	int required;
};

/* Returns 0 to go on, 1 when --help was answered, -1 on a usage error. */
int cli_parse(const char *cmd, const char *usage, struct cli_opt *opts,
	      int argc, char **argv);

/* Prints "chorus: " and the formatted line on standard error. */
void cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Exit statuses. */
#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2

/* The commands, each in its component's folder. */
int web_cmd(int argc, char **argv);
int site_cmd(int argc, char **argv);
int init_cmd(int argc, char **argv);
int kiosk_cmd(int argc, char **argv);
int channel_cmd(int argc, char **argv);
int sms_cmd(int argc, char **argv);
int sync_cmd(int argc, char **argv);
int items_cmd(int argc, char **argv);
int user_cmd(int argc, char **argv);

#endif
