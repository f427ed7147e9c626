/* Placeholder until the component lands; replaced, never shipped. */
#include "cli.h"
int init_cmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_fail("init: not built yet");
	return CLI_FAIL;
}
