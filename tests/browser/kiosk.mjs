// The kiosk page in real Chromium, as a person on a 7-inch touch screen
// would use it, then with JavaScript off, then on a phone.
//
// usage: node kiosk.mjs URL DB OUTDIR
//   URL     a running `chorus kiosk --idle 2`
//   DB      its site database (read with the sqlite3 program)
//   OUTDIR  where screenshots go
// Prints "ok - ..." / "not ok - ..." lines; exits 1 if any failed.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { failed, launch, notOk, ok, step } from './tap.mjs';

const [url, db, out] = process.argv.slice(2);
const TEXT = '¿Más libros en la biblioteca?';
function row(code) {
	const q = `SELECT lang, role, channel, hex(text) FROM items
		WHERE code = '${code.replace(/[^0-9A-Z]/g, '')}'`;
	return execFileSync('sqlite3', ['-batch', db, q]).toString().trim();
}

function hex(s) {
	return Buffer.from(s, 'utf8').toString('hex').toUpperCase();
}

function expectEqual(got, want) {
	if (got !== want)
		throw new Error(`expected ${JSON.stringify(want)}\n` +
			`got      ${JSON.stringify(got)}`);
}

const browser = await launch();

// --- With JavaScript, on an 800x480 touch screen ------------------------
const kiosk = await browser.newContext({
	viewport: { width: 800, height: 480 }, hasTouch: true, locale: 'en-US',
});
const page = await kiosk.newPage();
const cspErrors = [];
page.on('console', (m) => {
	if (/Content.Security.Policy/i.test(m.text()))
		cspErrors.push(m.text());
});
await page.goto(url + '/');
const box = page.getByRole('textbox', { name: 'Tu idea' });
const send = page.getByRole('button', { name: 'Enviar mi idea' });
let code = '';

await step('the page starts in English', async () =>
	expectEqual(await page.getAttribute('html', 'lang'), 'en'));
await step('tapping Español shows the page in Spanish', async () => {
	await page.getByRole('link', { name: 'Español' }).tap();
	await page.waitForURL(/lang=es/);
	expectEqual(await page.getAttribute('html', 'lang'), 'es');
	await box.waitFor();
});
await step('every touch target is at least 48px tall', async () => {
	const small = await page.evaluate(() => Array.from(
		document.querySelectorAll('.card, .lang, .send, textarea'))
		.map((e) => e.getBoundingClientRect().height)
		.filter((h) => h < 48));
	expectEqual(small.length, 0);
});
await step('the form fits an 800x480 screen without scrolling', async () =>
	await page.evaluate(() =>
		document.documentElement.scrollHeight <= innerHeight &&
		document.documentElement.scrollWidth <= innerWidth));
await step('a role is chosen by tapping its card', async () => {
	await page.getByText('Estudiante', { exact: true }).tap();
	expectEqual(await page.getByRole('radio', { name: 'Estudiante' })
		.isChecked(), true);
});
await step('the text box takes non-ASCII text from the keyboard',
	async () => {
		await box.tap();
		await box.pressSequentially(TEXT);
		expectEqual(await box.inputValue(), TEXT);
	});
await step('a screenshot of the filled form is taken', async () => {
	const f = `${out}/kiosk-800x480.png`;
	await page.screenshot({ path: f });
	return statSync(f).size > 5000;
});
await step('the send button disables itself while sending', async () => {
	await page.route('**/api/items', async (route) => {
		await new Promise((r) => setTimeout(r, 1500));
		await route.continue();
	});
	await send.tap();
	await page.getByRole('button', { name: 'Enviando…' }).waitFor();
	expectEqual(await page.locator('#send').isDisabled(), true);
});
await step('the thank-you screen shows the code in big letters',
	async () => {
		await page.locator('#code').waitFor({ state: 'visible' });
		code = (await page.locator('#code').textContent()).trim();
		await page.unroute('**/api/items');
		if (!/^K7[0-9A-Z]{5,}$/.test(code))
			throw new Error(`code is ${code}`);
		const px = await page.locator('#code').evaluate((e) =>
			parseFloat(getComputedStyle(e).fontSize));
		return px >= 40;
	});
await step('the item is stored in Spanish, with its role and exact text',
	async () => expectEqual(row(code), `es|student|kiosk|${hex(TEXT)}`));
await step('a QR code with an accessible name is shown', async () => {
	const qr = page.getByRole('img',
		{ name: `Código QR de la idea ${code}` });
	await qr.waitFor({ state: 'visible' });
	await page.waitForFunction(() =>
		document.getElementById('qr').naturalWidth > 0);
});
await step('a screenshot of the thank-you screen is taken', async () => {
	const f = `${out}/kiosk-thanks-800x480.png`;
	await page.screenshot({ path: f });
	return statSync(f).size > 5000;
});
await step('after the idle time the kiosk forgets the person', async () => {
	await page.locator('#thanks').waitFor({ state: 'hidden',
		timeout: 8000 });
	await box.waitFor({ state: 'visible' });
	expectEqual(await box.inputValue(), '');
	expectEqual(await page.locator('#code').isVisible(), false);
	expectEqual(await page.getByText(code).count(), 0);
	expectEqual(await page.locator('input[name=role]:checked').count(), 0);
	expectEqual(new URL(page.url()).pathname + new URL(page.url()).search,
		'/?lang=es');
});

await step('a network error keeps the text and says so in Spanish',
	async () => {
		await page.route('**/api/items', (route) => route.abort());
		await box.fill('Idea que no se pierde');
		await send.tap();
		const alert = page.getByRole('alert');
		await alert.waitFor({ state: 'visible' });
		const msg = await alert.textContent();
		if (!/No pudimos enviar tu idea/.test(msg))
			throw new Error(`alert says ${msg}`);
		expectEqual(await box.inputValue(), 'Idea que no se pierde');
		expectEqual(await send.isEnabled(), true);
		await page.unroute('**/api/items');
	});
await step('a server error (5xx) keeps the text too', async () => {
	await page.route('**/api/items', (route) => route.fulfill({
		status: 503, contentType: 'text/plain', body: 'down' }));
	await send.tap();
	await page.getByRole('alert').filter({ hasText: 'No pudimos' })
		.waitFor();
	expectEqual(await box.inputValue(), 'Idea que no se pierde');
	await page.unroute('**/api/items');
});
await step('a refused post shows the server\'s message and keeps the text',
	async () => {
		await box.fill('   ');
		await send.tap();
		await page.getByRole('alert')
			.filter({ hasText: 'Escribe tu idea' }).waitFor();
		expectEqual(await box.inputValue(), '   ');
	});
await step('the form waits while the person keeps typing', async () => {
	// --idle 2 gives the form 8 s; touch it every 3 s for 12 s.
	await box.fill('');
	for (let i = 0; i < 4; i++) {
		await box.pressSequentially('ab');
		await page.waitForTimeout(3000);
	}
	expectEqual(await box.inputValue(), 'abababab');
});
await step('a form left alone clears itself', async () => {
	await page.waitForFunction(() =>
		document.getElementById('text').value === '',
	null, { timeout: 12000 });
	expectEqual(await page.getByRole('alert').isVisible(), false);
});
await step('the page breaks no Content-Security-Policy rule', async () =>
	expectEqual(cspErrors.join('\n'), ''));
await kiosk.close();

// --- Without JavaScript -------------------------------------------------
const plain = await browser.newContext({
	viewport: { width: 800, height: 480 }, javaScriptEnabled: false,
});
const np = await plain.newPage();
await np.goto(url + '/?lang=es');
let plainCode = '';
let plainQr = 0;
await step('without JavaScript the form posts and thanks with the code',
	async () => {
		await np.getByText('Personal', { exact: true }).click();
		await np.getByRole('textbox', { name: 'Tu idea' })
			.fill('Más árboles en el patio');
		await np.getByRole('button', { name: 'Enviar mi idea' }).click();
		await np.getByRole('heading', { name: '¡Gracias!' }).waitFor();
		plainCode = (await np.locator('#code').textContent()).trim();
		// The page goes back after --idle 2 s: look at it at once.
		plainQr = await np.getByRole('img',
			{ name: `Código QR de la idea ${plainCode}` }).count();
		expectEqual(row(plainCode),
			`es|staff|kiosk|${hex('Más árboles en el patio')}`);
	});
await step('the no-JavaScript thank-you page shows a labelled QR code',
	async () => expectEqual(plainQr, 1));
await step('the no-JavaScript thank-you page goes back by itself',
	async () => {
		await np.waitForURL(/\/\?lang=es$/, { timeout: 8000 });
		const v = await np.getByRole('textbox', { name: 'Tu idea' })
			.inputValue();
		expectEqual(v.trim(), '');
	});
await step('without JavaScript a refusal keeps the text', async () => {
	await np.getByRole('textbox', { name: 'Tu idea' }).fill(' \n ');
	await np.getByRole('button', { name: 'Enviar mi idea' }).click();
	await np.getByText('Escribe tu idea antes de enviarla').waitFor();
	const v = await np.getByRole('textbox', { name: 'Tu idea' })
		.inputValue();
	expectEqual(v.replace(/\r/g, ''), ' \n ');
});
await plain.close();

// --- Other screens --------------------------------------------------------
for (const [w, h] of [[360, 640], [1024, 600]]) {
	const ctx = await browser.newContext({
		viewport: { width: w, height: h }, hasTouch: true,
	});
	const p = await ctx.newPage();
	await p.goto(url + '/?lang=es');
	await step(`at ${w}x${h} nothing is wider than the screen`, async () =>
		p.evaluate(() =>
			document.documentElement.scrollWidth <= innerWidth));
	await step(`at ${w}x${h} the language buttons are on screen`,
		async () => {
			const b = await p.getByRole('link', { name: 'Español' })
				.boundingBox();
			return b !== null && b.x + b.width <= w;
		});
	await p.screenshot({ path: `${out}/kiosk-${w}x${h}.png`,
		fullPage: true });
	await ctx.close();
}

await browser.close();
process.exit(failed());
