/* Placeholder until the component lands; replaced, never shipped. */
#include "cli.h"
int kiosk_cmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_fail("kiosk: not built yet");
	return CLI_FAIL;
}
