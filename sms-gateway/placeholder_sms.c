/* Placeholder until the component lands; replaced, never shipped. */
#include "cli.h"
int sms_cmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_fail("sms: not built yet");
	return CLI_FAIL;
}
