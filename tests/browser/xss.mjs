// An XSS payload sent through every channel must show as plain text on
// every page where it appears, and never become markup or run.
//
// usage: node xss.mjs URL EMAIL PASSWORD PAYLOAD PATH...
//   PATH  a page that shows the payload; "staff:" before it means the
//         page needs the staff login.
// Prints "ok - ..." / "not ok - ..." lines; exits 1 if any failed.
import { failed, launch, notOk, ok } from './tap.mjs';

const [url, email, password, payload, ...paths] = process.argv.slice(2);
const browser = await launch();
const ctx = await browser.newContext({ locale: 'en-US' });
const page = await ctx.newPage();
let dialogs = 0;
page.on('dialog', async (d) => {
	dialogs++;
	await d.dismiss();
});

await page.goto(url + '/staff/login');
await page.getByLabel('E-mail address').fill(email);
await page.getByLabel('Password').fill(password);
await page.getByRole('button', { name: 'Log in' }).click();
await page.waitForURL(/\/staff$/);

for (const p of paths) {
	const path = p.replace(/^staff:/, '');
	try {
		await page.goto(url + path);
		const r = await page.evaluate((want) => ({
			injected: document.querySelectorAll('#xss, [onerror]')
				.length,
			ran: window.xss === 1,
			shown: document.body.innerText.includes(want) ||
				Array.from(document.querySelectorAll(
					'input, textarea')).some((e) =>
					e.value.includes(want)),
		}), payload);
		if (r.injected || r.ran)
			notOk(`${path}: the payload is plain text`,
				'it became markup');
		else if (!r.shown)
			notOk(`${path}: the payload is plain text`,
				'it is not shown at all');
		else
			ok(`${path}: the payload is shown as plain text`);
	} catch (e) {
		notOk(`${path}: the page opens`, e.message);
	}
}
if (dialogs > 0)
	notOk('no dialog opened', `${dialogs} dialogs`);
else
	ok('no dialog opened on any page');
await browser.close();
process.exit(failed());
