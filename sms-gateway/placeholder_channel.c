/* Placeholder until the component lands; replaced, never shipped. */
#include "cli.h"
int channel_cmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_fail("channel: not built yet");
	return CLI_FAIL;
}
