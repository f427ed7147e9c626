/*
 * sms_channel: the configured SMS channels of a site node.
 *
 * A channel is one gateway's way in: its name is the last part of the
 * webhook path (/sms/NAME), its gateway says which wire format it speaks
 * (one of sms_gateway_names in sms_gateway.h), and it carries what that
 * format needs: the public URL a provider signs and the secret it signs
 * or authenticates with (see docs/sms-gateways.md for each gateway), the
 * country for numbers written without a country code, the language
 * replies are written in and, for gateways that reply through a send
 * API, where and as whom to send (send_url, account, api_key, sender).
 * options holds "key=value,key=value" settings of one gateway (the
 * generic gateway's field names, Vonage's signature mode).  Rows are
 * made by 'chorus channel add'; 'chorus sms' reads them when it starts.
 */
#ifndef CHORUS_SMS_CHANNEL_H
#define CHORUS_SMS_CHANNEL_H

#include <sqlite3.h>
#include <stddef.h>

#define SMS_CHANNEL_NAME_MAX 32

struct sms_channel {
	char name[SMS_CHANNEL_NAME_MAX + 1];
	char gateway[24];
	char *public_url; /* NULL when unset */
	char *secret;	  /* NULL when unset */
	char country[3];  /* "" when unset */
	char lang[8];
	char *send_url; /* NULL: the provider's own, or in-band replies */
	char *account;	/* NULL when unset */
	char *api_key;	/* NULL when unset */
	char *sender;	/* NULL when unset */
	char *options;	/* NULL when unset */
};

/* True when name is 1 to 32 letters, digits, '-' or '_'. */
int sms_channel_name_ok(const char *name, size_t len);

/* True for the gateways this build speaks. */
int sms_channel_gateway_ok(const char *gateway);

/*
 * The value of key in the channel's options ("a=b,c=d") into out (room
 * for outlen), or def when it is not set.  Returns out.
 */
const char *sms_channel_option(const struct sms_channel *ch, const char *key,
			       const char *def, char *out, size_t outlen);

/*
 * Reads every channel.  On success *out is a malloc'd array of *n
 * channels (free with sms_channels_free()); on failure returns -1 and
 * leaves both untouched.
 */
int sms_channels_load(sqlite3 *db, struct sms_channel **out, size_t *n);

void sms_channels_free(struct sms_channel *chs, size_t n);

/*
 * Reads meta phone_key into out (room for outlen), making a new random
 * one first when the file has none.  0 or -1.
 */
int sms_phone_key(sqlite3 *db, char *out, size_t outlen);

#endif
