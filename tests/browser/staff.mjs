// The staff flow in real Chromium, by keyboard and by click: log in,
// merge an item into a new idea, write a notice, open its poster and
// print it to PDF on A4 and on US Letter; then set the readiness rule
// (/staff/rule) by keyboard and check that its page fits a phone.  The
// caller then rasterises the PDFs and reads the QR codes back with
// zbarimg.
//
// usage: node staff.mjs URL EMAIL PASSWORD ITEMCODE OUTDIR
// Prints "ok - ..." / "not ok - ..." lines, then "IDEA CODE" on the
// last line; exits 1 if any step failed.
import { writeFileSync } from 'node:fs';
import { failed, launch, notOk, ok, step } from './tap.mjs';

const [url, email, password, item, out] = process.argv.slice(2);
const browser = await launch();
const ctx = await browser.newContext({ locale: 'en-US' });
const page = await ctx.newPage();
const cspErrors = [];
page.on('console', (m) => {
	if (/Content.Security.Policy/i.test(m.text()))
		cspErrors.push(m.text());
});
let idea = '';

await page.goto(url + '/staff');
await step('the inbox sends a stranger to the login page', async () =>
	/\/staff\/login$/.test(page.url()));
await step('the login form works from the keyboard alone', async () => {
	await page.keyboard.press('Tab');
	let guard = 0;
	while (await page.evaluate(() => document.activeElement.id) !==
		'email' && guard++ < 10)
		await page.keyboard.press('Tab');
	await page.keyboard.type(email);
	await page.keyboard.press('Tab');
	await page.keyboard.type(password);
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/staff$/);
});
await step('the inbox shows the item', async () => {
	await page.getByRole('heading', { name: 'Inbox' }).waitFor();
	return await page.locator(`input[value="${item}"]`).count() === 1;
});
await step('an item is merged into a new idea', async () => {
	await page.locator(`input[value="${item}"]`).check();
	await page.getByLabel('Title of a new idea').fill('Water fountains');
	await page.getByRole('button', { name: 'Merge' }).click();
	await page.waitForURL(/\/staff\/ideas\/[0-9A-Z]+$/);
	idea = page.url().split('/').pop();
});
await step('what we learned and tags are saved', async () => {
	await page.getByLabel('What we learned').fill('Students drink more ' +
		'water when fountains are near the yard.');
	await page.getByLabel('Theme tags (separated by commas)')
		.fill('health, water');
	await page.getByRole('button', { name: 'Save' }).first().click();
	await page.waitForURL(new RegExp(`/staff/ideas/${idea}$`));
	return (await page.getByLabel('Theme tags (separated by commas)')
		.inputValue()) === 'health, water';
});
await step('a notice is published', async () => {
	await page.getByLabel('Heading').fill('New fountains in the yard');
	await page.getByLabel('What was done').fill('Two fountains were ' +
		'installed in May.');
	await page.getByRole('button', { name: 'Publish the notice' }).click();
	await page.getByRole('link', { name: 'Poster (A4)' }).waitFor();
});
for (const [size, name] of [['a4', 'Poster (A4)'],
	['letter', 'Poster (US Letter)']]) {
	await step(`the ${size} poster prints to PDF`, async () => {
		await page.goto(url + `/staff/ideas/${idea}`);
		await page.getByRole('link', { name }).click();
		await page.waitForURL(new RegExp(`size=${size}`));
		await page.emulateMedia({ media: 'print' });
		const pdf = await page.pdf({ preferCSSPageSize: true,
			printBackground: true });
		writeFileSync(`${out}/poster-${size}.pdf`, pdf);
		await page.emulateMedia({ media: 'screen' });
		return pdf.length > 1000;
	});
}
await step('the poster has no navigation when printed', async () => {
	await page.emulateMedia({ media: 'print' });
	const shown = await page.locator('header').isVisible();
	await page.emulateMedia({ media: 'screen' });
	return !shown;
});
await step('the readiness rule is in the staff navigation', async () => {
	await page.goto(url + '/staff');
	await page.getByRole('navigation', { name: 'Staff pages' })
		.getByRole('link', { name: 'Readiness rule' }).click();
	await page.waitForURL(/\/staff\/rule$/);
});
// Tabs until the element with id has the focus; false if it never does.
async function tabTo(id) {
	for (let guard = 0; guard < 40; guard++) {
		if (await page.evaluate(() => document.activeElement.id) === id)
			return true;
		await page.keyboard.press('Tab');
	}
	return false;
}
await step('a bad number is named, by keyboard alone', async () => {
	if (!await tabTo('rule-groups'))
		return false;
	await page.keyboard.press('Control+A');
	await page.keyboard.type('two');
	await page.keyboard.press('Enter');
	await page.getByRole('alert').waitFor();
	const field = page.getByLabel('Stakeholder groups', { exact: true });
	return await field.inputValue() === 'two' &&
		await field.getAttribute('aria-invalid') === 'true' &&
		await page.locator('#rule-groups-error').isVisible();
});
await step('the rule is saved, by keyboard alone', async () => {
	if (!await tabTo('rule-groups'))
		return false;
	await page.keyboard.press('Control+A');
	await page.keyboard.type('2');
	await page.keyboard.press('Shift+Tab');
	await page.keyboard.press('Control+A');
	await page.keyboard.type('3');
	await page.keyboard.press('Enter');
	await page.waitForURL(/\/staff\/rule\?saved=1/);
	await page.getByRole('status').waitFor();
	return await page.getByLabel('Endorsements', { exact: true })
		.inputValue() === '3';
});
await step('the rule form fits a phone screen', async () => {
	const phone = await browser.newContext({ locale: 'en-US',
		storageState: await ctx.storageState(),
		viewport: { width: 360, height: 740 }, isMobile: true,
		hasTouch: true });
	const p = await phone.newPage();
	await p.goto(url + '/staff/rule');
	const wide = await p.evaluate(() => {
		const w = document.documentElement.clientWidth;
		return [...document.querySelectorAll('body *')]
			.filter((e) => e.getBoundingClientRect().right > w)
			.map((e) => e.tagName + (e.id ? '#' + e.id : ''));
	});
	await phone.close();
	return wide.length === 0 ||
		Promise.reject(new Error(`wider than the screen: ${wide}`));
});
await step('no page broke the Content-Security-Policy', async () =>
	cspErrors.length === 0 || Promise.reject(new Error(cspErrors[0])));

await browser.close();
console.log(`IDEA ${idea}`);
process.exit(failed());
