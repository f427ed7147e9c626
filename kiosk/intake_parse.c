/*
 * intake_parse: kiosk submissions as JSON or urlencoded forms.  See
 * intake_parse.h.
 *
 * Both kinds end in the same place: a text field, a role field and a
 * lang field, each as pointer and length, checked by kiosk_check().  The
 * text is copied out before the parsed body is freed.
 */
#include "intake_parse.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "i18n.h"
#include "item.h"
#include "store.h"
#include "utf8.h"

/* The three fields as found in a body; a NULL pointer means absent. */
struct kiosk_fields {
	const char *text, *role, *lang, *prompt;
	size_t text_len, role_len, lang_len, prompt_len;
	int bad_type; /* a JSON field had a type other than string or null */
};

static int kiosk_space(uint32_t cp)
{
	if (cp == ' ' || (cp >= 0x09 && cp <= 0x0d))
		return 1;
	if (cp == 0x85 || cp == 0xa0 || cp == 0x1680 || cp == 0x180e)
		return 1;
	if (cp >= 0x2000 && cp <= 0x200b)
		return 1;
	return cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f ||
	       cp == 0x3000 || cp == 0xfeff;
}

int kiosk_text_blank(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0 || !kiosk_space(cp))
			return 0;
		i += n;
	}
	return 1;
}

/*
 * True when the JSON text nests arrays and objects more than max deep.
 * Brackets inside strings do not count; the scan does not validate.
 */
static int kiosk_json_too_deep(const char *s, size_t len, int max)
{
	size_t i;
	int depth = 0, in_string = 0;

	for (i = 0; i < len; i++) {
		if (in_string) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in_string = 0;
			continue;
		}
		if (s[i] == '"') {
			in_string = 1;
		} else if (s[i] == '{' || s[i] == '[') {
			if (++depth > max)
				return 1;
		} else if (s[i] == '}' || s[i] == ']') {
			depth--;
		}
	}
	return 0;
}

/* Points *p and *n at the string member key of o; flags other types. */
static void kiosk_json_member(json_t *o, const char *key, const char **p,
			      size_t *n, struct kiosk_fields *f)
{
	json_t *v = json_object_get(o, key);

	if (v == NULL || json_is_null(v))
		return;
	if (!json_is_string(v)) {
		f->bad_type = 1;
		return;
	}
	*p = json_string_value(v);
	*n = json_string_length(v);
}

/* Copies the text field into out, so it outlives the parsed body. */
static int kiosk_take_text(struct kiosk_input *out,
			   const struct kiosk_fields *f)
{
	if (f->text == NULL)
		return 0;
	out->text = malloc(f->text_len + 1);
	if (out->text == NULL)
		return -1;
	memcpy(out->text, f->text, f->text_len);
	out->text[f->text_len] = '\0';
	out->text_len = f->text_len;
	return 0;
}

/* The first problem with the text field, or NULL. */
static const char *kiosk_text_problem(const struct kiosk_input *in)
{
	if (in->text == NULL)
		return "missing_text";
	if (!utf8_valid(in->text, in->text_len))
		return "bad_utf8";
	if (!utf8_text_valid(in->text, in->text_len))
		return "bad_text";
	if (in->text_len > STORE_TEXT_MAX)
		return "text_too_long";
	if (kiosk_text_blank(in->text, in->text_len))
		return "empty_text";
	return NULL;
}

/* Fills out from f and returns the first problem found, or NULL. */
/* Copies a well-formed prompt id into out; 0, or -1 when it is not. */
static int kiosk_take_prompt(const struct kiosk_fields *f,
			     struct kiosk_input *out)
{
	size_t i;

	if (f->prompt == NULL || f->prompt_len == 0)
		return 0;
	if (f->prompt_len > KIOSK_PROMPT_MAX)
		return -1;
	for (i = 0; i < f->prompt_len; i++) {
		char c = f->prompt[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return -1;
	}
	memcpy(out->prompt, f->prompt, f->prompt_len);
	out->prompt[f->prompt_len] = '\0';
	return 0;
}

static const char *kiosk_check(const struct kiosk_fields *f,
			       struct kiosk_input *out)
{
	const char *text_word, *role_word = NULL, *lang_word = NULL;
	int bad_prompt = kiosk_take_prompt(f, out) < 0;

	if (f->lang != NULL && f->lang_len > 0) {
		out->lang = i18n_lang(f->lang, f->lang_len);
		if (out->lang == NULL || memchr(f->lang, '\0', f->lang_len))
			lang_word = "unknown_lang";
	}
	if (f->role == NULL || f->role_len == 0) {
		out->role = item_role("unsaid", 6);
	} else {
		out->role = item_role(f->role, f->role_len);
		if (out->role == NULL)
			role_word = "unknown_role";
	}
	if (lang_word != NULL)
		out->lang = NULL;
	text_word = kiosk_text_problem(out);
	if (f->bad_type)
		return "bad_json";
	if (text_word != NULL)
		return text_word;
	if (role_word != NULL || lang_word != NULL)
		return role_word != NULL ? role_word : lang_word;
	return bad_prompt ? "bad_prompt" : NULL;
}

static const char *kiosk_parse_json(const char *body, size_t len,
				    struct kiosk_input *out)
{
	struct kiosk_fields f = {0};
	json_error_t jerr;
	json_t *root;
	const char *word;

	if (kiosk_json_too_deep(body, len, KIOSK_JSON_DEPTH))
		return "bad_json";
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL,
			  &jerr);
	if (root == NULL)
		return json_error_code(&jerr) == json_error_invalid_utf8
			       ? "bad_utf8"
			       : "bad_json";
	if (!json_is_object(root)) {
		json_decref(root);
		return "bad_json";
	}
	kiosk_json_member(root, "text", &f.text, &f.text_len, &f);
	kiosk_json_member(root, "role", &f.role, &f.role_len, &f);
	kiosk_json_member(root, "lang", &f.lang, &f.lang_len, &f);
	kiosk_json_member(root, "prompt", &f.prompt, &f.prompt_len, &f);
	word = kiosk_take_text(out, &f) < 0 ? "bad_json" : kiosk_check(&f, out);
	json_decref(root);
	return word;
}

static void kiosk_form_member(const struct form *form, const char *name,
			      const char **p, size_t *n)
{
	const struct form_field *field = form_get(form, name);

	if (field == NULL)
		return;
	*p = field->value;
	*n = field->value_len;
}

static const char *kiosk_parse_form(const char *body, size_t len,
				    struct kiosk_input *out)
{
	struct kiosk_fields f = {0};
	struct form form;
	const char *word;

	if (form_parse(&form, body, len, KIOSK_FORM_FIELDS) < 0)
		return "bad_form";
	kiosk_form_member(&form, "text", &f.text, &f.text_len);
	kiosk_form_member(&form, "role", &f.role, &f.role_len);
	kiosk_form_member(&form, "lang", &f.lang, &f.lang_len);
	kiosk_form_member(&form, "prompt", &f.prompt, &f.prompt_len);
	word = kiosk_take_text(out, &f) < 0 ? "bad_form" : kiosk_check(&f, out);
	form_release(&form);
	return word;
}

int kiosk_parse_item(const char *ctype_kind, const char *body, size_t len,
		     struct kiosk_input *out, const char **err_word)
{
	const char *word;

	memset(out, 0, sizeof(*out));
	if (ctype_kind != NULL && strcmp(ctype_kind, "json") == 0) {
		word = kiosk_parse_json(body, len, out);
	} else if (ctype_kind != NULL && strcmp(ctype_kind, "form") == 0) {
		word = kiosk_parse_form(body, len, out);
	} else {
		*err_word = "unsupported_type";
		return 415;
	}
	if (word == NULL)
		return 0;
	*err_word = word;
	return 400;
}

void kiosk_input_release(struct kiosk_input *in)
{
	free(in->text);
	memset(in, 0, sizeof(*in));
}
