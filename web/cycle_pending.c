/* Pages of later steps: not found until they land. */
#include "cycle.h"

enum MHD_Result waves_page(struct cyc *x)
{
	return cyc_message(x, 404, "staff.notfound.title",
			   "staff.notfound.body");
}

enum MHD_Result gaps_page(struct cyc *x)
{
	return cyc_message(x, 404, "staff.notfound.title",
			   "staff.notfound.body");
}

enum MHD_Result sites_page(struct cyc *x)
{
	return cyc_message(x, 404, "staff.notfound.title",
			   "staff.notfound.body");
}

enum MHD_Result sites_post(struct cyc *x)
{
	return cyc_message(x, 404, "staff.notfound.title",
			   "staff.notfound.body");
}
