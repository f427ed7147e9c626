/* Placeholder until the component lands; replaced, never shipped. */
#include "cli.h"
int sync_cmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_fail("sync: not built yet");
	return CLI_FAIL;
}
