/* Placeholder until the component lands; replaced, never shipped. */
#include "cli.h"
int web_cmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_fail("web: not built yet");
	return CLI_FAIL;
}
