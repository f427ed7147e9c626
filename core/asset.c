/*
 * asset: lookups in the generated table.  See asset.h.
 */
#include "asset.h"

#include <string.h>

/* Defined in the generated assets_data.c. */
extern const struct asset asset_table[];
extern const size_t asset_count;

const struct asset *asset_find(const char *path)
{
	size_t i;

	for (i = 0; i < asset_count; i++)
		if (strcmp(asset_table[i].path, path) == 0)
			return &asset_table[i];
	return NULL;
}
