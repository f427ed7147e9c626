// "I agree" on the kiosk's news page in real Chromium: once per visit,
// with the second tap answered "already counted", a new visit after the
// idle reset, and the same without JavaScript.
//
// usage: node endorse.mjs URL DB IDEA IDLE
//   URL   a running `chorus kiosk --idle IDLE`
//   DB    its site database (read with the sqlite3 program)
//   IDEA  the code of an idea the site has pulled
// Prints "ok - ..." / "not ok - ..." lines; exits 1 if any failed.
import { execFileSync } from 'node:child_process';
import { failed, launch, step } from './tap.mjs';

const [url, db, idea, idleArg] = process.argv.slice(2);
const idle = Number(idleArg);

function rows() {
	const q = `SELECT count(*) FROM endorsements
		WHERE target = '${idea.replace(/[^0-9A-Z]/g, '')}'`;
	return Number(execFileSync('sqlite3', ['-batch', db, q]).toString());
}

function expectEqual(got, want) {
	if (got !== want)
		throw new Error(`expected ${JSON.stringify(want)}\n` +
			`got      ${JSON.stringify(got)}`);
}

function visitOf(href) {
	return new URL(href, url).searchParams.get('visit');
}

const browser = await launch();

// --- With JavaScript, as a person at the kiosk --------------------------
const kiosk = await browser.newContext({
	viewport: { width: 800, height: 480 }, hasTouch: true, locale: 'en-US',
});
const page = await kiosk.newPage();
const news = page.getByRole('link', { name: 'News' });
const agree = page.getByRole('button', { name: 'I agree' });
const status = page.getByRole('status');
let first = '';

await page.goto(url + '/?lang=en');
await step('the start page hands a visit to its news link', async () => {
	first = visitOf(await news.getAttribute('href'));
	return /^[0-9a-f]{32}$/.test(first);
});
await step('the news page keeps the visit in its "I agree" form',
	async () => {
		await news.tap();
		await agree.waitFor();
		expectEqual(await page.locator('input[name=visit]')
			.first().inputValue(), first);
	});
await step('tapping "I agree" counts and says so', async () => {
	await agree.first().tap();
	await status.waitFor();
	expectEqual((await status.textContent()).trim(),
		'Thank you: your voice counts.');
	expectEqual(rows(), 1);
});
await step('a second tap in the same visit says "already counted"',
	async () => {
		await page.getByRole('link', { name: 'See the other ideas' })
			.tap();
		await agree.first().tap();
		await status.waitFor();
		const said = (await status.textContent()).trim();
		if (!/already counted/.test(said))
			throw new Error(`the page said: ${said}`);
		expectEqual(rows(), 1);
	});
await step('"Done" goes back to the start', async () => {
	await page.getByRole('link', { name: 'Done' }).tap();
	await page.waitForURL(/\/\?lang=en$/);
});
await step('the idle reset ends the visit: the news link has no token',
	async () => {
		await page.waitForFunction(() => !document.querySelector(
			'a.news').getAttribute('href').includes('visit='),
		null, { timeout: (idle * 4 + 5) * 1000 });
	});
await step('the next person gets a new visit and is counted', async () => {
	await news.tap();
	await agree.waitFor();
	const next = await page.locator('input[name=visit]').first()
		.inputValue();
	if (!/^[0-9a-f]{32}$/.test(next) || next === first)
		throw new Error(`visit ${next} after ${first}`);
	await agree.first().tap();
	await status.waitFor();
	expectEqual((await status.textContent()).trim(),
		'Thank you: your voice counts.');
	expectEqual(rows(), 2);
});

// --- Without JavaScript -------------------------------------------------
const plain = await browser.newContext({
	viewport: { width: 800, height: 480 }, javaScriptEnabled: false,
	locale: 'es-ES',
});
const np = await plain.newPage();
await np.goto(url + '/notices?lang=es');
await step('without JavaScript "Estoy de acuerdo" counts', async () => {
	await np.getByRole('button', { name: 'Estoy de acuerdo' }).first()
		.click();
	await np.getByRole('status').waitFor();
	expectEqual((await np.getByRole('status').textContent()).trim(),
		'Gracias: tu voz cuenta.');
	expectEqual(rows(), 3);
});
await step('... and going back to tap again says "ya estaba contado"',
	async () => {
		await np.goBack();
		await np.getByRole('button', { name: 'Estoy de acuerdo' })
			.first().click();
		await np.getByRole('status').waitFor();
		const said = (await np.getByRole('status').textContent()).trim();
		if (!/ya estaba contado/.test(said))
			throw new Error(`the page said: ${said}`);
		expectEqual(rows(), 3);
	});

await browser.close();
process.exit(failed());
