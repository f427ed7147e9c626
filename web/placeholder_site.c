/* Placeholder until the component lands; replaced, never shipped. */
#include "cli.h"
int site_cmd(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_fail("site: not built yet");
	return CLI_FAIL;
}
